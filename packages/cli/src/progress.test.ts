import { describe, expect, it } from 'vitest';
import { createProgress } from './progress';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return {
    writes,
    stream: { isTTY, columns: 120, write: (text: string | Uint8Array) => writes.push(String(text)) },
  };
}

const summary = {
  uploaded: [],
  alreadyPresent: [],
  tooLarge: [],
  mapsNothing: [],
  declined: [],
  failed: [],
  bytes: 0,
  requests: 0,
  durationMs: 0,
  dryRun: false,
};

describe('createProgress', () => {
  it('prints a few plain lines when not on a terminal (or in CI)', () => {
    const { writes, stream: out } = stream(false);
    const progress = createProgress(out, {}, 'uploading');
    progress.update({ type: 'start', files: 3, duplicates: 0 });
    progress.update({ type: 'packed', chunkId: 'a', fileName: 'a.js', bytes: 2048 });
    progress.update({ type: 'uploaded', chunkId: 'a', fileName: 'a.js', bytes: 2048 });
    progress.update({ type: 'skipped', chunkId: 'b', fileName: 'b.js', reason: 'already-present' });
    progress.update({ type: 'skipped', chunkId: 'b', fileName: 'b2.js', reason: 'duplicate' });
    progress.update({ type: 'failed', chunkId: 'c', fileName: 'c.js', error: 'boom' });
    progress.update({ type: 'done', summary });
    expect(writes).toEqual([
      'uploading 3 symbol sets\n',
      'uploading: 1/3 symbol sets, 2.0 KiB sent\n',
      'uploading: 2/3 symbol sets, 2.0 KiB sent\n',
      'uploading: 3/3 symbol sets, 2.0 KiB sent\n',
    ]);
    expect(writes.join('')).not.toContain('\r');
  });

  it('redraws one bar with counts and bytes on a terminal, and logs without tearing it', () => {
    const { writes, stream: out } = stream(true);
    const progress = createProgress(out, {}, 'uploading');
    progress.update({ type: 'start', files: 2, duplicates: 0 });
    progress.update({ type: 'packed', chunkId: 'a', fileName: 'a.js', bytes: 1024 * 1024 });
    progress.log('[hogmaps] a line');
    const bar = writes.at(-1)!;
    expect(bar.startsWith('\r\x1b[Kuploading [>')).toBe(true);
    expect(bar).toContain('0/2 symbol sets, 0 B of 1.0 MiB');
    expect(writes).toContain('[hogmaps] a line\n');
    progress.update({ type: 'done', summary });
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });

  it('uses plain lines on a terminal when CI is set', () => {
    const { writes, stream: out } = stream(true);
    const progress = createProgress(out, { CI: 'true' }, 'uploading');
    progress.update({ type: 'start', files: 1, duplicates: 0 });
    expect(writes).toEqual(['uploading 1 symbol set\n']);
  });
});
