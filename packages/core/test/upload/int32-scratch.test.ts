import { describe, expect, it } from 'vitest';
import { Int32Scratch } from '../../src/upload/int32-scratch';

describe('Int32Scratch', () => {
  it('hands out the same memory call after call, growing it when a call needs more', () => {
    const scratch = new Int32Scratch(8);
    const first = scratch.take(6);
    expect(first).toHaveLength(6);
    first[0] = 42;
    const again = scratch.take(8);
    expect(again.buffer).toBe(first.buffer);
    // Not cleared: the caller fills what it reads.
    expect(again[0]).toBe(42);
    const larger = scratch.take(100);
    expect(larger).toHaveLength(100);
    expect(larger.buffer).not.toBe(first.buffer);
    expect(scratch.take(50).buffer).toBe(larger.buffer);
  });

  it('keeps what a list grew into from all(), but nothing past 4 MiB', () => {
    const scratch = new Int32Scratch(4);
    expect(scratch.all()).toHaveLength(4);
    const grown = new Int32Array(64);
    scratch.keep(grown);
    expect(scratch.all()).toBe(grown);
    // A smaller array never replaces a larger one.
    scratch.keep(new Int32Array(16));
    expect(scratch.all()).toBe(grown);
    // One huge map does not hold its memory for the life of the process.
    const huge = new Int32Array(1024 * 1024 + 1);
    scratch.keep(huge);
    expect(scratch.all()).toBe(grown);
    const taken = scratch.take(1024 * 1024 + 1);
    expect(taken).toHaveLength(1024 * 1024 + 1);
    expect(scratch.all()).toBe(grown);
  });
});
