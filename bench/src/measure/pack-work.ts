// The work an upload must do, on one core and one pair at a time (nothing overlaps): read both files,
// zstd level 3 (the codec the pipeline uses on Node 20), and the content hash: SHA-512 of the
// container (symbol-set mode) or the event-mode hash of the pair (core's own function: the pair with
// the injection undone, which needs the map's `mappings` checked, then SHA-512). What issue #14
// measures the upload against: the pipeline alone (target 3) and the upload inside a build (target 2).
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { eventContentHash, readInjectedChunkId } from '@hogmaps/core';

/** A JS file and its map, by path. */
export interface PairFiles {
  js: string;
  map: string;
}

/** Single-core time of each step over all pairs, in ms. */
export interface PackingWork {
  /** Both files read with `fs/promises` `readFile` into new buffers: issue #14's measure. */
  readMs: number;
  /**
   * Both files read synchronously into one buffer reused from pair to pair, as the pipeline reads
   * them (absent from results before round 26): the least reading costs.
   */
  readReusedMs?: number;
  zstdMs: number;
  /** SHA-512 of the container (what symbol-set mode hashes). */
  shaContainerMs: number;
  /** SHA-512 of the JS and map bytes as they are (the last step of event mode's hash). */
  shaRawMs: number;
  /** The event-mode content hash of each pair, as the upload computes it (0 unless asked for). */
  eventHashMs: number;
  compressedBytes: number;
}

export const ZSTD_CODEC = '@toondepauw/node-zstd level 3';

interface NodeZstd {
  Encoder: new (level: number) => { encode(data: Buffer): Promise<Buffer> };
}

/** The chunk id each pair's JS carries (what the event hash undoes), read before any pass is timed. */
async function chunkIdsOf(pairs: readonly PairFiles[]): Promise<string[]> {
  return Promise.all(
    pairs.map(async (pair) => {
      const chunkId = readInjectedChunkId(await readFile(pair.js, 'utf8'));
      if (!chunkId) throw new Error(`${pair.js} carries no chunk id`);
      return chunkId;
    }),
  );
}

/**
 * The least reading costs: one buffer, grown to the largest pair and reused from pair to pair (and
 * pass to pass), filled synchronously as the pipeline fills its own, the JS and its map side by side.
 * Issue #14's measure reads each file with `readFile` into a new buffer: a promise round trip through
 * libuv's pool per call, and fresh pages, which this VM charges about 11 µs each on first touch.
 */
class PairReader {
  private buffer = Buffer.alloc(0);

  /** Reads both files synchronously, as the pipeline reads them, into the reused buffer. */
  read(pair: PairFiles): void {
    const js = openSync(pair.js, 'r');
    const map = openSync(pair.map, 'r');
    try {
      const jsSize = fstatSync(js).size;
      const size = jsSize + fstatSync(map).size;
      if (this.buffer.length < size) this.buffer = Buffer.alloc(size);
      this.fill(js, 0, jsSize, pair.js);
      this.fill(map, jsSize, size, pair.map);
    } finally {
      closeSync(js);
      closeSync(map);
    }
  }

  private fill(fd: number, start: number, end: number, path: string): void {
    let at = start;
    while (at < end) {
      const read = readSync(fd, this.buffer, at, end - at, null);
      if (read === 0) throw new Error(`${path} became shorter while it was read`);
      at += read;
    }
  }
}

/** One pass of read, zstd and SHA-512 (of the container and of the pair's bytes), pair after pair. */
async function packPass(pairs: readonly PairFiles[], reader: PairReader): Promise<Required<PackingWork>> {
  const { Encoder } = (await import('@toondepauw/node-zstd')) as unknown as NodeZstd;
  const encoder = new Encoder(3);
  const totals: Required<PackingWork> = {
    readMs: 0,
    readReusedMs: 0,
    zstdMs: 0,
    shaContainerMs: 0,
    shaRawMs: 0,
    eventHashMs: 0,
    compressedBytes: 0,
  };
  for (const pair of pairs) {
    let t = performance.now();
    reader.read(pair);
    totals.readReusedMs += performance.now() - t;
    t = performance.now();
    const js = await readFile(pair.js);
    const map = await readFile(pair.map);
    totals.readMs += performance.now() - t;
    t = performance.now();
    const compressed = await encoder.encode(Buffer.concat([js, map]));
    totals.zstdMs += performance.now() - t;
    totals.compressedBytes += compressed.length;
    t = performance.now();
    createHash('sha512').update(compressed).digest('hex');
    totals.shaContainerMs += performance.now() - t;
    t = performance.now();
    createHash('sha512').update(js).update(map).digest('hex');
    totals.shaRawMs += performance.now() - t;
  }
  return totals;
}

/** One pass of the event hash over the pairs (each read untimed), in ms. */
async function eventHashPass(pairs: readonly PairFiles[], chunkIds: readonly string[]): Promise<number> {
  let ms = 0;
  for (const [index, pair] of pairs.entries()) {
    const js = await readFile(pair.js);
    const map = await readFile(pair.map);
    const t = performance.now();
    eventContentHash(js, map, chunkIds[index]!);
    ms += performance.now() - t;
  }
  return ms;
}

/**
 * What is hashed: the container (symbol-set mode) or the pair by event mode's definition (`event`).
 * Round 16 stood in SHA-512 of the pair's bytes as they are for the latter (`shaRawMs`, still
 * reported), which leaves out undoing the injection.
 */
export type PackingHash = 'container' | 'event';

/** Read + zstd + the hash: symbol-set mode hashes the container, event mode the pair (`event`). */
export function packingMs(totals: PackingWork, hash: PackingHash = 'container'): number {
  return totals.readMs + totals.zstdMs + (hash === 'event' ? totals.eventHashMs : totals.shaContainerMs);
}

/**
 * packingMs with the least the read costs (`readReusedMs`) in place of issue #14's read; undefined
 * for results written before it was measured.
 */
export function leastPackingMs(totals: PackingWork, hash: PackingHash = 'container'): number | undefined {
  if (totals.readReusedMs === undefined) return undefined;
  return packingMs(totals, hash) - totals.readMs + totals.readReusedMs;
}

/**
 * Each step at its fastest of three passes: a lower bound of the work on warm memory. A single pass
 * right after an upload ran at whatever speed the memory the upload left behind allowed (fresh pages
 * fault in slowly here). The event hash (only when asked for: `hash` 'event') has passes of its own,
 * after the others: interleaved with them, its garbage was collected in the reads' time and made
 * them 1.5-2x slower.
 */
export async function fastestPackingWork(
  pairs: readonly PairFiles[],
  hash: PackingHash = 'container',
): Promise<PackingWork> {
  const reader = new PairReader();
  let fastest: Required<PackingWork> | undefined;
  for (let pass = 0; pass < 3; pass++) {
    const totals = await packPass(pairs, reader);
    fastest = fastest
      ? {
          ...fastest,
          readMs: Math.min(fastest.readMs, totals.readMs),
          readReusedMs: Math.min(fastest.readReusedMs, totals.readReusedMs),
          zstdMs: Math.min(fastest.zstdMs, totals.zstdMs),
          shaContainerMs: Math.min(fastest.shaContainerMs, totals.shaContainerMs),
          shaRawMs: Math.min(fastest.shaRawMs, totals.shaRawMs),
        }
      : totals;
  }
  if (hash === 'event') {
    const chunkIds = await chunkIdsOf(pairs);
    const passes: number[] = [];
    for (let pass = 0; pass < 3; pass++) passes.push(await eventHashPass(pairs, chunkIds));
    fastest!.eventHashMs = Math.min(...passes);
  }
  return fastest!;
}
