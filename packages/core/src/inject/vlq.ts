// Base64 VLQ, as source-map `mappings` encode numbers.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGITS = new Int8Array(128).fill(-1);
for (let index = 0; index < BASE64.length; index++) DIGITS[BASE64.charCodeAt(index)] = index;

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

export function writeVlq(value: number): string {
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
