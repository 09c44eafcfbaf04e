// Base64 VLQ, as source-map `mappings` encode numbers.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGITS = new Int8Array(128).fill(-1);
for (let index = 0; index < BASE64.length; index++) DIGITS[BASE64.charCodeAt(index)] = index;
const CHAR_CODES = Uint8Array.from(BASE64, (char) => char.charCodeAt(0));

/** Reads one VLQ value at `pos`; returns it and the position after it. Throws on malformed input. */
export function readVlq(text: string, pos: number): [value: number, next: number] {
  let result = 0;
  let scale = 1;
  for (;;) {
    const code = text.charCodeAt(pos++);
    const digit = code < 128 ? DIGITS[code]! : -1;
    if (digit < 0) throw new Error(`invalid VLQ in mappings at character ${pos - 1}`);
    result += (digit & 31) * scale;
    scale *= 32;
    if ((digit & 32) === 0) break;
  }
  const magnitude = Math.floor(result / 2);
  return [result % 2 === 1 ? -magnitude : magnitude, pos];
}

const SCRATCH = new Uint8Array(16);

export function writeVlq(value: number): string {
  return String.fromCharCode(...SCRATCH.subarray(0, writeVlqBytes(value, SCRATCH, 0)));
}

/**
 * Writes one VLQ value as ASCII into `out` at `at` (room for 7 bytes per 32-bit value, more for larger
 * ones); returns the position after it. For encoders that build a whole `mappings` string in one buffer.
 */
export function writeVlqBytes(value: number, out: Uint8Array, at: number): number {
  let rest = value < 0 ? -value * 2 + 1 : value * 2;
  let pos = at;
  do {
    let digit = rest % 32;
    rest = Math.floor(rest / 32);
    if (rest > 0) digit |= 32;
    out[pos++] = CHAR_CODES[digit]!;
  } while (rest > 0);
  return pos;
}
