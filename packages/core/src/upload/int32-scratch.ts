// Int32 memory that a step of the event hash fills and reads within one synchronous call, kept for the
// next call instead of allocated per map. V8 counts a typed array's memory (past 64 bytes) as external,
// and 64 MB of external memory since the last full collection makes it mark the whole heap: webpack's
// upload (unminified chunks, a token per line) allocated about 20 MB of these per build, which with
// the pairs' own buffers set off marking webpack's 360 MB heap in the middle of the upload
// (docs/benchmarks.md, round 26).

/** Kept only up to this many numbers (4 MiB): one huge map does not hold its memory for the process's life. */
const MAX_KEPT = 1024 * 1024;

export class Int32Scratch {
  private memory: Int32Array;

  constructor(initial: number) {
    this.memory = new Int32Array(initial);
  }

  /** `length` numbers (not cleared), valid until the next `take`. */
  take(length: number): Int32Array {
    if (this.memory.length < length) {
      const grown = new Int32Array(Math.max(length, this.memory.length * 2));
      this.keep(grown);
      return grown.subarray(0, length);
    }
    return this.memory.subarray(0, length);
  }

  /** All of the memory, for a list that grows from it (see `keep`). */
  all(): Int32Array {
    return this.memory;
  }

  /** Keeps the array a list grew into from `all()` for the next call, when it is not too large. */
  keep(grown: Int32Array): void {
    if (grown.length > this.memory.length && grown.length <= MAX_KEPT) this.memory = grown;
  }
}
