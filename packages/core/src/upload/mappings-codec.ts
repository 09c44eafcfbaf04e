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

/**
 * Room for one more entry of `width` numbers at the end of a growable list (doubling its array when
 * full); returns where the entry starts.
 */
export function appendSlot(list: { data: Int32Array; length: number }, width: number): number {
  if ((list.length + 1) * width > list.data.length) {
    const grown = new Int32Array(list.data.length * 2);
    grown.set(list.data);
    list.data = grown;
  }
  return list.length++ * width;
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
  const at = appendSlot(tokens, WIDTH);
  const data = tokens.data;
  data[at] = a;
  data[at + 1] = b;
  data[at + 2] = c;
  data[at + 3] = d;
  data[at + 4] = e;
  data[at + 5] = f;
}

/** The decoder's running values at the start of a line (the fields are relative across lines). */
export interface DecoderState {
  line: number;
  srcId: number;
  srcLine: number;
  srcCol: number;
  nameId: number;
}

const START: DecoderState = { line: 0, srcId: 0, srcLine: 0, srcCol: 0, nameId: 0 };

/**
 * Decodes `mappings` like the sourcemap crate's `decode_regular`: 1-, 4- and 5-field segments only.
 * `from` continues a decode part-way (the lines of one map from a given line on).
 */
export function decodeMappings(
  mappings: string,
  sources: number,
  names: number,
  from: DecoderState = START,
): Tokens {
  const tokens = createTokens((mappings.length >> 2) + 8);
  const fields = [0, 0, 0, 0, 0];
  let count = 0;
  let { srcId, srcLine, srcCol, nameId, line } = from;
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

/**
 * The sourcemap crate's `serialize_mappings`, one token at a time: no trailing `;`, a token equal to
 * the one before it dropped. `copy` splices in segments already in this form (whole lines of a map
 * whose bytes the encoder would write again), so that a map's untouched lines need no re-encoding.
 * The output is a list of byte pieces (copied lines stay views of the input).
 */
export class MappingsEncoder {
  private readonly pieces: Uint8Array[] = [];
  private out = new Uint8Array(256);
  private size = 0;
  private line = 0;
  private col = 0;
  /** False after `copy`: the next token must start a new line. */
  private colKnown = true;
  private pushed = false;
  private readonly last = new Int32Array(WIDTH);
  /** The relative fields' running values, as the decoder sees them after what was written. */
  readonly state: DecoderState = { line: 0, srcId: 0, srcLine: 0, srcCol: 0, nameId: 0 };

  private ensure(extra: number): void {
    if (this.size + extra <= this.out.length) return;
    const grown = new Uint8Array(Math.max(this.out.length * 2, this.size + extra));
    grown.set(this.out.subarray(0, this.size));
    this.out = grown;
  }

  private newLines(line: number): void {
    this.ensure(Math.max(0, line - this.line));
    for (; this.line < line; this.line++) this.out[this.size++] = 59;
  }

  private vlq(value: number): void {
    this.size = writeVlqBytes(value, this.out, this.size);
  }

  /** Writes the token at `data[at]` (WIDTH fields), which must not sort before the previous one. */
  push(data: Int32Array, at: number): void {
    const line = data[at]!;
    const { last, state } = this;
    if (line !== this.line) {
      this.newLines(line);
      this.col = 0;
      this.colKnown = true;
    } else if (this.pushed) {
      if (!this.colKnown) throw new Error('a token continues a copied line');
      if (sameToken(data, at, last, 0)) return;
      this.ensure(1);
      this.out[this.size++] = 44;
    }
    for (let field = 0; field < WIDTH; field++) last[field] = data[at + field]!;
    this.pushed = true;
    this.ensure(40);
    const col = data[at + 1]!;
    this.vlq(col - this.col);
    this.col = col;
    const srcId = data[at + 2]!;
    if (srcId === NONE) return;
    this.vlq(srcId - state.srcId);
    this.vlq(data[at + 3]! - state.srcLine);
    this.vlq(data[at + 4]! - state.srcCol);
    state.srcId = srcId;
    state.srcLine = data[at + 3]!;
    state.srcCol = data[at + 4]!;
    const name = data[at + 5]!;
    if (name !== NONE) {
      this.vlq(name - state.nameId);
      state.nameId = name;
    }
  }

  /**
   * Splices in `segments`, whole lines `firstLine`…`lastLine` in the encoder's own form, written for
   * the running values in `state` (which must equal this encoder's); `after` are the values after them.
   */
  copy(segments: Uint8Array, firstLine: number, lastLine: number, after: DecoderState): void {
    if (firstLine < this.line || (firstLine === this.line && this.pushed))
      throw new Error('copied lines must start a new line');
    this.newLines(firstLine);
    this.pieces.push(this.out.slice(0, this.size), segments);
    this.size = 0;
    this.line = lastLine;
    this.pushed = true;
    this.colKnown = false;
    this.last.fill(0);
    Object.assign(this.state, { ...after, line: lastLine });
  }

  /**
   * Appends `segments` (starting with `,`) to the current line, in the encoder's own form for the
   * running values in `state` and the last token's column; `after` are the values after them.
   */
  append(segments: Uint8Array, after: DecoderState): void {
    if (segments.length === 0) return;
    if (!this.pushed || !this.colKnown) throw new Error('appended segments must follow a token');
    this.pieces.push(this.out.slice(0, this.size), segments);
    this.size = 0;
    this.colKnown = false;
    this.last.fill(0);
    Object.assign(this.state, { ...after, line: this.line });
  }

  /** The bytes written so far. */
  finish(): Uint8Array[] {
    if (this.size > 0) this.pieces.push(this.out.subarray(0, this.size));
    return this.pieces;
  }
}

/** Encodes tokens like the sourcemap crate's `serialize_mappings`: no trailing `;`, repeats dropped. */
export function encodeMappings(tokens: Tokens): string {
  const encoder = new MappingsEncoder();
  for (let index = 0; index < tokens.length; index++) encoder.push(tokens.data, index * WIDTH);
  return Buffer.concat(encoder.finish()).toString('latin1');
}

function sameToken(data: Int32Array, a: number, other: Int32Array, b: number): boolean {
  for (let field = 0; field < WIDTH; field++) if (data[a + field] !== other[b + field]) return false;
  return true;
}
