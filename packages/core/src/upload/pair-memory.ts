// Memory for the pairs one upload run reads, handed out again once a pair is packed or dropped. A
// fresh process pays for fresh memory: the kernel faults each page in on first touch, and V8 counts
// every new buffer as external memory. Reading 30 pairs of 1 MiB into fresh buffers cost `hogmaps
// upload` (and the upload bench) about 0.3 s of CPU more than reading them into reused memory
// (docs/benchmarks.md, round 9).
//
// On a large heap the memory is a SharedArrayBuffer's, which V8 does not count as this thread's
// external memory (Node 20 to 24): 64 MB of external memory since the last full collection makes V8
// mark the whole heap, and at the end of a build that heap is the bundler's (webpack's 360 MB: about
// 0.2 s of CPU in the middle of its upload, docs/benchmarks.md round 26). On a small heap marking
// costs little, and ordinary buffers are kept: Node's native searches (`Buffer#indexOf`, which the
// map check calls per escape) cost about 20 ns more per call on a SharedArrayBuffer (8 ms per 23 MB of
// maps). Never shared with another thread; freed when collected, like any buffer.

import { getHeapStatistics } from 'node:v8';

/** A pair as read-pair lays it out: two views into one buffer. */
interface PairViews {
  minified: Uint8Array;
  map: Uint8Array;
}

interface Lease {
  memory: PairMemory;
  buffer: Buffer;
  /** The `minified` view of the pair it was lent for: only that pair can give it back. */
  holder: Uint8Array | undefined;
}

/** Buffers lent by some PairMemory, by their ArrayBuffer. Nothing else is ever recycled. */
const leases = new WeakMap<ArrayBufferLike, Lease>();

/** Free memory kept per run at most: as much as the pipeline keeps buffered by default. */
const MAX_FREE_BYTES = 64 * 1024 * 1024;
/** Capacity is rounded up, with some room, so pairs of similar size fit one another's memory. */
const GRANULE = 64 * 1024;

/** From this much JavaScript heap on, marking it costs more (about 0.7 ms per MB) than shared memory. */
export const UNCOUNTED_FROM_HEAP_BYTES = 256 * 1024 * 1024;

export class PairMemory {
  private free: Buffer[] = [];
  private freeBytes = 0;
  /** Lends SharedArrayBuffer memory, which V8 does not count as external (see above). */
  private readonly uncounted: boolean;

  /** `heapBytes`: the heap this run's reads add external memory to, the calling thread's by default. */
  constructor(heapBytes: number = getHeapStatistics().used_heap_size) {
    this.uncounted = heapBytes >= UNCOUNTED_FROM_HEAP_BYTES;
  }

  /** `size` bytes for one pair: reused memory when some is free and large enough, else fresh. */
  allocate(size: number): Buffer {
    let best = -1;
    for (let index = 0; index < this.free.length; index++) {
      const capacity = this.free[index]!.length;
      if (capacity >= size && (best < 0 || capacity < this.free[best]!.length)) best = index;
    }
    let buffer: Buffer;
    if (best >= 0) {
      buffer = this.free[best]!;
      this.free.splice(best, 1);
      this.freeBytes -= buffer.length;
    } else {
      // Never Node's shared pool (allocUnsafe of a small size): this memory must be ours alone.
      const capacity = Math.ceil((size + (size >>> 3)) / GRANULE) * GRANULE;
      buffer = this.uncounted
        ? Buffer.from(new SharedArrayBuffer(capacity))
        : Buffer.allocUnsafeSlow(capacity);
      leases.set(buffer.buffer, { memory: this, buffer, holder: undefined });
    }
    return buffer.subarray(0, size);
  }

  /** Marks memory from allocate as the pair's: recyclePair gives it back only with that pair. */
  lend(pair: PairViews): void {
    const lease = leases.get(pair.minified.buffer);
    if (lease?.memory === this && pair.map.buffer === pair.minified.buffer) lease.holder = pair.minified;
  }

  /** @internal */
  giveBack(lease: Lease): void {
    lease.holder = undefined;
    if (this.freeBytes + lease.buffer.length > MAX_FREE_BYTES) {
      leases.delete(lease.buffer.buffer);
      return;
    }
    this.free.push(lease.buffer);
    this.freeBytes += lease.buffer.length;
  }
}

/**
 * The pipeline is done with a pair it loaded: its memory goes back to the PairMemory that lent it,
 * for the next pair. A no-op for pairs that memory did not come from (a caller's own `load`), and
 * for a pair given back before. Pass `packed` when a container was made from the pair: when that
 * container is the pair's own memory (no compression), the memory is never reused.
 */
export function recyclePair(
  pair: { minified: string | Uint8Array; map: string | Uint8Array },
  packed?: readonly Uint8Array[],
): void {
  const { minified } = pair;
  if (typeof minified === 'string') return;
  const lease = leases.get(minified.buffer);
  if (lease?.holder !== minified) return;
  if (packed?.some((part) => part.buffer === lease.buffer.buffer)) {
    lease.holder = undefined;
    leases.delete(lease.buffer.buffer);
    return;
  }
  lease.memory.giveBack(lease);
}
