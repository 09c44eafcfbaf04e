// Moves generated columns inside an encoded `mappings` string. Inline injection on one line needs
// nothing more, and editing the VLQ text in place keeps every other byte of a large map.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGITS = new Map([...BASE64].map((char, index) => [char, index]));

function decodeVlq(text: string, pos: number): [value: number, next: number] {
  let result = 0;
  let scale = 1;
  for (;;) {
    const digit = DIGITS.get(text[pos++] ?? '');
    if (digit === undefined)
      throw new Error(`invalid VLQ in mappings near ${JSON.stringify(text.slice(0, 32))}`);
    result += (digit & 31) * scale;
    scale *= 32;
    if ((digit & 32) === 0) break;
  }
  const magnitude = Math.floor(result / 2);
  return [result % 2 === 1 ? -magnitude : magnitude, pos];
}

function encodeVlq(value: number): string {
  let rest = value < 0 ? -value * 2 + 1 : value * 2;
  let out = '';
  do {
    let digit = rest % 32;
    rest = Math.floor(rest / 32);
    if (rest > 0) digit |= 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

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
