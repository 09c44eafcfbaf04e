// The fast path of the event-mode `mappings` (pristine-mappings.ts composes the whole token list):
// generated columns restart on every line, so a line the removal leaves where it was, whose bytes are
// already what the sourcemap crate's encoder writes (mappings-scan.ts checks), comes out of
// decode + adjust + encode byte for byte as it went in, as long as the running source and name values
// before it are the same on both sides. Only the lines the removal touches are composed; the rest are
// copied as views of the map's bytes. Anything the scan cannot vouch for returns undefined, and the
// caller takes the general path.

import type { CodeText } from './code-text';
import { Int32Scratch } from './int32-scratch';
import { decodeMappings, MappingsEncoder, WIDTH } from './mappings-codec';
import { type LineMark, MUST_BE_EMPTY, scanMappings, type TailMark } from './mappings-scan';
import {
  ADJUST_WIDTH,
  type AdjustmentTokens,
  adjustmentSlice,
  adjustTokens,
  removalAdjustment,
} from './pristine-mappings';

interface LinePlan {
  /**
   * Per line of the code: -1, or the column from which the adjustment moves all its tokens alike
   * (by `shift`) onto a pristine line of their own; 0 for a line that stays as it is; MUST_BE_EMPTY.
   */
  from: Int32Array;
  shift: Int32Array;
  /** The pristine line each line of the code goes to. */
  dst: Int32Array;
}

const planMemory = new Int32Scratch(3 * 1024);

/**
 * How the removal moves each line of the code, from its adjustment tokens (in source order). Valid
 * until the next call (its memory is reused: int32-scratch.ts).
 */
function planLines(adjustment: AdjustmentTokens): LinePlan {
  const count = adjustment.length;
  const lines = count === 0 ? 0 : adjustment.data[(count - 1) * ADJUST_WIDTH + 2]! + 1;
  const memory = planMemory.take(3 * lines);
  const plan: LinePlan = {
    from: memory.subarray(0, lines).fill(-1),
    shift: memory.subarray(lines, 2 * lines).fill(0),
    dst: memory.subarray(2 * lines).fill(-1),
  };
  // One loop per function: V8 compiles a long loop while it runs (on-stack replacement), and code
  // after it in the same function, never run before, then deoptimized that compiled loop on each of
  // the next calls (seen in webpack's upload); a function that returns after its loop has none.
  placeTokens(plan, adjustment);
  settleLines(plan);
  return plan;
}

function placeTokens({ from, shift, dst }: LinePlan, { data, length }: AdjustmentTokens): void {
  for (let at = 0; at < length * ADJUST_WIDTH; at += ADJUST_WIDTH) {
    // The last range of a line runs to its end: tokens in it move by one shift.
    const srcLine = data[at + 2]!;
    from[srcLine] = data[at + 3]!;
    shift[srcLine] = data[at + 1]! - data[at + 3]!;
    dst[srcLine] = data[at]!;
  }
}

function settleLines({ from, shift, dst }: LinePlan): void {
  let previous = -1;
  for (let line = 0; line < from.length; line++) {
    // Source lines that share a pristine line (the removal took the break between them) would have
    // their tokens sorted together: the first keeps its plan only if the others have no token (the
    // scan checks: a `//# sourceMappingURL` line after the comment has none).
    if (dst[line] !== -1) {
      if (previous >= 0 && dst[previous] === dst[line]) from[line] = MUST_BE_EMPTY;
      else previous = line;
    }
    if (from[line] === 0 && shift[line] !== 0) from[line] = -1;
  }
}

const latin1 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
const SEMICOLON = 59;

/**
 * The pristine `mappings` (as pristine-mappings.ts composes and encodes them) of the map whose
 * `mappings` string lies unescaped in `bytes[start, end)`, as byte pieces; undefined when the fast
 * path cannot vouch for the result.
 */
export function splicePristineMappings(
  bytes: Uint8Array,
  start: number,
  end: number,
  code: CodeText,
  removals: ReadonlyArray<[number, number]>,
  sources: number,
  names: number,
): Uint8Array[] | undefined {
  const adjustment = removalAdjustment(code, removals);
  const { from, shift, dst } = planLines(adjustment);
  const scan = scanMappings(bytes, start, end, sources, names, from);
  if (!scan) return undefined;
  const { marks, tails } = scan;
  const encoder = new MappingsEncoder();
  const isPlain = (line: number) => line < from.length && from[line] === 0;
  const endOf = (index: number) => (index + 1 < marks.length ? marks[index + 1]!.offset - 1 : end);
  const lineAfter = (index: number) => (index + 1 < marks.length ? marks[index + 1]!.line : scan.lines);
  const srcLineOf = (token: number) => adjustment.data[token * ADJUST_WIDTH + 2]!;
  const sameState = (mark: LineMark) => {
    const state = encoder.state;
    return (
      state.srcId === mark.srcId &&
      state.srcLine === mark.srcLine &&
      state.srcCol === mark.srcCol &&
      state.nameId === mark.nameId
    );
  };
  let adjustAt = 0;
  let tailAt = 0;
  for (let index = 0; index < marks.length; ) {
    const mark = marks[index]!;
    const after: LineMark = index + 1 < marks.length ? marks[index + 1]! : mark;
    if (isPlain(mark.line)) {
      // A run of plain lines up to the next mark.
      if (!sameState(mark)) return undefined;
      const last = lineAfter(index) - 1;
      let first = mark.line;
      let final = last;
      let at = mark.offset;
      let to = endOf(index);
      while (at < to && bytes[at] === SEMICOLON) {
        at++;
        first++;
      }
      while (to > at && bytes[to - 1] === SEMICOLON) {
        to--;
        final--;
      }
      if (at < to) encoder.copy(bytes.subarray(at, to), dst[first]!, dst[final]!, after);
      index++;
      continue;
    }
    // Lines that are not plain (each has a mark of its own), up to the next plain one or the first
    // with a tail: composed as the general path does; then that tail is copied.
    while (tailAt < tails.length && tails[tailAt]!.line < mark.line) tailAt++;
    let stop = index;
    let tail: TailMark | undefined;
    for (; stop < marks.length && !isPlain(marks[stop]!.line); stop++) {
      if (tailAt < tails.length && tails[tailAt]!.line === marks[stop]!.line) {
        tail = tails[tailAt]!;
        break;
      }
    }
    const lastLine = tail ? tail.line : lineAfter(stop - 1) - 1;
    while (adjustAt < adjustment.length && srcLineOf(adjustAt) < mark.line) adjustAt++;
    let adjustEnd = adjustAt;
    while (adjustEnd < adjustment.length && srcLineOf(adjustEnd) <= lastLine) adjustEnd++;
    if (adjustEnd > adjustAt) {
      const head = bytes.subarray(mark.offset, tail ? tail.offset : endOf(stop - 1));
      const tokens = decodeMappings(latin1(head), sources, names, mark);
      const result = adjustTokens(tokens, adjustmentSlice(adjustment, adjustAt, adjustEnd));
      for (let token = 0; token < result.length; token++) encoder.push(result.data, token * WIDTH);
      if (tail) {
        // The tail follows the token the scan stopped at, which must come out last, where it moves.
        const lastAt = (result.length - 1) * WIDTH;
        const moved = tail.col + shift[tail.line]!;
        if (
          result.length === 0 ||
          result.data[lastAt] !== dst[tail.line] ||
          result.data[lastAt + 1] !== moved
        )
          return undefined;
        if (!sameState(tail)) return undefined;
        const rest = bytes.subarray(tail.offset, endOf(stop));
        encoder.append(rest, stop + 1 < marks.length ? marks[stop + 1]! : tail);
      }
    }
    index = tail ? stop + 1 : stop;
  }
  return encoder.finish();
}
