import { isUtf8 } from 'node:buffer';

const checked = new WeakSet<Uint8Array>();

/**
 * Marks bytes core read into memory of its own and found to be UTF-8. An uploaded pair is checked
 * when it is loaded and again by the steps after it (packing, the event hash): those checks are then
 * a lookup. Only core's own reads are marked, whose bytes nothing writes to afterwards (memory reused
 * for the next pair comes as new arrays); a caller's arrays are always checked afresh.
 */
export function markUtf8(bytes: Uint8Array): void {
  checked.add(bytes);
}

/** `isUtf8`, or true at once for bytes markUtf8 vouched for. */
export function isUtf8Checked(bytes: Uint8Array): boolean {
  return checked.has(bytes) || isUtf8(bytes);
}
