// JSON values copied from a map's bytes instead of parsed and serialized again, where the bytes are
// already what `JSON.stringify` writes (the event-mode hash serializes as serde_json, which for these
// values writes the same): most of a map is `sourcesContent`, so this saves building and re-encoding
// tens of MB of strings.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Escape letters JSON.stringify writes as they are: `"` `\` b f n r t. */
const SHORT_ESCAPE = new Uint8Array(256);
for (const char of '"\\bfnrt') SHORT_ESCAPE[char.charCodeAt(0)] = 1;
/** Control characters JSON.stringify writes as `\u00xx` (the rest have a short escape). */
const UNICODE_ESCAPED = new Uint8Array(0x20).fill(1);
for (const code of [8, 9, 10, 12, 13]) UNICODE_ESCAPED[code] = 0;

function lowerHex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/**
 * The end (one past the closing quote) of the JSON string whose opening quote is at `at`, when its
 * escapes are all ones JSON.stringify writes (`\/`, `\u0041`, upper-case hex or a `\u` escape of
 * anything but a control character are not); -1 otherwise. The bytes are valid JSON and UTF-8.
 */
export function canonicalStringEnd(bytes: Uint8Array, at: number): number {
  let quote = bytes.indexOf(QUOTE, at + 1);
  let backslash = bytes.indexOf(BACKSLASH, at + 1);
  if (backslash < 0 || backslash > quote) return quote + 1;
  // Escape by escape (a source holds one per line break); the closing quote is the first one past
  // the last escape.
  for (;;) {
    const letter = bytes[backslash + 1]!;
    let next: number;
    if (letter === 0x75) {
      const code =
        (lowerHex(bytes[backslash + 2]!) << 12) |
        (lowerHex(bytes[backslash + 3]!) << 8) |
        (lowerHex(bytes[backslash + 4]!) << 4) |
        lowerHex(bytes[backslash + 5]!);
      if (code < 0 || code >= 0x20 || UNICODE_ESCAPED[code] !== 1) return -1;
      next = backslash + 6;
    } else {
      if (SHORT_ESCAPE[letter] !== 1) return -1;
      next = backslash + 2;
    }
    if (quote < next) quote = bytes.indexOf(QUOTE, next);
    const following = bytes.indexOf(BACKSLASH, next);
    if (following < 0 || following > quote) return quote + 1;
    backslash = following;
  }
}

const BLANK = new Uint8Array(256);
for (const char of ' \t\n\r') BLANK[char.charCodeAt(0)] = 1;

/** A JSON array read from bytes: its serialized form as pieces, and whether it holds a string. */
export interface SerializedArray {
  pieces: Uint8Array[];
  hasString: boolean;
}

/**
 * The array at `bytes[start, end)` (valid JSON, as the map scan checked) serialized as
 * JSON.stringify writes it, from views of the bytes: strings, `null`, `true` and `false` (blanks
 * between them dropped). Undefined for anything else inside (numbers, arrays, objects) or a string
 * with an escape JSON.stringify would write otherwise: parse that value instead.
 */
export function serializedArray(bytes: Uint8Array, start: number, end: number): SerializedArray | undefined {
  const items: number[] = [];
  let hasString = false;
  let blanks = false;
  let at = start + 1;
  const close = end - 1;
  for (;;) {
    while (BLANK[bytes[at]!] === 1) {
      at++;
      blanks = true;
    }
    if (at === close) break;
    const c = bytes[at]!;
    let itemEnd: number;
    if (c === QUOTE) {
      itemEnd = canonicalStringEnd(bytes, at);
      if (itemEnd < 0) return undefined;
      hasString = true;
    } else if (c === 0x6e /* null */ || c === 0x74 /* true */) itemEnd = at + 4;
    else if (c === 0x66 /* false */) itemEnd = at + 5;
    else return undefined;
    items.push(at, itemEnd);
    at = itemEnd;
    while (BLANK[bytes[at]!] === 1) {
      at++;
      blanks = true;
    }
    if (bytes[at] === 0x2c) at++;
  }
  if (!blanks) return { pieces: [bytes.subarray(start, end)], hasString };
  const pieces: Uint8Array[] = [Buffer.from('[')];
  for (let index = 0; index < items.length; index += 2) {
    if (index > 0) pieces.push(Buffer.from(','));
    pieces.push(bytes.subarray(items[index]!, items[index + 1]!));
  }
  pieces.push(Buffer.from(']'));
  return { pieces, hasString };
}
