import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Metafile, OutputFile } from 'esbuild';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  entryNameFormat,
  entryReleaseNames,
  releaseFileName,
  renameInMemory,
  renameInMetafile,
  renameWritten,
} from './esbuild-release-names';

const RELEASE_A = '0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee';
const RELEASE_B = '0190aaaa-bbbb-7ccc-8ddd-ffffffffffff';
const HASHED = /^main-[A-Z2-7]{8}\.js$/;

describe('entryNameFormat', () => {
  test('only a [hash] in the file name itself can be renamed', () => {
    expect(entryNameFormat(undefined)).toBeUndefined();
    expect(entryNameFormat('[dir]/[name]')).toBeUndefined();
    expect(entryNameFormat('[hash]/[name]')).toBeUndefined();
    expect(entryNameFormat('[dir]/[name]-[hash]')).toBeDefined();
  });

  test('parses and renders what esbuild renders, extension and repeated placeholders included', () => {
    const format = entryNameFormat('[dir]/[name].[hash]', '.mjs')!;
    expect(format.parse('main.BUOCDYTQ.mjs')).toEqual({ name: 'main', hash: 'BUOCDYTQ' });
    expect(format.parse('main.BUOCDYTQ.js')).toBeUndefined();
    expect(format.parse('main.buocdytq.mjs')).toBeUndefined();
    expect(format.render({ name: 'main', hash: 'AAAAAAAA' })).toBe('main.AAAAAAAA.mjs');
    const twice = entryNameFormat('[hash]-[name]-[hash]')!;
    expect(twice.parse('FJDKQZIG-app-FJDKQZIG.js')).toEqual({ hash: 'FJDKQZIG', name: 'app' });
    expect(twice.parse('FJDKQZIG-app-BUOCDYTQ.js')).toBeUndefined();
  });
});

describe('releaseFileName', () => {
  const format = entryNameFormat('[name]-[hash]')!;

  test("a pure function of esbuild's hash and the release, in esbuild's form", () => {
    const a = releaseFileName('main-BUOCDYTQ.js', format, RELEASE_A)!;
    expect(a).toMatch(HASHED);
    expect(releaseFileName('main-BUOCDYTQ.js', format, RELEASE_A)).toBe(a);
    expect(releaseFileName('main-BUOCDYTQ.js', format, RELEASE_B)).not.toBe(a);
    expect(releaseFileName('main-FJDKQZIG.js', format, RELEASE_A)).not.toBe(a);
    // Only the hash changes: a name holding the same letters keeps them.
    expect(releaseFileName('BUOCDYTQ-BUOCDYTQ.js', format, RELEASE_A)).toMatch(/^BUOCDYTQ-[A-Z2-7]{8}\.js$/);
  });

  test('a name the format does not render gets none', () => {
    expect(releaseFileName('main.js', format, RELEASE_A)).toBeUndefined();
  });
});

describe('renaming an entry and its map', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-release-names-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function written(comment: string | undefined) {
    const js = path.join(dir, 'main-BUOCDYTQ.js');
    const code = `console.log(1);\n//# chunkId=x\n${comment === undefined ? '' : `//# sourceMappingURL=${comment}\n`}`;
    await writeFile(js, code);
    await writeFile(`${js}.map`, '{"version":3}');
    return js;
  }

  test('linked: the comment names the renamed map; a prefixed URL keeps its prefix', async () => {
    for (const prefix of ['', 'https://cdn.example/app/']) {
      const js = await written(`${prefix}main-BUOCDYTQ.js.map`);
      const next = path.join(dir, 'main-AAAAAAAA.js');
      expect(await renameWritten(js, `${js}.map`, next)).toEqual({ jsPath: next, mapPath: `${next}.map` });
      expect(existsSync(js) || existsSync(`${js}.map`)).toBe(false);
      expect(await readFile(next, 'utf8')).toBe(
        `console.log(1);\n//# chunkId=x\n//# sourceMappingURL=${prefix}main-AAAAAAAA.js.map\n`,
      );
      expect(await readFile(`${next}.map`, 'utf8')).toBe('{"version":3}');
    }
  });

  test('external (no comment): the map is renamed along; a comment naming it otherwise keeps it', async () => {
    const js = await written(undefined);
    const next = path.join(dir, 'main-AAAAAAAA.js');
    expect(await renameWritten(js, `${js}.map`, next)).toEqual({ jsPath: next, mapPath: `${next}.map` });

    const other = await written('xmain-BUOCDYTQ.js.map');
    const kept = await renameWritten(other, `${other}.map`, path.join(dir, 'main-CCCCCCCC.js'));
    expect(kept.mapPath).toBe(`${other}.map`);
    expect(existsSync(`${other}.map`)).toBe(true);
    expect(await readFile(kept.jsPath, 'utf8')).toContain('sourceMappingURL=xmain-BUOCDYTQ.js.map');
  });

  test('in memory: the paths and the comment change', () => {
    const encoder = new TextEncoder();
    const file = (filePath: string, text: string) => {
      const out = { path: filePath, contents: encoder.encode(text), hash: '' } as OutputFile;
      Object.defineProperty(out, 'text', { get: () => new TextDecoder().decode(out.contents) });
      return out;
    };
    const js = file('/out/main-BUOCDYTQ.js', 'x;\n//# sourceMappingURL=main-BUOCDYTQ.js.map\n');
    const map = file('/out/main-BUOCDYTQ.js.map', '{}');
    expect(renameInMemory(js, map, '/out/main-AAAAAAAA.js')).toEqual({
      jsPath: '/out/main-AAAAAAAA.js',
      mapPath: '/out/main-AAAAAAAA.js.map',
    });
    expect([js.path, map.path]).toEqual(['/out/main-AAAAAAAA.js', '/out/main-AAAAAAAA.js.map']);
    expect(js.text).toBe('x;\n//# sourceMappingURL=main-AAAAAAAA.js.map\n');
  });
});

describe('the metafile', () => {
  const output = (entryPoint: string | undefined, imports: Metafile['outputs'][string]['imports'] = []) =>
    ({
      bytes: 1,
      inputs: {},
      exports: [],
      imports,
      ...(entryPoint ? { entryPoint } : {}),
    }) as Metafile['outputs'][string];
  const metafile = (): Metafile => ({
    inputs: {},
    outputs: {
      'dist/main-BUOCDYTQ.js.map': output(undefined),
      'dist/main-BUOCDYTQ.js': output('src/main.js', [
        { path: 'dist/lazy-FJDKQZIG.js', kind: 'dynamic-import' },
        { path: 'dist/chunk-FBCXFK7S.js', kind: 'import-statement' },
      ]),
      'dist/lazy-FJDKQZIG.js': output('src/lazy.js', [
        { path: 'dist/chunk-FBCXFK7S.js', kind: 'import-statement' },
      ]),
      'dist/chunk-FBCXFK7S.js': output(undefined),
    },
  });

  test('keys follow the renames, in their order', () => {
    const file = metafile();
    renameInMetafile(
      file,
      new Map([
        ['/w/dist/main-BUOCDYTQ.js', '/w/dist/main-AAAAAAAA.js'],
        ['/w/dist/main-BUOCDYTQ.js.map', '/w/dist/main-AAAAAAAA.js.map'],
      ]),
      '/w',
    );
    expect(Object.keys(file.outputs)).toEqual([
      'dist/main-AAAAAAAA.js.map',
      'dist/main-AAAAAAAA.js',
      'dist/lazy-FJDKQZIG.js',
      'dist/chunk-FBCXFK7S.js',
    ]);
  });

  test('entries are renamed; chunks are not; an imported entry keeps its name and is reported', () => {
    const warnings: string[] = [];
    const nameFor = entryReleaseNames(metafile(), '/w', entryNameFormat('[name]-[hash]')!, (message) =>
      warnings.push(message),
    );
    expect(path.basename(nameFor('/w/dist/main-BUOCDYTQ.js', RELEASE_A)!)).toMatch(HASHED);
    expect(path.dirname(nameFor('/w/dist/main-BUOCDYTQ.js', RELEASE_A)!)).toBe('/w/dist');
    expect(nameFor('/w/dist/chunk-FBCXFK7S.js', RELEASE_A)).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(nameFor('/w/dist/lazy-FJDKQZIG.js', RELEASE_A)).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(/^dist\/lazy-FJDKQZIG\.js carries the release id but keeps its name/),
    ]);
  });
});
