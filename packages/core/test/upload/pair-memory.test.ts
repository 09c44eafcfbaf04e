import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeSymbolSet } from '../../src/container/decode';
import { PairMemory, recyclePair, UNCOUNTED_FROM_HEAP_BYTES } from '../../src/upload/pair-memory';
import { uploadInputsFrom } from '../../src/upload/path-inputs';
import { uploadSymbolSets } from '../../src/upload/pipeline';
import { readSourcePairInto } from '../../src/upload/read-pair';
import type { UploadOptions } from '../../src/upload/types';
import { useFakePostHog } from './fake-posthog';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-pair-memory-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes pair `name`, its JS about `size` bytes, and returns its files and their text. */
async function pairOnDisk(name: string, size: number) {
  const js = `/*${name}*/${`f(${JSON.stringify(name)});`.repeat(Math.ceil(size / 12))}\n`;
  const map = JSON.stringify({ version: 3, sources: [`${name}.ts`], names: [], mappings: 'AAAA;AACA' });
  const jsPath = path.join(dir, `${name}.js`);
  const mapPath = `${jsPath}.map`;
  await writeFile(jsPath, js);
  await writeFile(mapPath, map);
  return { name, jsPath, mapPath, js, map };
}

describe('PairMemory', () => {
  it('hands a recycled pair’s memory to the next pair, once', async () => {
    const memory = new PairMemory();
    const a = await pairOnDisk('a', 4000);
    const b = await pairOnDisk('b', 3000);
    const c = await pairOnDisk('c', 3000);
    const first = await readSourcePairInto(memory, a.jsPath, a.mapPath, 'a.js');
    recyclePair(first);
    const second = await readSourcePairInto(memory, b.jsPath, b.mapPath, 'b.js');
    expect(second.minified.buffer).toBe(first.minified.buffer);
    expect(second.minified.toString()).toBe(b.js);
    expect(second.map.toString()).toBe(b.map);
    // Giving `first` back again must not free what `second` now holds.
    recyclePair(first);
    const third = await readSourcePairInto(memory, c.jsPath, c.mapPath, 'c.js');
    expect(third.minified.buffer).not.toBe(second.minified.buffer);
    expect(second.minified.toString()).toBe(b.js);
    expect(third.minified.toString()).toBe(c.js);
  });

  it('takes fresh memory when no free memory is large enough', async () => {
    const memory = new PairMemory();
    const small = await pairOnDisk('small', 1000);
    const large = await pairOnDisk('large', 200_000);
    const first = await readSourcePairInto(memory, small.jsPath, small.mapPath, 'small.js');
    recyclePair(first);
    const second = await readSourcePairInto(memory, large.jsPath, large.mapPath, 'large.js');
    expect(second.minified.buffer).not.toBe(first.minified.buffer);
    expect(second.minified.toString()).toBe(large.js);
  });

  it('on a large heap, lends memory V8 does not count as external, so reads do not set off marking it', async () => {
    // 40 pairs of 1 MiB, none given back: as a build's first batches hold them for their check.
    const pair = await pairOnDisk('big', 1024 * 1024);
    const external = async (memory: PairMemory) => {
      const held: Array<{ minified: Buffer }> = [];
      const before = process.memoryUsage().external;
      for (let i = 0; i < 40; i++)
        held.push(await readSourcePairInto(memory, pair.jsPath, pair.mapPath, 'big.js'));
      return { grown: process.memoryUsage().external - before, buffer: held[0]!.minified.buffer };
    };
    const large = await external(new PairMemory(UNCOUNTED_FROM_HEAP_BYTES));
    // Buffers of their own would add the 40 MiB read (V8 marks the heap past 64 MB of it).
    expect(large.grown).toBeLessThan(4 * 1024 * 1024);
    expect(large.buffer).toBeInstanceOf(SharedArrayBuffer);
    // A small heap is cheap to mark: ordinary buffers, whose native searches are faster.
    const small = await external(new PairMemory(UNCOUNTED_FROM_HEAP_BYTES - 1));
    expect(small.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('never reuses memory it did not lend, or a pair whose container is that memory', async () => {
    const memory = new PairMemory();
    const a = await pairOnDisk('a', 4000);
    const b = await pairOnDisk('b', 3000);
    // A caller's own buffers, even views into one buffer, and strings: left alone.
    const own = Buffer.from(`${a.js}${a.map}`);
    recyclePair({ minified: own.subarray(0, a.js.length), map: own.subarray(a.js.length) });
    recyclePair({ minified: a.js, map: a.map });
    const first = await readSourcePairInto(memory, a.jsPath, a.mapPath, 'a.js');
    expect(first.minified.buffer).not.toBe(own.buffer);
    // Uncompressed, the container is the pair's own memory: it is sent later, so it is never reused.
    recyclePair(first, [Buffer.from(first.minified.buffer)]);
    const second = await readSourcePairInto(memory, b.jsPath, b.mapPath, 'b.js');
    expect(second.minified.buffer).not.toBe(first.minified.buffer);
    expect(first.minified.toString()).toBe(a.js);
  });
});

describe('uploading pairs read into reused memory', () => {
  const fake = useFakePostHog();

  const cases: Array<[string, UploadOptions]> = [
    ['symbol-set mode, zstd', { releaseMode: 'symbol-set', compression: 'zstd' }],
    ['event mode, zstd', { releaseMode: 'event', compression: 'zstd' }],
    ['event mode, held pairs over the budget', { releaseMode: 'event', maxBufferedBytes: 50_000 }],
    ['symbol-set mode, uncompressed', { releaseMode: 'symbol-set', compression: 'none' }],
    ['event mode, uncompressed', { releaseMode: 'event', compression: 'none' }],
  ];
  it.each(cases)('stores every pair exactly as written (%s)', async (_, options) => {
    // Sizes vary, so later pairs land in memory earlier (larger or smaller) pairs gave back.
    const pairs = await Promise.all(
      Array.from({ length: 24 }, (_, i) => pairOnDisk(`p${i}`, 2000 + ((i * 7919) % 23) * 1500)),
    );
    const inputs = uploadInputsFrom(
      pairs.map((pair) => ({ chunkId: pair.name, fileName: `${pair.name}.js`, ...pair })),
    );
    const summary = await uploadSymbolSets(fake.client, inputs, { concurrency: 4, batchSize: 5, ...options });
    expect(summary.failed).toEqual([]);
    expect(summary.uploaded).toHaveLength(pairs.length);
    for (const pair of pairs) {
      const row = fake.server.rows.get(pair.name)!;
      const stored = decodeSymbolSet(fake.server.objects.get(row.storageKey!)!);
      expect(stored.minified).toBe(pair.js);
      expect(stored.map).toBe(pair.map);
    }
  });
});
