import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeChunkId } from '../chunk-id/compute';
import { detectChunkId } from '../chunk-id/detect';
import { FileError } from '../errors';
import {
  crlfFixture,
  expectPositionsPreserved,
  FIXTURE_CHUNK_ID,
  type FixtureName,
  lineColumnOf,
  loadFixture,
} from './fixtures/harness';
import { injectFileOnDisk, injectSourcePair } from './inject-file';
import { createChunkIdComment, createSnippet } from './snippet';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hogmaps-inject-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writePair(name: string, code: string | Buffer, map: string | undefined) {
  const jsPath = join(dir, `${name}.js`);
  const mapPath = join(dir, `${name}.js.map`);
  await writeFile(jsPath, code);
  if (map !== undefined) await writeFile(mapPath, map);
  return { jsPath, mapPath };
}

const crlf = crlfFixture();
const pairs: Array<{ name: string; code: string; map: string; before: string }> = [
  {
    name: 'leading comments (esbuild bundle)',
    ...loadFixture('esbuild-bundle'),
    before: 'function greet(name)',
  },
  {
    name: '"use strict" (esbuild minified)',
    ...loadFixture('esbuild-strict.min'),
    before: 'function greet(e)',
  },
  {
    name: "hashbang and 'use client' (esbuild)",
    ...loadFixture('esbuild-hashbang'),
    before: 'export function',
  },
  { name: 'CRLF, hashbang and a directive (magic-string)', ...crlf, before: 'function d()' },
];

describe.each(pairs)('injectFileOnDisk: $name', ({ code, map, before }) => {
  it('injects both files, keeps every original position, and a second run changes nothing', async () => {
    const { jsPath, mapPath } = await writePair('chunk', code, map);
    await chmod(jsPath, 0o755);
    const result = await injectFileOnDisk(jsPath, mapPath);

    const offset = code.indexOf(before);
    const snippet = createSnippet(result.chunkId);
    expect(result.injected).toBe(true);
    expect(result.chunkId).toBe(computeChunkId(code));
    const written = await readFile(jsPath, 'utf8');
    expect(written).toBe(
      code.slice(0, offset) + snippet + code.slice(offset) + createChunkIdComment(result.chunkId),
    );
    expect(detectChunkId(written)).toBe(result.chunkId);
    expect((await stat(jsPath)).mode & 0o777).toBe(0o755);

    const writtenMap = await readFile(mapPath, 'utf8');
    const before_ = JSON.parse(map);
    const after = JSON.parse(writtenMap);
    expect(after.chunk_id).toBe(result.chunkId);
    const { mappings: _m1, ...keptBefore } = before_;
    const { mappings: _m2, chunk_id: _id, ...keptAfter } = after;
    expect(keptAfter).toEqual(keptBefore);

    const { line, column } = lineColumnOf(code, offset);
    const resolved = expectPositionsPreserved(code, map, writtenMap, {
      line,
      column,
      length: snippet.length,
    });
    expect(resolved).toBeGreaterThan(100);

    const again = await injectFileOnDisk(jsPath, mapPath);
    expect(again).toEqual({ injected: false, chunkId: result.chunkId, code: written });
    expect(await readFile(jsPath, 'utf8')).toBe(written);
    expect(await readFile(mapPath, 'utf8')).toBe(writtenMap);
  });
});

describe('injectFileOnDisk: already injected', () => {
  it.each(['rolldown-esm.min', 'rolldown-iife.min'] satisfies FixtureName[])(
    'leaves a pair whose rewritten snippet kept its comment untouched, and injects one that lost it (%s)',
    async (name) => {
      const { code, map } = loadFixture(name as FixtureName);
      const commented = `${code}${createChunkIdComment(FIXTURE_CHUNK_ID)}`;
      const kept = await writePair('kept', commented, map);
      const result = await injectFileOnDisk(kept.jsPath, kept.mapPath);
      expect(result).toEqual({ injected: false, chunkId: FIXTURE_CHUNK_ID, code: commented });
      expect(await readFile(kept.jsPath, 'utf8')).toBe(commented);
      expect(await readFile(kept.mapPath, 'utf8')).toBe(map);

      // A snippet alone is not an id (posthog-cli's rule): the file gets its own.
      const bare = await writePair('bare', code, map);
      const fresh = await injectFileOnDisk(bare.jsPath, bare.mapPath);
      expect(fresh).toMatchObject({ injected: true, chunkId: computeChunkId(code) });
      expect(await readFile(bare.jsPath, 'utf8')).toContain(createChunkIdComment(computeChunkId(code)));
    },
  );

  it('leaves a pair injected by posthog-cli untouched', async () => {
    const { code, map } = loadFixture('esbuild-strict.min');
    const id = '0190ffff-0000-7000-8000-000000000001';
    const cli = `${createSnippet(id)}${code}${createChunkIdComment(id)}`;
    const { jsPath, mapPath } = await writePair('cli', cli, map);
    expect(await injectFileOnDisk(jsPath, mapPath)).toMatchObject({ injected: false, chunkId: id });
    expect(await readFile(jsPath, 'utf8')).toBe(cli);
  });

  it("treats a map with chunk_id as already adjusted (posthog-cli's rule), injecting only the JS", async () => {
    const { code, map } = loadFixture('esbuild-strict.min');
    const stamped = JSON.stringify({ ...JSON.parse(map), chunk_id: computeChunkId(code) });
    const { jsPath, mapPath } = await writePair('stamped', code, stamped);
    const result = await injectFileOnDisk(jsPath, mapPath);
    expect(result.injected).toBe(true);
    expect(await readFile(mapPath, 'utf8')).toBe(stamped);
  });
});

describe('injectSourcePair', () => {
  it('works without a map', () => {
    const result = injectSourcePair({ code: 'f();', map: undefined }, { chunkId: 'abc', releaseId: 'rel' });
    expect(result).toEqual({
      injected: true,
      chunkId: 'abc',
      code: `${createSnippet('abc', 'rel')}f();${createChunkIdComment('abc')}`,
      map: undefined,
    });
  });

  it('flattens an index map (sections) and keeps positions', () => {
    const { code, map } = loadFixture('esbuild-bundle');
    const indexMap = JSON.stringify({
      version: 3,
      file: 'bundle.js',
      x_custom: 1,
      sections: [{ offset: { line: 0, column: 0 }, map: JSON.parse(map) }],
    });
    const result = injectSourcePair({ code, map: indexMap }, { chunkId: 'abc' });
    const flat = JSON.parse(result.map!);
    expect(flat.sections).toBeUndefined();
    expect(flat).toMatchObject({ version: 3, file: 'bundle.js', x_custom: 1, chunk_id: 'abc' });
    const { line, column } = lineColumnOf(code, code.indexOf('function greet'));
    expect(
      expectPositionsPreserved(code, map, result.map!, { line, column, length: createSnippet('abc').length }),
    ).toBeGreaterThan(100);
  });

  it('hashes the bytes on disk, BOM included, and writes the BOM back', async () => {
    const code = '\uFEFF"use strict";f();\n';
    const { jsPath } = await writePair('bom', code, undefined);
    const result = await injectFileOnDisk(jsPath, undefined);
    expect(result.chunkId).toBe(computeChunkId(Buffer.from(code)));
    const bytes = await readFile(jsPath);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('reports bad input as FileErrors naming the file', async () => {
    const expectFileError = async (run: () => unknown, code: string, file: string) => {
      let caught: unknown;
      try {
        await run();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(FileError);
      expect(caught).toMatchObject({ code, file });
    };
    await expectFileError(
      () => injectSourcePair({ code: 'f()', map: '{', fileName: 'a.js.map' }),
      'invalid_source_map',
      'a.js.map',
    );
    await expectFileError(
      () => injectSourcePair({ code: 'f()', map: '[]', fileName: 'a.js.map' }),
      'invalid_source_map',
      'a.js.map',
    );
    await expectFileError(
      () => injectSourcePair({ code: 'f()', map: '{"version":3,"mappings":"!!"}', fileName: 'a.js.map' }),
      'invalid_source_map',
      'a.js.map',
    );
    const { jsPath } = await writePair('latin1', Buffer.from([0x66, 0x28, 0xe9, 0x29]), undefined);
    await expectFileError(() => injectFileOnDisk(jsPath, undefined), 'invalid_utf8', jsPath);
    await expectFileError(
      () => injectFileOnDisk(join(dir, 'missing.js'), undefined),
      'read_failed',
      join(dir, 'missing.js'),
    );
  });
});

// Issue #11 item 15: a map of hundreds of MiB must not be parsed into objects (gigabytes of memory).
describe('injectFileOnDisk: a plain map is edited as bytes', () => {
  it('keeps every byte of the map but the moved column and the added chunk_id', async () => {
    const { code, map } = loadFixture('esbuild-strict.min');
    const pretty = `${JSON.stringify(JSON.parse(map), null, 2)}\n`;
    const { jsPath, mapPath } = await writePair('pretty', code, pretty);
    const result = await injectFileOnDisk(jsPath, mapPath);

    const written = await readFile(mapPath, 'utf8');
    const before = JSON.parse(pretty).mappings as string;
    const after = JSON.parse(written).mappings as string;
    expect(after).not.toBe(before);
    expect(written).toBe(
      `${pretty.replace(before, after).slice(0, -2)},"chunk_id":${JSON.stringify(result.chunkId)}}\n`,
    );
    const offset = code.indexOf('function greet(e)');
    const { line, column } = lineColumnOf(code, offset);
    const length = createSnippet(result.chunkId).length;
    expect(expectPositionsPreserved(code, map, written, { line, column, length })).toBeGreaterThan(100);
  });

  it('still flattens an index map, and a map that is not JSON is still refused', async () => {
    const { code, map } = loadFixture('esbuild-bundle');
    const indexMap = JSON.stringify({
      version: 3,
      sections: [{ offset: { line: 0, column: 0 }, map: JSON.parse(map) }],
    });
    const { jsPath, mapPath } = await writePair('index', code, indexMap);
    const result = await injectFileOnDisk(jsPath, mapPath);
    const flat = JSON.parse(await readFile(mapPath, 'utf8'));
    expect(flat.sections).toBeUndefined();
    expect(flat.chunk_id).toBe(result.chunkId);

    const broken = await writePair('broken', code, '{"version":3,"mappings":"AAAA",');
    await expect(injectFileOnDisk(broken.jsPath, broken.mapPath)).rejects.toMatchObject({
      code: 'invalid_source_map',
      file: broken.mapPath,
    });
    expect(await readFile(broken.jsPath, 'utf8')).toBe(code);
  });
});

describe("injectFileOnDisk: whether the map it wrote is PostHog's empty map", () => {
  it('says so from the bytes it read, for an empty map, a stamped one and one with code', async () => {
    const empty = '{"version":3,"sources":[],"names":[],"mappings":""}';
    const wrapper = await writePair('wrapper', 'export{};\n', empty);
    const result = await injectFileOnDisk(wrapper.jsPath, wrapper.mapPath);
    expect(result.mapIsEmpty).toBe(true);
    expect(JSON.parse(await readFile(wrapper.mapPath, 'utf8'))).toMatchObject({ mappings: '', sources: [] });

    const stamped = await writePair('stamped', 'export{};\n', `${empty.slice(0, -1)},"chunk_id":"x"}`);
    expect((await injectFileOnDisk(stamped.jsPath, stamped.mapPath)).mapIsEmpty).toBe(true);

    const named = await writePair(
      'named',
      'export{};\n',
      '{"version":3,"sources":["a.js"],"names":[],"mappings":""}',
    );
    expect((await injectFileOnDisk(named.jsPath, named.mapPath)).mapIsEmpty).toBe(false);

    const { code, map } = loadFixture('esbuild-strict.min');
    const real = await writePair('real', code, map);
    expect((await injectFileOnDisk(real.jsPath, real.mapPath)).mapIsEmpty).toBe(false);
  });

  it('leaves it open where the map was parsed, not read as bytes (an index map)', async () => {
    const indexMap = JSON.stringify({ version: 3, sections: [] });
    const { jsPath, mapPath } = await writePair('index-empty', 'export{};\n', indexMap);
    expect((await injectFileOnDisk(jsPath, mapPath)).mapIsEmpty).toBeUndefined();
  });
});

describe('injectFileOnDisk: debug ids (event mode, as posthog-cli ≥ 0.14)', () => {
  const DEBUG_ID = '85314830-023f-4cf1-a267-535f4e37bb17';
  const MAP = JSON.stringify({ version: 3, sources: ['a.js'], names: [], mappings: 'AAAA' });

  it("adopts the file's //# debugId=, else the map's debugId, as the chunk id", async () => {
    const commented = await writePair('commented', `f();\n//# debugId=${DEBUG_ID}\n`, MAP);
    expect(await injectFileOnDisk(commented.jsPath, commented.mapPath, { adoptDebugId: true })).toMatchObject(
      {
        injected: true,
        chunkId: DEBUG_ID,
      },
    );
    expect(detectChunkId(await readFile(commented.jsPath, 'utf8'))).toBe(DEBUG_ID);

    const mapOnly = await writePair(
      'map-only',
      'f();\n',
      JSON.stringify({ ...JSON.parse(MAP), debugId: DEBUG_ID }),
    );
    expect(await injectFileOnDisk(mapOnly.jsPath, mapOnly.mapPath, { adoptDebugId: true })).toMatchObject({
      chunkId: DEBUG_ID,
    });
  });

  it('derives the id when not asked (symbol-set mode), or when the debug id is not a UUID', async () => {
    const code = `f();\n//# debugId=${DEBUG_ID}\n`;
    const plain = await writePair('plain', code, MAP);
    expect((await injectFileOnDisk(plain.jsPath, plain.mapPath)).chunkId).toBe(computeChunkId(code));

    const bad = `f();\n//# debugId=../../x"\n`;
    const malformed = await writePair('malformed', bad, MAP);
    expect(
      (await injectFileOnDisk(malformed.jsPath, malformed.mapPath, { adoptDebugId: true })).chunkId,
    ).toBe(computeChunkId(bad));
  });

  it('derives the id for braced and URN UUIDs, which are no valid chunk ids, and never fails the chunk', async () => {
    for (const [name, form] of [
      ['braced', `{${DEBUG_ID}}`],
      ['urn', `urn:uuid:${DEBUG_ID}`],
    ] as const) {
      const code = `f();\n//# debugId=${form}\n`;
      const pair = await writePair(name, code, MAP);
      const result = await injectFileOnDisk(pair.jsPath, pair.mapPath, { adoptDebugId: true });
      expect(result).toMatchObject({ injected: true, chunkId: computeChunkId(code) });
    }
  });
});
