// SHA-512 off the main thread. node:crypto's Hash runs on the calling thread; WebCrypto's digest runs
// on libuv's thread pool, so a set's hash overlaps the next set's scan and the requests in flight
// instead of holding them up (a build's upload hashes about as many bytes as it reads). WebCrypto
// takes one buffer, so pieces are joined first, into one scratch buffer: digest() copies its input
// before it returns (WebCrypto: "get a copy of the bytes held by the data parameter"), so the
// scratch is free again at once, and a build's hashes leave no garbage buffers behind (each one
// would wait for a collection, which a bundler's large heap makes rare). Past a few MiB the copies
// cost more than they free, and such an input is hashed here, in place.
import { createHash, webcrypto } from 'node:crypto';

/** Inputs up to this size are hashed on the pool. */
export const MAX_POOL_HASH_BYTES = 8 * 1024 * 1024;

type Piece = string | Uint8Array;

function byteLength(piece: Piece): number {
  return typeof piece === 'string' ? Buffer.byteLength(piece, 'utf8') : piece.byteLength;
}

/** Joins of up to this size reuse one buffer; a larger join is a buffer of its own. */
const SCRATCH_MAX_BYTES = 1024 * 1024;
let scratch: Buffer | undefined;

function join(pieces: readonly Piece[], total: number): Uint8Array {
  if (pieces.length === 1 && typeof pieces[0] !== 'string') return pieces[0]!;
  let joined: Buffer;
  if (total > SCRATCH_MAX_BYTES) joined = Buffer.allocUnsafeSlow(total);
  else {
    if (!scratch || scratch.length < total) scratch = Buffer.allocUnsafeSlow(SCRATCH_MAX_BYTES);
    joined = scratch.subarray(0, total);
  }
  let at = 0;
  for (const piece of pieces) {
    if (typeof piece === 'string') at += joined.write(piece, at, 'utf8');
    else {
      joined.set(piece, at);
      at += piece.byteLength;
    }
  }
  return joined;
}

/** Lowercase hex SHA-512 of the bytes, or of the pieces one after the other (strings as UTF-8). */
export async function sha512HexAsync(data: Uint8Array | readonly Piece[]): Promise<string> {
  const pieces = data instanceof Uint8Array ? [data] : data;
  let total = 0;
  for (const piece of pieces) total += byteLength(piece);
  if (total > MAX_POOL_HASH_BYTES) {
    const hash = createHash('sha512');
    for (const piece of pieces) hash.update(piece);
    return hash.digest('hex');
  }
  // Copied before digest() returns: the scratch may be joined into again right away.
  const digest = webcrypto.subtle.digest('SHA-512', join(pieces, total));
  return Buffer.from(await digest).toString('hex');
}
