import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_POOL_HASH_BYTES, sha512HexAsync } from './sha512-async';

const direct = (pieces: Array<string | Uint8Array>) => {
  const hash = createHash('sha512');
  for (const piece of pieces) hash.update(piece);
  return hash.digest('hex');
};

describe('sha512HexAsync', () => {
  it('hashes bytes, and pieces one after the other with strings as UTF-8, as node:crypto does', async () => {
    const bytes = Buffer.from('{"version":3}');
    expect(await sha512HexAsync(bytes)).toBe(direct([bytes]));
    const pieces = ['é€😀\0', bytes.subarray(2, 9), '', new Uint8Array([0, 255, 1]), '\u2028tail'];
    expect(await sha512HexAsync(pieces)).toBe(direct(pieces));
    expect(await sha512HexAsync([])).toBe(direct([]));
  });

  it('joins into one scratch buffer, which the next hash may overwrite before the first settles', async () => {
    const sets = Array.from({ length: 20 }, (_, index) => [
      `set ${index}\0`,
      Buffer.alloc(50_000 + index * 997, index),
    ]);
    // All started in one turn: each join overwrites the scratch the one before was joined into.
    const hashes = await Promise.all(sets.map((pieces) => sha512HexAsync(pieces)));
    expect(hashes).toEqual(sets.map((pieces) => direct(pieces)));
  });

  it('hashes an input over the pool limit in place, with the same result', async () => {
    const big = Buffer.alloc(MAX_POOL_HASH_BYTES + 1, 7);
    expect(await sha512HexAsync(['head', big])).toBe(direct(['head', big]));
  });
});
