// The `mappings` of an uploaded map with PostHog's injection undone, computed the way posthog-cli
// computes them for its event-mode content hash (`remove_chunk_id` + `apply_adjustment` in
// cli/src/sourcemaps/content.rs): the removal is recorded with the `magic_string` 0.3.4 crate
// (`generate_map`, hires off), composed with the `sourcemap` 9.x crate's `adjust_mappings`, and
// re-encoded by that crate's encoder. Each step follows those crates, quirks included, so that the
// same pair gives the same bytes here and there.

import { readVlq, writeVlq } from '../inject/vlq';

/** No source / no name, as the sourcemap crate's `!0`. */
const NONE = -1;
/** `u32::MAX`: a range that runs to the end of its line. */
const LINE_END = 0xffffffff;
/** Fields per token: dst line, dst col, src id, src line, src col, name id. */
const WIDTH = 6;

/** A token list, WIDTH numbers per token. */
type Tokens = number[];

/** Decodes `mappings` like the sourcemap crate's `decode_regular`: 1-, 4- and 5-field segments only. */
export function decodeMappings(mappings: string, sources: number, names: number): Tokens {
  const tokens: Tokens = [];
  let srcId = 0;
  let srcLine = 0;
  let srcCol = 0;
  let nameId = 0;
  let line = 0;
  let col = 0;
  let pos = 0;
  const fields: number[] = [];
  while (pos <= mappings.length) {
    const char = mappings.charCodeAt(pos);
    if (pos === mappings.length || char === 59 /* ; */ || char === 44 /* , */) {
      if (fields.length > 0) {
        if (fields.length !== 1 && fields.length !== 4 && fields.length !== 5) {
          throw new Error(`a mappings segment has ${fields.length} fields`);
        }
        col += fields[0]!;
        let token = [line, col, NONE, NONE, NONE, NONE];
        if (fields.length > 1) {
          srcId += fields[1]!;
          srcLine += fields[2]!;
          srcCol += fields[3]!;
          if (srcId < 0 || srcId >= sources) throw new Error(`bad source reference ${srcId}`);
          token = [line, col, srcId, srcLine, srcCol, NONE];
          if (fields.length > 4) {
            nameId += fields[4]!;
            if (nameId < 0 || nameId >= names) throw new Error(`bad name reference ${nameId}`);
            token[5] = nameId;
          }
        }
        tokens.push(...token);
        fields.length = 0;
      }
      if (char === 59) {
        line += 1;
        col = 0;
      }
      pos += 1;
      continue;
    }
    const [value, next] = readVlq(mappings, pos);
    fields.push(value);
    pos = next;
  }
  return tokens;
}

/** Encodes tokens like the sourcemap crate's `serialize_mappings`: no trailing `;`, repeats dropped. */
export function encodeMappings(tokens: Tokens): string {
  const parts: string[] = [];
  let prevLine = 0;
  let prevCol = 0;
  let prevSrcId = 0;
  let prevSrcLine = 0;
  let prevSrcCol = 0;
  let prevName = 0;
  for (let at = 0; at < tokens.length; at += WIDTH) {
    const line = tokens[at]!;
    if (line !== prevLine) {
      prevCol = 0;
      parts.push(';'.repeat(line - prevLine));
      prevLine = line;
    } else if (at > 0) {
      if (sameToken(tokens, at, at - WIDTH)) continue;
      parts.push(',');
    }
    const col = tokens[at + 1]!;
    let segment = writeVlq(col - prevCol);
    prevCol = col;
    const srcId = tokens[at + 2]!;
    if (srcId !== NONE) {
      segment += writeVlq(srcId - prevSrcId) + writeVlq(tokens[at + 3]! - prevSrcLine);
      segment += writeVlq(tokens[at + 4]! - prevSrcCol);
      prevSrcId = srcId;
      prevSrcLine = tokens[at + 3]!;
      prevSrcCol = tokens[at + 4]!;
      const name = tokens[at + 5]!;
      if (name !== NONE) {
        segment += writeVlq(name - prevName);
        prevName = name;
      }
    }
    parts.push(segment);
  }
  return parts.join('');
}

function sameToken(tokens: Tokens, a: number, b: number): boolean {
  for (let field = 0; field < WIDTH; field++) if (tokens[a + field] !== tokens[b + field]) return false;
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
  let sorted = true;
  for (let at = WIDTH; at < tokens.length && sorted; at += WIDTH) {
    if (compare(tokens[at]!, tokens[at + 1]!, tokens[at - WIDTH]!, tokens[at - WIDTH + 1]!) < 0)
      sorted = false;
  }
  if (sorted) return tokens;
  const order = Array.from({ length: tokens.length / WIDTH }, (_, index) => index * WIDTH);
  order.sort((a, b) => compare(tokens[a]!, tokens[a + 1]!, tokens[b]!, tokens[b + 1]!) || a - b);
  return order.flatMap((at) => tokens.slice(at, at + WIDTH));
}

/**
 * The sourcemap crate's `SourceMap::adjust_mappings(&adjustment)`: each token of `self` (keyed by its
 * generated position, the code as uploaded) is moved by the adjustment token whose original range
 * covers it; a token whose range spans two adjustment ranges is cut in two, a token covered by none
 * (inside removed text) is dropped. Ranges end at the next token or at the end of their line.
 */
export function adjustTokens(selfTokens: Tokens, adjustment: AdjustmentToken[]): Tokens {
  const own = sortByDst(selfTokens);
  const count = own.length / WIDTH;
  if (count === 0) return [];
  const adjust = [...adjustment].sort((a, b) => compare(a.srcLine, a.srcCol, b.srcLine, b.srcCol));
  const result: Tokens = [];
  // The current range of `self`: token index `index`, start (its dst), end (next start or line end).
  let index = 0;
  const endOf = (at: number): [number, number] => {
    const line = own[at * WIDTH]!;
    if (at + 1 >= count) return [line, LINE_END];
    const nextLine = own[(at + 1) * WIDTH]!;
    return nextLine === line ? [line, own[(at + 1) * WIDTH + 1]!] : [line, LINE_END];
  };
  outer: for (let a = 0; a < adjust.length; a++) {
    const token = adjust[a]!;
    const next = adjust[a + 1];
    const startLine = token.srcLine;
    const startCol = token.srcCol;
    const [endLine, endCol] =
      next && next.srcLine === startLine ? [startLine, next.srcCol] : [startLine, LINE_END];
    const lineDiff = token.dstLine - token.srcLine;
    const colDiff = token.dstCol - token.srcCol;
    let [ownEndLine, ownEndCol] = endOf(index);
    while (compare(ownEndLine, ownEndCol, startLine, startCol) <= 0) {
      index += 1;
      if (index >= count) break outer;
      [ownEndLine, ownEndCol] = endOf(index);
    }
    for (;;) {
      const at = index * WIDTH;
      if (compare(own[at]!, own[at + 1]!, endLine, endCol) >= 0) break;
      const cutLater = compare(own[at]!, own[at + 1]!, startLine, startCol) < 0;
      const line = cutLater ? startLine : own[at]!;
      const col = cutLater ? startCol : own[at + 1]!;
      result.push(line + lineDiff, col + colDiff, own[at + 2]!, own[at + 3]!, own[at + 4]!, own[at + 5]!);
      if (compare(ownEndLine, ownEndCol, endLine, endCol) >= 0) break;
      index += 1;
      if (index >= count) break outer;
      [ownEndLine, ownEndCol] = endOf(index);
    }
  }
  return sortByDst(result);
}
