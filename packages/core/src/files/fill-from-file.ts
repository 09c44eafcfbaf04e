import { readSync } from 'node:fs';

/**
 * Fills `into` from the start of the open file `fd`; false when the file no longer has exactly that
 * many bytes (it changed since its size was read), so the caller reads it again as it is now.
 */
export function fillFromFile(fd: number, into: Uint8Array): boolean {
  let at = 0;
  while (at < into.length) {
    const bytesRead = readSync(fd, into, at, into.length - at, at);
    if (bytesRead === 0) return false;
    at += bytesRead;
  }
  return readSync(fd, Buffer.alloc(1), 0, 1, at) === 0;
}
