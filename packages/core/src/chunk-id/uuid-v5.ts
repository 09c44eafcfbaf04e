import { createHash } from 'node:crypto';
import { HogmapsError } from '../errors';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

function uuidBytes(uuid: string): Buffer {
  if (!isUuid(uuid)) throw new HogmapsError('invalid_uuid', `Not a UUID: ${JSON.stringify(uuid)}`);
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

/**
 * RFC 4122 version 5 UUID: SHA-1 over namespace bytes ‖ name bytes, truncated to 16 bytes, then the
 * version nibble set to 5 and the variant bits to `10`. Lowercase, hyphenated.
 */
export function uuidV5(name: Uint8Array, namespace: string): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
