// The fast path of the event-mode `mappings` (pristine-mappings.ts composes the whole token list):
// generated columns restart on every line, so a line the removal leaves where it was, whose bytes are
// already what the sourcemap crate's encoder writes (mappings-scan.ts checks), comes out of
// decode + adjust + encode byte for byte as it went in, as long as the running source and name values
// before it are the same on both sides. Only the lines the removal touches are composed; the rest are
// copied as views of the map's bytes. Anything the scan cannot vouch for returns undefined, and the
// caller takes the general path.

import { decodeMappings, MappingsEncoder, WIDTH } from './mappings-codec';
import { type LineMark, scanMappings } from './mappings-scan';
import { type AdjustmentToken, adjustTokens, removalAdjustment } from './pristine-mappings';

interface LinePlan {
  /** 1 for a line the adjustment maps as a whole onto one line of its own, column for column. */
  plain: Uint8Array;
  /** The pristine line each line of the code goes to (for plain lines). */
  dst: Int32Array;
}

/** Which lines of the code the removal leaves intact, from its adjustment tokens (in source order). */
function planLines(adjustment: AdjustmentToken[]): LinePlan {
  const lines = adjustment.length === 0 ? 0 : adjustment[adjustment.length - 1]!.srcLine + 1;
  const plain = new Uint8Array(lines);
  const dst = new Int32Array(lines).fill(-1);
  const count = new Int32Array(lines);
  for (const token of adjustment) {
    count[token.srcLine]!++;
    dst[token.srcLine] = token.dstLine;
    if (token.srcCol === 0 && token.dstCol === 0) plain[token.srcLine] = 1;
  }
  // Two source lines that share a pristine line (the removal took the break between them) are both
  // composed: their tokens are sorted together.
  let previous = -1;
  for (let line = 0; line < lines; line++) {
    if (count[line] === 0) continue;
    if (count[line] !== 1) plain[line] = 0;
    if (previous >= 0 && dst[previous] === dst[line]) {
      plain[previous] = 0;
      plain[line] = 0;
    }
    previous = line;
  }
  return { plain, dst };
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
  code: string,
  removals: ReadonlyArray<[number, number]>,
  sources: number,
  names: number,
): Uint8Array[] | undefined {
  const adjustment = removalAdjustment(code, removals);
  const { plain, dst } = planLines(adjustment);
  const scan = scanMappings(bytes, start, end, sources, names, plain);
  if (!scan) return undefined;
  const { marks } = scan;
  const encoder = new MappingsEncoder();
  const endOf = (index: number) => (index + 1 < marks.length ? marks[index + 1]!.offset - 1 : end);
  const lineAfter = (index: number) => (index + 1 < marks.length ? marks[index + 1]!.line : scan.lines);
  let adjustAt = 0;
  for (let index = 0; index < marks.length; ) {
    const mark = marks[index]!;
    if (mark.line < plain.length && plain[mark.line] === 1) {
      // A run of plain lines up to the next mark.
      const state = encoder.state;
      if (
        state.srcId !== mark.srcId ||
        state.srcLine !== mark.srcLine ||
        state.srcCol !== mark.srcCol ||
        state.nameId !== mark.nameId
      )
        return undefined;
      const last = lineAfter(index) - 1;
      let from = mark.offset;
      let to = endOf(index);
      let first = mark.line;
      let final = last;
      while (from < to && bytes[from] === SEMICOLON) {
        from++;
        first++;
      }
      while (to > from && bytes[to - 1] === SEMICOLON) {
        to--;
        final--;
      }
      const after: LineMark = index + 1 < marks.length ? marks[index + 1]! : mark;
      if (from < to) encoder.copy(bytes.subarray(from, to), dst[first]!, dst[final]!, after);
      index++;
      continue;
    }
    // Lines that are not plain, up to the next plain mark: composed as the general path does.
    let stop = index + 1;
    while (stop < marks.length && !(marks[stop]!.line < plain.length && plain[marks[stop]!.line] === 1))
      stop++;
    const lastLine = lineAfter(stop - 1) - 1;
    while (adjustAt < adjustment.length && adjustment[adjustAt]!.srcLine < mark.line) adjustAt++;
    let adjustEnd = adjustAt;
    while (adjustEnd < adjustment.length && adjustment[adjustEnd]!.srcLine <= lastLine) adjustEnd++;
    if (adjustEnd > adjustAt) {
      const tokens = decodeMappings(
        latin1(bytes.subarray(mark.offset, endOf(stop - 1))),
        sources,
        names,
        mark,
      );
      const result = adjustTokens(tokens, adjustment.slice(adjustAt, adjustEnd));
      for (let token = 0; token < result.length; token++) encoder.push(result.data, token * WIDTH);
    }
    index = stop;
  }
  return encoder.finish();
}
