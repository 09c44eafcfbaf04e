import { createHash, type Hash } from '../crypto-on-use';
import { HogmapsError } from '../errors';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

function uuidBytes(uuid: string): Buffer {
  if (!isUuid(uuid)) throw new HogmapsError('invalid_uuid', `Not a UUID: ${JSON.stringify(uuid)}`);
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

/** Reused across calls: encoding a 10 MB chunk into a fresh Buffer costs fresh pages every time. */
let scratch: Uint8Array | undefined;
const encoder = new TextEncoder();

/** Feeds the UTF-8 of `text` to `hash` (as `Buffer.from(text)` encodes it) through a small buffer. */
function updateUtf8(hash: Hash, text: string): void {
  scratch ??= new Uint8Array(256 * 1024);
  for (let pos = 0; pos < text.length; ) {
    // encodeInto stops before a character that does not fit, so a surrogate pair is never split.
    const { read, written } = encoder.encodeInto(pos === 0 ? text : text.slice(pos), scratch);
    hash.update(scratch.subarray(0, written));
    pos += read;
  }
}

/**
 * RFC 4122 version 5 UUID: SHA-1 over namespace bytes ‖ name bytes, truncated to 16 bytes, then the
 * version nibble set to 5 and the variant bits to `10`. Lowercase, hyphenated. The name is given as
 * parts, concatenated; a string part counts as its UTF-8 bytes.
 */
export function uuidV5(name: Uint8Array | readonly (string | Uint8Array)[], namespace: string): string {
  const hash = createHash('sha1').update(uuidBytes(namespace));
  for (const part of name instanceof Uint8Array ? [name] : name) {
    if (typeof part === 'string') updateUtf8(hash, part);
    else hash.update(part);
  }
  const bytes = hash.digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
