import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeSymbolSet } from '../container/decode';
import { encodeSymbolSet, encodeSymbolSetAsync } from '../container/encode';
import { isUtf8Checked } from '../files/utf8-checked';
import { PairMemory } from './pair-memory';
import { readSourcePair, readSourcePairInto } from './read-pair';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-read-pair-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: string | Buffer) {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

describe('readSourcePair', () => {
  it('reads a valid pair as bytes', async () => {
    const js = await write('a.js', 'a();\n');
    const map = await write('a.js.map', '{"version":3,"sources":["a.ts"],"mappings":"AAAA"}');
    const pair = await readSourcePair(js, map, 'a.js');
    expect(pair.minified.toString()).toBe('a();\n');
    expect(JSON.parse(pair.map.toString()).sources).toEqual(['a.ts']);
  });

  it('names the file for each kind of bad input', async () => {
    const js = await write('b.js', 'b();\n');
    await expect(readSourcePair(js, await write('b.js.map', '{"version":3,'), 'b.js')).rejects.toThrow(
      /b\.js\.map: is not valid JSON/,
    );
    await expect(readSourcePair(js, await write('c.js.map', '{"version":3}'), 'b.js')).rejects.toThrow(
      /c\.js\.map: is not a source map/,
    );
    await expect(readSourcePair(js, path.join(dir, 'missing.map'), 'b.js')).rejects.toThrow(
      /^b\.js: its source map .*missing\.map does not exist/,
    );
    await expect(readSourcePair(js, undefined, 'b.js')).rejects.toThrow(/^b\.js: has no source map/);
    const inline = await write('i.js', 'i();\n//# sourceMappingURL=data:application/json;base64,e30=\n');
    await expect(readSourcePair(inline, undefined, 'i.js')).rejects.toThrow(
      /i\.js: has only an inline \(data: URL\)/,
    );
    const latin1 = await write('l.js', Buffer.from([0x61, 0x3d, 0x22, 0xe9, 0x22, 0x3b]));
    await expect(readSourcePair(latin1, undefined, 'l.js')).rejects.toThrow(/l\.js: is not valid UTF-8/);
    await expect(readSourcePair(path.join(dir, 'nope.js'), undefined, 'nope.js')).rejects.toThrow(
      /nope\.js: the file does not exist/,
    );
  });

  it('reads the pair into one container layout, which packing compresses without copying either part', async () => {
    const code = `${'console.log("é");\n'.repeat(5_000)}//# chunkId=x\n`;
    const mapText = JSON.stringify({ version: 3, sources: ['a.ts'], mappings: 'AAAA;'.repeat(10_000) });
    const pair = await readSourcePair(
      await write('big.js', code),
      await write('big.js.map', mapText),
      'big.js',
    );
    expect(pair.minified.buffer === pair.map.buffer).toBe(true);
    const allocate = vi.spyOn(Buffer, 'allocUnsafe');
    try {
      const packed = await encodeSymbolSetAsync(pair, { compression: 'zstd' });
      expect(decodeSymbolSet(packed)).toMatchObject({ minified: code, map: mapText });
      // No payload-sized buffer: only the header and the compressed frame are allocated.
      const sizes = allocate.mock.calls.map(([size]) => size);
      expect(sizes.every((size) => size < pair.map.length)).toBe(true);
    } finally {
      allocate.mockRestore();
    }
    // The same container bytes as from separate parts, compressed or not.
    for (const compression of ['zstd', 'none'] as const) {
      expect(encodeSymbolSet(pair, { compression })).toEqual(
        encodeSymbolSet({ minified: code, map: mapText }, { compression }),
      );
    }
  });
});

describe('the UTF-8 check of a pair read for an upload', () => {
  const INVALID = 0xff;

  it('holds for the run: bytes read into its memory are not checked again', async () => {
    const js = await write('a.js', 'a();\n');
    const map = await write('a.js.map', '{"version":3,"sources":["a.ts"],"mappings":"AAAA"}');
    const pair = await readSourcePairInto(new PairMemory(), js, map, 'a.js');
    expect(isUtf8Checked(pair.minified) && isUtf8Checked(pair.map)).toBe(true);
    // Nothing in core writes to them: a lookup, not a second pass, answers (so this goes unseen).
    pair.minified[0] = INVALID;
    expect(isUtf8Checked(pair.minified)).toBe(true);
  });

  it('is made afresh for a pair the caller owns, and for bytes of its own', async () => {
    const js = await write('b.js', 'b();\n');
    const map = await write('b.js.map', '{"version":3,"sources":["b.ts"],"mappings":"AAAA"}');
    const pair = await readSourcePair(js, map, 'b.js');
    pair.minified[0] = INVALID;
    expect(isUtf8Checked(pair.minified)).toBe(false);
    expect(() => encodeSymbolSet(pair)).toThrow(/minified code is not valid UTF-8/);
    expect(isUtf8Checked(Buffer.from([0x61, INVALID]))).toBe(false);
  });
});
