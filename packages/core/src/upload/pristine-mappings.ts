// The `mappings` of an uploaded map with PostHog's injection undone, computed the way posthog-cli
// computes them for its event-mode content hash (`remove_chunk_id` + `apply_adjustment` in
// cli/src/sourcemaps/content.rs): the removal is recorded with the `magic_string` 0.3.4 crate
// (`generate_map`, hires off), composed with the `sourcemap` 9.x crate's `adjust_mappings`, and
// re-encoded by that crate's encoder. Each step follows those crates, quirks included, so that the
// same pair gives the same bytes here and there.

import { type CodeText, codePointsIn, utf8BytesIn } from './code-text';
import { Int32Scratch } from './int32-scratch';
import { appendSlot, createTokens, pushToken, type Tokens, WIDTH } from './mappings-codec';

/** `u32::MAX`: a range that runs to the end of its line. */
const LINE_END = 0xffffffff;

/**
 * Adjustment tokens, ADJUST_WIDTH numbers each: `dst` line and column in the code with the ranges
 * removed, `src` line and column in the code as uploaded. Typed rather than an object per token: an
 * unminified chunk has a token per line, and a build's hundreds of thousands of lines made as many
 * objects for the collector (webpack's upload: 70 ms making them, 50 ms collecting).
 */
export interface AdjustmentTokens {
  data: Int32Array;
  length: number;
}

export const ADJUST_WIDTH = 4;

function pushAdjustment(
  tokens: AdjustmentTokens,
  dstLine: number,
  dstCol: number,
  srcLine: number,
  srcCol: number,
): void {
  const at = appendSlot(tokens, ADJUST_WIDTH);
  tokens.data[at] = dstLine;
  tokens.data[at + 1] = dstCol;
  tokens.data[at + 2] = srcLine;
  tokens.data[at + 3] = srcCol;
}

/** Tokens `from` to `to` (exclusive), as a view. */
export function adjustmentSlice(tokens: AdjustmentTokens, from: number, to: number): AdjustmentTokens {
  return { data: tokens.data.subarray(from * ADJUST_WIDTH, to * ADJUST_WIDTH), length: to - from };
}

const adjustmentMemory = new Int32Scratch(64 * ADJUST_WIDTH);

/**
 * The map magic_string 0.3.4 generates for `code` with `removals` (sorted, disjoint `[start, end)`)
 * cut out: a token at the start of each kept chunk and after each line break inside one, in source
 * order. Its quirks are kept: the generated column advances one per character (code point), while a
 * chunk's original column comes from a byte-based locator. The tokens are valid until the next call
 * (their memory is reused: int32-scratch.ts).
 */
export function removalAdjustment(
  code: CodeText,
  removals: ReadonlyArray<[number, number]>,
): AdjustmentTokens {
  const tokens: AdjustmentTokens = { data: adjustmentMemory.all(), length: 0 };
  let dstLine = 0;
  let dstLineStart = 0; // in the pristine text, as an index into `code` plus the removed length before it
  // The pristine text of the current generated line before the current chunk, as ranges of `code`
  // (counted only when a token needs its column).
  const prefix: Array<[number, number]> = [];
  let from = 0;
  const chunks: Array<[number, number]> = [];
  for (const [start, end] of removals) {
    if (start > from) chunks.push([from, start]);
    from = end;
  }
  if (from < code.length) chunks.push([from, code.length]);

  // Line breaks in `code` before `counted`: each chunk's line is counted on from the previous one's.
  let counted = 0;
  let srcLine = 0;
  for (const [start, end] of chunks) {
    // The chunk's original position: line by line breaks before it, column in bytes (the locator).
    const srcLineStart = code.lastIndexOf('\n', start - 1) + 1;
    srcLine += countLineBreaks(code, counted, start);
    counted = start;
    // Counted as one text: a surrogate pair split by a removal joins up in the pristine text.
    const dstCol = codePointsIn(code, prefix);
    pushAdjustment(tokens, dstLine, dstCol, srcLine, utf8BytesIn(code, srcLineStart, start));
    let line = srcLine;
    for (let at = code.indexOf('\n', start); at >= 0 && at < end; at = code.indexOf('\n', at + 1)) {
      line += 1;
      dstLine += 1;
      dstLineStart = at + 1;
      if (at + 1 < end) pushAdjustment(tokens, dstLine, 0, line, 0);
    }
    // A line break in the chunk starts a new generated line: what came before it is no prefix.
    if (line > srcLine) prefix.length = 0;
    srcLine = line;
    counted = end;
    const kept = Math.max(start, dstLineStart);
    if (kept < end) prefix.push([kept, end]);
  }
  adjustmentMemory.keep(tokens.data);
  return tokens;
}

function countLineBreaks(code: CodeText, from: number, to: number): number {
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
 * (inside removed text) is dropped. Ranges end at the next token or at the end of their line. The
 * adjustment is in source order, as removalAdjustment makes it.
 */
export function adjustTokens(selfTokens: Tokens, adjustment: AdjustmentTokens): Tokens {
  const own = sortByDst(selfTokens);
  const data = own.data;
  const count = own.length;
  const result = createTokens(count + adjustment.length);
  if (count === 0) return result;
  const adjust = adjustment.data;
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
  outer: for (let a = 0; a < adjustment.length; a++) {
    const token = a * ADJUST_WIDTH;
    const startLine = adjust[token + 2]!;
    const startCol = adjust[token + 3]!;
    const endLine = startLine;
    const hasNext = a + 1 < adjustment.length && adjust[token + ADJUST_WIDTH + 2] === startLine;
    const endCol = hasNext ? adjust[token + ADJUST_WIDTH + 3]! : LINE_END;
    const lineDiff = adjust[token]! - startLine;
    const colDiff = adjust[token + 1]! - startCol;
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
