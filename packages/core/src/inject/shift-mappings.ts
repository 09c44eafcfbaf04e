// Moves generated columns inside an encoded `mappings` string. Inline injection on one line needs
// nothing more, and editing the VLQ text in place keeps every other byte of a large map.

import { readVlq as decodeVlq, writeVlq as encodeVlq } from './vlq';

/**
 * Adds `delta` to every generated column at or after `fromColumn` on generated line `line` (0-based).
 * Only that line's column fields change: the other fields are relative across the whole map and
 * keep their values because no segment moves to another line or changes order.
 * Throws on malformed VLQ.
 */
export function shiftGeneratedColumns(
  mappings: string,
  line: number,
  fromColumn: number,
  delta: number,
): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const semicolon = mappings.indexOf(';', start);
    if (semicolon < 0) return mappings;
    start = semicolon + 1;
  }
  let end = mappings.indexOf(';', start);
  if (end < 0) end = mappings.length;
  if (start === end || delta === 0) return mappings;

  let previous = 0;
  let shiftedPrevious = 0;
  const segments = mappings
    .slice(start, end)
    .split(',')
    .map((segment) => {
      const [relative, next] = decodeVlq(segment, 0);
      const column = previous + relative;
      const shifted = column >= fromColumn ? column + delta : column;
      const encoded = encodeVlq(shifted - shiftedPrevious) + segment.slice(next);
      previous = column;
      shiftedPrevious = shifted;
      return encoded;
    });
  return mappings.slice(0, start) + segments.join(',') + mappings.slice(end);
}
