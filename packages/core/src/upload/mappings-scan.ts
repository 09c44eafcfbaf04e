// One pass over a map's `mappings` bytes that checks, without building tokens, what the fast path of
// the event-mode hash (mappings-splice.ts) relies on: that the sourcemap crate's decoder accepts them
// as the general path would, and that each line the injection did not touch is in its encoder's own
// form, so that decoding and re-encoding it would give back its bytes.

import type { DecoderState } from './mappings-codec';

/** Base64 digits; BAD for bytes that are neither a digit nor a separator. */
const BAD = -1;
const DIGIT = new Int8Array(256).fill(BAD);
DIGIT[44] = -2; // ,
DIGIT[59] = -3; // ;
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let index = 0; index < BASE64.length; index++) DIGIT[BASE64.charCodeAt(index)] = index;

const COMMA = 44;
const SEMICOLON = 59;

/** In `from`: a line whose tokens would join another line's (the scan refuses it if it has any). */
export const MUST_BE_EMPTY = -2;

/** Where a line starts in the bytes and the decoder's running values there. */
export interface LineMark extends DecoderState {
  offset: number;
}

/** In a line kept from a column on: just after the first token at or past it, and that token's column. */
export interface TailMark extends LineMark {
  col: number;
}

export interface MappingsScan {
  /** Marks for line 0 and every line that is not plain or follows one that is not, in order. */
  marks: LineMark[];
  /** For each line kept from a column `from[line] > 0` on that has a token there: where its tail starts. */
  tails: TailMark[];
  /** Lines in the mappings (`;` count + 1). */
  lines: number;
}

/**
 * Scans `bytes[start, end)`. `from[line]` is the column from which the adjustment moves a line's
 * tokens all alike (0: the whole line stays as it is), or -1. Such a line must be canonical: no empty
 * segment, VLQs of minimal length (no `-0`), columns not decreasing and not negative, not two tokens
 * at that column (the composition drops the first), no token equal to the one before it. A line
 * marked MUST_BE_EMPTY must have no token. Undefined when that does not hold, or when the decoder would refuse the
 * mappings (2, 3 or 6+ fields, a bad digit, a source or name index out of range), or a value leaves the
 * int32 range: the general path then decides.
 */
export function scanMappings(
  bytes: Uint8Array,
  start: number,
  end: number,
  sources: number,
  names: number,
  from: Int32Array,
): MappingsScan | undefined {
  const marks: LineMark[] = [];
  const tails: TailMark[] = [];
  const fields = new Int32Array(5);
  let srcId = 0;
  let srcLine = 0;
  let srcCol = 0;
  let nameId = 0;
  let line = 0;
  let pos = start;
  let previousPlain = false;
  for (;;) {
    const kept = line < from.length ? from[line]! : -1;
    const checked = kept >= 0;
    const isPlain = kept === 0;
    let tail = kept > 0;
    if (line === 0 || (line <= from.length && (!isPlain || !previousPlain)))
      marks.push({ line, offset: pos, srcId, srcLine, srcCol, nameId });
    previousPlain = isPlain;
    let col = 0;
    let segment = 0;
    let lastCount = 0;
    let afterComma = false;
    // One segment per turn, `pos` at its first byte (or at the separator after it).
    for (;;) {
      let count = 0;
      let canonical = true;
      while (pos < end) {
        let digit = DIGIT[bytes[pos]!]!;
        if (digit < 0) {
          if (digit === BAD) return undefined;
          break; // `,` or `;`
        }
        if (count === 5) return undefined;
        pos++;
        let result = digit & 31;
        if ((digit & 32) !== 0) {
          let digits = 1;
          do {
            if (pos >= end || digits === 6) return undefined;
            digit = DIGIT[bytes[pos++]!]!;
            if (digit < 0) return undefined;
            result |= (digit & 31) << (5 * digits++);
          } while ((digit & 32) !== 0);
          // A longer form than needed: the encoder would write fewer digits.
          if (digit === 0) canonical = false;
        }
        if (result === 1) canonical = false; // `-0`
        fields[count++] = (result & 1) === 1 ? -(result >>> 1) : result >>> 1;
      }
      if (count === 0) {
        // An empty segment (`,,`, `,;`, a leading or trailing `,`): skipped, never written.
        if (checked && (afterComma || (pos < end && bytes[pos] === COMMA))) return undefined;
      } else {
        if (count === 2 || count === 3 || kept === MUST_BE_EMPTY) return undefined;
        const f0 = fields[0]!;
        if (checked) {
          if (!canonical || f0 < 0) return undefined;
          if (f0 === 0 && segment > 0) {
            // Two tokens at the column the line is kept from: the composition drops the first.
            if (col === kept) return undefined;
            // Equal to the token before it: the encoder drops it.
            if (
              count === lastCount &&
              (count === 1 ||
                (fields[1] === 0 && fields[2] === 0 && fields[3] === 0 && (count === 4 || fields[4] === 0)))
            )
              return undefined;
          }
        }
        col += f0;
        if ((col | 0) !== col) return undefined;
        if (count > 1) {
          srcId += fields[1]!;
          srcLine += fields[2]!;
          srcCol += fields[3]!;
          if (srcId < 0 || srcId >= sources) return undefined;
          if ((srcLine | 0) !== srcLine || (srcCol | 0) !== srcCol) return undefined;
          if (count === 5) {
            nameId += fields[4]!;
            if (nameId < 0 || nameId >= names) return undefined;
          }
        }
        lastCount = count;
        segment++;
        if (tail && col >= kept) {
          tails.push({ line, offset: pos, col, srcId, srcLine, srcCol, nameId });
          tail = false;
        }
      }
      if (pos >= end) return { marks, tails, lines: line + 1 };
      if (bytes[pos++] === SEMICOLON) break;
      afterComma = true;
    }
    line++;
  }
}
