import { randomBytes } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562) whose 12-bit `rand_a` field is a per-millisecond counter, so ids made by this
 * process sort in creation order: the list endpoints use the id as the tiebreak after `created_at`.
 */
export function uuid7(nowMs: number = Date.now()): string {
  const bytes = randomBytes(16);
  let ms = Math.max(nowMs, lastMs);
  if (ms === lastMs) {
    sequence += 1;
    if (sequence > 0xfff) {
      ms += 1;
      sequence = 0;
    }
  } else {
    sequence = bytes[6]! & 0x3f; // a random start leaves room for many ids in the same millisecond
  }
  lastMs = ms;
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Python's `uuid.UUID(text)`, which the real server uses on ids: `urn:uuid:` and braces are allowed,
 * hyphens anywhere. Returns the canonical lowercase form, or undefined when it is no UUID.
 */
export function parseUuid(text: string): string | undefined {
  const hex = text
    .replace('urn:', '')
    .replace('uuid:', '')
    .replace(/^\{+|\}+$/g, '')
    .replaceAll('-', '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** PostHog's `secrets.token_urlsafe(32)` with its prefix: `phx_` personal keys, `phc_` project tokens. */
export function randomToken(prefix: 'phx_' | 'phc_'): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}
