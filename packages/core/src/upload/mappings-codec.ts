// Source-map `mappings` as the `sourcemap` 9.x crate decodes and encodes them (for the event-mode
// content hash, see pristine-mappings.ts): tokens in one typed array, so that maps of tens of MB decode
// and encode quickly.

import { readVlq, writeVlqBytes } from '../inject/vlq';

/** No source / no name, as the sourcemap crate's `!0`. */
export const NONE = -1;
/** Fields per token: dst line, dst col, src id, src line, src col, name id. */
export const WIDTH = 6;

/** A token list, WIDTH numbers per token (`length` tokens in use). */
export interface Tokens {
  data: Int32Array;
  length: number;
}

export function createTokens(capacity: number): Tokens {
  return { data: new Int32Array(Math.max(capacity, 1) * WIDTH), length: 0 };
}

export function pushToken(
  tokens: Tokens,
  a: number,
  b: number,
  c: number,
  d: number,
  e: number,
  f: number,
): void {
  if ((tokens.length + 1) * WIDTH > tokens.data.length) {
    const grown = new Int32Array(tokens.data.length * 2);
    grown.set(tokens.data);
    tokens.data = grown;
  }
  const at = tokens.length++ * WIDTH;
  const data = tokens.data;
  data[at] = a;
  data[at + 1] = b;
  data[at + 2] = c;
  data[at + 3] = d;
  data[at + 4] = e;
  data[at + 5] = f;
}

/** Decodes `mappings` like the sourcemap crate's `decode_regular`: 1-, 4- and 5-field segments only. */
export function decodeMappings(mappings: string, sources: number, names: number): Tokens {
  const tokens = createTokens((mappings.length >> 2) + 8);
  const fields = [0, 0, 0, 0, 0];
  let count = 0;
  let srcId = 0;
  let srcLine = 0;
  let srcCol = 0;
  let nameId = 0;
  let line = 0;
  let col = 0;
  const length = mappings.length;
  for (let pos = 0; pos <= length; ) {
    const char = pos < length ? mappings.charCodeAt(pos) : 59;
    if (char === 59 /* ; */ || char === 44 /* , */) {
      if (count > 0) {
        if (count !== 1 && count !== 4 && count !== 5)
          throw new Error(`a mappings segment has ${count} fields`);
        col += fields[0]!;
        if (count === 1) pushToken(tokens, line, col, NONE, NONE, NONE, NONE);
        else {
          srcId += fields[1]!;
          srcLine += fields[2]!;
          srcCol += fields[3]!;
          if (srcId < 0 || srcId >= sources) throw new Error(`bad source reference ${srcId}`);
          let name = NONE;
          if (count === 5) {
            nameId += fields[4]!;
            if (nameId < 0 || nameId >= names) throw new Error(`bad name reference ${nameId}`);
            name = nameId;
          }
          pushToken(tokens, line, col, srcId, srcLine, srcCol, name);
        }
        count = 0;
      }
      if (char === 59) {
        line += 1;
        col = 0;
      }
      pos += 1;
      continue;
    }
    if (count === 5) throw new Error('a mappings segment has 6 fields');
    const [value, next] = readVlq(mappings, pos);
    fields[count++] = value;
    pos = next;
  }
  return tokens;
}

/** Encodes tokens like the sourcemap crate's `serialize_mappings`: no trailing `;`, repeats dropped. */
export function encodeMappings(tokens: Tokens): string {
  const { data } = tokens;
  let out = new Uint8Array(Math.max(64, tokens.length * 10));
  let size = 0;
  const ensure = (extra: number) => {
    if (size + extra <= out.length) return;
    const grown = new Uint8Array(Math.max(out.length * 2, size + extra));
    grown.set(out.subarray(0, size));
    out = grown;
  };
  const vlq = (value: number) => {
    size = writeVlqBytes(value, out, size);
  };
  let prevLine = 0;
  let prevCol = 0;
  let prevSrcId = 0;
  let prevSrcLine = 0;
  let prevSrcCol = 0;
  let prevName = 0;
  for (let index = 0; index < tokens.length; index++) {
    const at = index * WIDTH;
    const line = data[at]!;
    if (line !== prevLine) {
      ensure(line - prevLine);
      for (; prevLine < line; prevLine++) out[size++] = 59;
      prevCol = 0;
    } else if (index > 0) {
      if (sameToken(data, at, at - WIDTH)) continue;
      ensure(1);
      out[size++] = 44;
    }
    ensure(40);
    const col = data[at + 1]!;
    vlq(col - prevCol);
    prevCol = col;
    const srcId = data[at + 2]!;
    if (srcId !== NONE) {
      vlq(srcId - prevSrcId);
      vlq(data[at + 3]! - prevSrcLine);
      vlq(data[at + 4]! - prevSrcCol);
      prevSrcId = srcId;
      prevSrcLine = data[at + 3]!;
      prevSrcCol = data[at + 4]!;
      const name = data[at + 5]!;
      if (name !== NONE) {
        vlq(name - prevName);
        prevName = name;
      }
    }
  }
  return Buffer.from(out.buffer, out.byteOffset, size).toString('latin1');
}

function sameToken(data: Int32Array, a: number, b: number): boolean {
  for (let field = 0; field < WIDTH; field++) if (data[a + field] !== data[b + field]) return false;
  return true;
}
