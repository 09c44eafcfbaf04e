import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { createSymbolicator } from '../../src/symbolication/symbolicate';
import { encodeContainer } from './helpers/container';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MiB = 1024 * 1024;

/** Heap in use after a full collection (Buffers live outside it). */
function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A set whose map is almost all `sourcesContent` (16 sources of 4 MiB), as real app maps are. */
function sourceHeavyContainer(): Buffer {
  const sources = Array.from({ length: 16 }, (_, i) => `s${i}.ts`);
  const line = `${'x'.repeat(79)}\n`;
  const content = line.repeat((4 * MiB) / line.length);
  const map = {
    version: 3,
    sources,
    sourcesContent: sources.map(() => content),
    names: [],
    mappings: 'AAAA;AACA',
  };
  return encodeContainer('a();\nb();', JSON.stringify(map));
}

it("keeps a parsed set's embedded sources out of the heap, decoding only the one a frame needs", () => {
  const bytes = sourceHeavyContainer();
  expect(bytes.length).toBeGreaterThan(64 * MiB);
  const symbolicator = createSymbolicator();
  const frame = { platform: 'web:javascript', filename: 'app.js', lineno: 2, colno: 1, chunk_id: 'c' };
  const find = () => ({ fingerprint: 'f', read: () => bytes });
  const before = heapUsed();
  const [resolved] = symbolicator.symbolicateFrames(1, [frame], find);
  const grown = heapUsed() - before;
  expect(resolved).toMatchObject({ resolved: true, source: 's0.ts', line: 1 });
  expect(resolved?.context?.line).toEqual({ number: 1, line: 'x'.repeat(79) });
  // One 4 MiB source as a string and its lines; the other 60 MiB stay in the cached buffer.
  expect(grown).toBeLessThan(16 * MiB);
});
