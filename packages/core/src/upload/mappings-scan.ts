// One pass over a map's `mappings` bytes that checks, without building tokens, what the fast path of
// the event-mode hash (mappings-splice.ts) relies on: that the sourcemap crate's decoder accepts them
// as the general path would, and that each line the injection did not touch is in its encoder's own
// form, so that decoding and re-encoding it would give back its bytes.

import type { DecoderState } from './mappings-codec';

const DIGIT = new Int8Array(256).fill(-1);
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let index = 0; index < BASE64.length; index++) DIGIT[BASE64.charCodeAt(index)] = index;

const COMMA = 44;
const SEMICOLON = 59;

/** Where a line starts in the bytes and the decoder's running values there. */
export interface LineMark extends DecoderState {
  offset: number;
}

export interface MappingsScan {
  /** Marks for line 0 and every line that is not plain or follows one that is not, in order. */
  marks: LineMark[];
  /** Lines in the mappings (`;` count + 1). */
  lines: number;
}

/**
 * Scans `bytes[start, end)`. `plain[line]` is 1 for a line whose tokens the adjustment keeps as they
 * are; such a line must be canonical: no empty segment, VLQs of minimal length (no `-0`), columns not
 * decreasing and not negative, not two tokens at column 0 (the composition drops the first), no token
 * equal to the one before it. Undefined when that does not hold, or when the decoder would refuse the
 * mappings (2, 3 or 6+ fields, a bad digit, a source or name index out of range), or a value leaves the
 * int32 range: the general path then decides.
 */
export function scanMappings(
  bytes: Uint8Array,
  start: number,
  end: number,
  sources: number,
  names: number,
  plain: Uint8Array,
): MappingsScan | undefined {
  const marks: LineMark[] = [];
  let srcId = 0;
  let srcLine = 0;
  let srcCol = 0;
  let nameId = 0;
  let line = 0;
  let pos = start;
  let previousPlain = false;
  for (;;) {
    const isPlain = line < plain.length && plain[line] === 1;
    if (line === 0 || (line <= plain.length && (!isPlain || !previousPlain)))
      marks.push({ line, offset: pos, srcId, srcLine, srcCol, nameId });
    previousPlain = isPlain;
    let col = 0;
    let segment = 0;
    let lastCount = 0;
    let afterComma = false;
    // One segment per turn, `pos` at its first byte (or at the separator after it).
    for (;;) {
      let count = 0;
      let f0 = 0;
      let f1 = 0;
      let f2 = 0;
      let f3 = 0;
      let f4 = 0;
      let canonical = true;
      while (pos < end) {
        const first = bytes[pos]!;
        if (first === COMMA || first === SEMICOLON) break;
        if (count === 5) return undefined;
        let result = 0;
        let digits = 0;
        let digit: number;
        do {
          if (pos >= end || digits === 6) return undefined;
          digit = DIGIT[bytes[pos++]!]!;
          if (digit < 0) return undefined;
          result |= (digit & 31) << (5 * digits++);
        } while ((digit & 32) !== 0);
        // A longer form than needed, or `-0`: the encoder would write other bytes.
        if ((digits > 1 && digit === 0) || result === 1) canonical = false;
        const value = (result & 1) === 1 ? -(result >>> 1) : result >>> 1;
        if (count === 0) f0 = value;
        else if (count === 1) f1 = value;
        else if (count === 2) f2 = value;
        else if (count === 3) f3 = value;
        else f4 = value;
        count++;
      }
      if (count === 0) {
        // An empty segment (`,,`, `,;`, a leading or trailing `,`): skipped, never written.
        if (isPlain && (afterComma || (pos < end && bytes[pos] === COMMA))) return undefined;
      } else {
        if (count === 2 || count === 3) return undefined;
        if (isPlain) {
          if (!canonical || f0 < 0) return undefined;
          // Two tokens at column 0: the composition drops the first.
          if (segment === 1 && col === 0 && f0 === 0) return undefined;
          // Equal to the token before it: the encoder drops it.
          if (segment > 0 && f0 === 0 && count === lastCount && f1 === 0 && f2 === 0 && f3 === 0 && f4 === 0)
            return undefined;
        }
        col += f0;
        if ((col | 0) !== col) return undefined;
        if (count > 1) {
          srcId += f1;
          srcLine += f2;
          srcCol += f3;
          if (srcId < 0 || srcId >= sources) return undefined;
          if ((srcLine | 0) !== srcLine || (srcCol | 0) !== srcCol) return undefined;
          if (count === 5) {
            nameId += f4;
            if (nameId < 0 || nameId >= names) return undefined;
          }
        }
        lastCount = count;
        segment++;
      }
      if (pos >= end) return { marks, lines: line + 1 };
      if (bytes[pos++] === SEMICOLON) break;
      afterComma = true;
    }
    line++;
  }
}
