// The `mappings` of an uploaded map with PostHog's injection undone, computed the way posthog-cli
// computes them for its event-mode content hash (`remove_chunk_id` + `apply_adjustment` in
// cli/src/sourcemaps/content.rs): the removal is recorded with the `magic_string` 0.3.4 crate
// (`generate_map`, hires off), composed with the `sourcemap` 9.x crate's `adjust_mappings`, and
// re-encoded by that crate's encoder. Each step follows those crates, quirks included, so that the
// same pair gives the same bytes here and there.

/** No source / no name, as the sourcemap crate's `!0`. */
const NONE = -1;
/** `u32::MAX`: a range that runs to the end of its line. */
const LINE_END = 0xffffffff;
/** Fields per token: dst line, dst col, src id, src line, src col, name id. */
const WIDTH = 6;

/** A token list, WIDTH numbers per token (`length` tokens in use). */
export interface Tokens {
  data: Int32Array;
  length: number;
}

function createTokens(capacity: number): Tokens {
  return { data: new Int32Array(Math.max(capacity, 1) * WIDTH), length: 0 };
}

function pushToken(tokens: Tokens, a: number, b: number, c: number, d: number, e: number, f: number): void {
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

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGITS = new Int8Array(128).fill(-1);
for (let index = 0; index < BASE64.length; index++) DIGITS[BASE64.charCodeAt(index)] = index;
const BASE64_CODES = Uint8Array.from(BASE64, (char) => char.charCodeAt(0));

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
    // One VLQ value (bit shifts while they fit in 31 bits, then multiplication).
    let result = 0;
    let shift = 0;
    for (;;) {
      const code = pos < length ? mappings.charCodeAt(pos++) : -1;
      const digit = code >= 0 && code < 128 ? DIGITS[code]! : -1;
      if (digit < 0) throw new Error(`invalid VLQ in mappings at character ${pos - 1}`);
      result += shift < 25 ? (digit & 31) << shift : (digit & 31) * 2 ** shift;
      shift += 5;
      if ((digit & 32) === 0) break;
    }
    const magnitude = Math.floor(result / 2);
    if (count === 5) throw new Error('a mappings segment has 6 fields');
    fields[count++] = result % 2 === 1 ? -magnitude : magnitude;
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
    let rest = value < 0 ? -value * 2 + 1 : value * 2;
    do {
      let digit = rest % 32;
      rest = Math.floor(rest / 32);
      if (rest > 0) digit |= 32;
      out[size++] = BASE64_CODES[digit]!;
    } while (rest > 0);
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

/** One adjustment token: `dst` in the code with the ranges removed, `src` in the code as uploaded. */
interface AdjustmentToken {
  dstLine: number;
  dstCol: number;
  srcLine: number;
  srcCol: number;
}

const utf8 = new TextEncoder();
function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * The map magic_string 0.3.4 generates for `code` with `removals` (sorted, disjoint `[start, end)`)
 * cut out: a token at the start of each kept chunk and after each line break inside one. Its quirks
 * are kept: the generated column advances one per character (code point), while a chunk's original
 * column comes from a byte-based locator.
 */
export function removalAdjustment(
  code: string,
  removals: ReadonlyArray<[number, number]>,
): AdjustmentToken[] {
  const tokens: AdjustmentToken[] = [];
  let dstLine = 0;
  let dstLineStart = 0; // in the pristine text, as an index into `code` plus the removed length before it
  let pristinePrefix = ''; // the pristine text of the current generated line before the current chunk
  let from = 0;
  const chunks: Array<[number, number]> = [];
  for (const [start, end] of removals) {
    if (start > from) chunks.push([from, start]);
    from = end;
  }
  if (from < code.length) chunks.push([from, code.length]);

  for (const [start, end] of chunks) {
    // The chunk's original position: line by line breaks before it, column in bytes (the locator).
    const srcLineStart = code.lastIndexOf('\n', start - 1) + 1;
    const srcLine = countLineBreaks(code, 0, start);
    tokens.push({
      dstLine,
      dstCol: codePoints(pristinePrefix),
      srcLine,
      srcCol: utf8.encode(code.slice(srcLineStart, start)).length,
    });
    let line = srcLine;
    for (let at = code.indexOf('\n', start); at >= 0 && at < end; at = code.indexOf('\n', at + 1)) {
      line += 1;
      dstLine += 1;
      pristinePrefix = '';
      dstLineStart = at + 1;
      if (at + 1 < end) tokens.push({ dstLine, dstCol: 0, srcLine: line, srcCol: 0 });
    }
    pristinePrefix += code.slice(Math.max(start, dstLineStart), end);
  }
  return tokens;
}

function countLineBreaks(code: string, from: number, to: number): number {
  let count = 0;
  for (let at = code.indexOf('\n', from); at >= 0 && at < to; at = code.indexOf('\n', at + 1)) count++;
  return count;
}

function compare(lineA: number, colA: number, lineB: number, colB: number): number {
  return lineA !== lineB ? lineA - lineB : colA - colB;
}

/** Sorts tokens by (dst line, dst col), keeping the order of equal ones; a sorted list is left as is. */
function sortByDst(tokens: Tokens): Tokens {
  const { data } = tokens;
  let sorted = true;
  for (let at = WIDTH; at < tokens.length * WIDTH && sorted; at += WIDTH) {
    if (compare(data[at]!, data[at + 1]!, data[at - WIDTH]!, data[at - WIDTH + 1]!) < 0) sorted = false;
  }
  if (sorted) return tokens;
  const order = Array.from({ length: tokens.length }, (_, index) => index * WIDTH);
  order.sort((a, b) => compare(data[a]!, data[a + 1]!, data[b]!, data[b + 1]!) || a - b);
  const result = createTokens(tokens.length);
  for (const at of order) {
    pushToken(result, data[at]!, data[at + 1]!, data[at + 2]!, data[at + 3]!, data[at + 4]!, data[at + 5]!);
  }
  return result;
}

/**
 * The sourcemap crate's `SourceMap::adjust_mappings(&adjustment)`: each token of `self` (keyed by its
 * generated position, the code as uploaded) is moved by the adjustment token whose original range
 * covers it; a token whose range spans two adjustment ranges is cut in two, a token covered by none
 * (inside removed text) is dropped. Ranges end at the next token or at the end of their line.
 */
export function adjustTokens(selfTokens: Tokens, adjustment: AdjustmentToken[]): Tokens {
  const own = sortByDst(selfTokens);
  const data = own.data;
  const count = own.length;
  const result = createTokens(count + adjustment.length);
  if (count === 0) return result;
  const adjust = [...adjustment].sort((a, b) => compare(a.srcLine, a.srcCol, b.srcLine, b.srcCol));
  // The current range of `self`: token `index`, from its dst to the next token or its line's end.
  let index = 0;
  let ownEndLine = 0;
  let ownEndCol = 0;
  const setEnd = () => {
    const at = index * WIDTH;
    ownEndLine = data[at]!;
    ownEndCol = index + 1 < count && data[at + WIDTH] === ownEndLine ? data[at + WIDTH + 1]! : LINE_END;
  };
  setEnd();
  outer: for (let a = 0; a < adjust.length; a++) {
    const token = adjust[a]!;
    const next = adjust[a + 1];
    const startLine = token.srcLine;
    const startCol = token.srcCol;
    const endLine = startLine;
    const endCol = next && next.srcLine === startLine ? next.srcCol : LINE_END;
    const lineDiff = token.dstLine - token.srcLine;
    const colDiff = token.dstCol - token.srcCol;
    while (compare(ownEndLine, ownEndCol, startLine, startCol) <= 0) {
      index += 1;
      if (index >= count) break outer;
      setEnd();
    }
    for (;;) {
      const at = index * WIDTH;
      if (compare(data[at]!, data[at + 1]!, endLine, endCol) >= 0) break;
      const cutLater = compare(data[at]!, data[at + 1]!, startLine, startCol) < 0;
      const line = cutLater ? startLine : data[at]!;
      const col = cutLater ? startCol : data[at + 1]!;
      pushToken(
        result,
        line + lineDiff,
        col + colDiff,
        data[at + 2]!,
        data[at + 3]!,
        data[at + 4]!,
        data[at + 5]!,
      );
      if (compare(ownEndLine, ownEndCol, endLine, endCol) >= 0) break;
      index += 1;
      if (index >= count) break outer;
      setEnd();
    }
  }
  return sortByDst(result);
}
