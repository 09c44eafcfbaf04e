import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Options, resetBuildSessions } from '@hogmaps/core';
import { hogmapsEsbuildPlugin } from '@hogmaps/esbuild';
import type { RunningServer } from '@hogmaps/server';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { type BuildOptions, build, type Plugin } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  APP_FILES,
  APP_THROWS,
  chunkIdsIn,
  type Frame,
  runApp,
  type ThrowName,
  throwLine,
  topFrame,
  writeApp,
} from './esbuild-app';
import { esbuildOptions, esbuildRunner } from './harness/bundlers/esbuild';
import { isolateBuild } from './harness/isolation';
import { startTempServer } from './harness/temp-server';
import type { NeutralBuild } from './harness/types';

const run = promisify(execFile);
const RELEASE = { releaseName: 'esbuild-app', releaseVersion: '1.0.0' };
const CHUNK_ID_TAIL = /\n\/\/# chunkId=([0-9a-f-]{36})\n$/;

let server: RunningServer;
let root: string;
let project: { id: number; apiKey: string };

beforeAll(async () => {
  server = await startTempServer('esbuild');
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  isolateBuild();
  root = await mkdtemp(path.join(tmpdir(), 'hogmaps-esbuild-'));
  await writeApp(root);
  // A project per test: its symbol sets are this test's uploads only.
  const created = server.admin.createProject({ name: 'esbuild' });
  project = { id: created.id, apiKey: server.admin.createApiKey({ projectIds: [created.id] }).key };
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(root, { recursive: true, force: true });
});

const withCredentials = (extra: Options = {}): Options => ({
  host: server.url,
  projectId: project.id,
  personalApiKey: project.apiKey,
  sourcemaps: RELEASE,
  logLevel: 'warn',
  ...extra,
});

const neutral = (
  out: string,
  hogmaps: Options | undefined,
  extra: Partial<NeutralBuild> = {},
): NeutralBuild => ({
  root,
  outDir: path.join(root, out),
  entries: { main: 'src/main.js' },
  platform: 'browser',
  hogmaps,
  ...extra,
});

const uploaded = () => server.admin.symbolSetRows(project.id);
const jsFiles = (files: string[]) => files.filter((file) => file.endsWith('.js'));
const read = (outDir: string, file: string) => readFile(path.join(outDir, file), 'utf8');

async function symbolicate(frames: object[]): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${server.url}/api/projects/${project.id}/hogmaps/symbolicate/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${project.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ frames }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { frames: Array<Record<string, unknown>> }).frames;
}

function expectOriginal(name: ThrowName, resolved: { source: unknown; line: unknown }): void {
  expect(String(resolved.source)).toMatch(new RegExp(`(^|/)${APP_THROWS[name].source}$`));
  expect(resolved.line).toBe(throwLine(name));
}

describe('esbuild: every output file, code-split chunks included', () => {
  test('each JS file gets its own id and symbol set; the maps hogmaps made are gone', async () => {
    const outcome = await esbuildRunner.build(neutral('dist', withCredentials()));
    const js = jsFiles(outcome.files);
    expect(js).toHaveLength(4);
    expect(js.filter((file) => /^chunk-[A-Z0-9]{8}\.js$/.test(file))).toHaveLength(1);
    expect(outcome.files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(outcome.files.filter((file) => file.endsWith('.css'))).toHaveLength(1);
    expect(outcome.warnings).toEqual([]);

    const ids: string[] = [];
    for (const file of js) {
      const code = await read(outcome.outDir, file);
      expect(code).toMatch(CHUNK_ID_TAIL);
      expect(code).not.toMatch(/hogmaps:|sourceMappingURL/);
      expect(code.match(/_posthogChunkIds\[/g)).toHaveLength(1);
      ids.push(...(await chunkIdsIn(path.join(outcome.outDir, file))));
    }
    expect(new Set(ids).size).toBe(4);
    // The directive of the lazy 'use client' chunk stays first: the snippet goes after it.
    const lazyB = await read(outcome.outDir, js.find((file) => file.startsWith('lazy-b-'))!);
    expect(lazyB.startsWith('"use client";!function(){try{')).toBe(true);

    const rows = uploaded();
    expect(rows.map((row) => row.ref).sort()).toEqual([...ids].sort());
    expect(rows.every((row) => row.storage_ptr !== null && row.content_hash !== null)).toBe(true);
  });

  test('the uploaded maps resolve every throw, in every chunk, to its original line', async () => {
    const outcome = await esbuildRunner.build(neutral('dist', withCredentials()));
    const main = js(outcome.files, 'main-');
    const app = await runApp(path.join(outcome.outDir, main));
    expect(app.messages).toEqual({
      main: 'boom-main',
      shared: 'boom-shared',
      a: 'boom-a',
      b: 'boom-b:strict',
    });
    // What the snippets registered at runtime is what each file's comment says.
    for (const file of jsFiles(outcome.files)) {
      expect(app.registered[path.join(outcome.outDir, file)]).toBe(
        (await chunkIdsIn(path.join(outcome.outDir, file)))[0],
      );
    }
    const names = Object.keys(APP_THROWS) as ThrowName[];
    const frames = names.map((name) => toRawFrame(app.throws[name], app.registered));
    expect(new Set(frames.map((frame) => frame.chunk_id)).size).toBe(4);
    const resolved = await symbolicate(frames);
    names.forEach((name, index) => {
      const frame = resolved[index] as { resolved: unknown; source: unknown; line: number };
      expect(frame.resolved).toBe(true);
      // The server reports lines 0-based, as PostHog does; trace-mapping's are 1-based.
      expectOriginal(name, { source: frame.source, line: frame.line + 1 });
    });
  });

  test('linked maps: the id comes right before a valid sourceMappingURL, and the maps resolve every throw', async () => {
    const outcome = await esbuildRunner.build(neutral('dist', withCredentials(), { sourcemap: 'external' }));
    for (const file of jsFiles(outcome.files)) {
      const code = await read(outcome.outDir, file);
      const name = path.basename(file);
      expect(code).toMatch(
        new RegExp(`\\n//# chunkId=[0-9a-f-]{36}\\n//# sourceMappingURL=${name}\\.map\\n$`),
      );
      expect(outcome.files).toContain(`${file}.map`);
    }
    expect(uploaded()).toHaveLength(4);
    const app = await runApp(path.join(outcome.outDir, js(outcome.files, 'main-')));
    for (const name of Object.keys(APP_THROWS) as ThrowName[]) {
      const frame = app.throws[name];
      const map = new TraceMap(await readFile(`${frame.file}.map`, 'utf8'));
      expectOriginal(name, originalPositionFor(map, { line: frame.line, column: frame.column - 1 }));
    }
  });

  test('hashed names and bytes are deterministic; a content change renames what changed', async () => {
    const first = await esbuildRunner.build(neutral('one', { sourcemaps: RELEASE, logLevel: 'silent' }));
    resetBuildSessions();
    const second = await esbuildRunner.build(neutral('two', { sourcemaps: RELEASE, logLevel: 'silent' }));
    expect(second.files).toEqual(first.files);
    for (const file of jsFiles(first.files)) {
      expect(await read(second.outDir, file)).toBe(await read(first.outDir, file));
    }

    const lazy = path.join(root, 'src/lazy-a.js');
    await writeFile(lazy, (await readFile(lazy, 'utf8')).replace('REVISION = 1', 'REVISION = 2'));
    const changed = await esbuildRunner.build(neutral('three', { sourcemaps: RELEASE, logLevel: 'silent' }));
    const kept = changed.files.filter((file) => first.files.includes(file));
    expect(
      kept
        .filter((file) => file.endsWith('.js'))
        .map((file) => file.replace(/-[A-Z0-9]{8}\.js$/, ''))
        .sort(),
    ).toEqual(['chunk', 'lazy-b']);
    const before = await chunkIdsIn(path.join(first.outDir, js(first.files, 'lazy-a-')));
    const after = await chunkIdsIn(path.join(changed.outDir, js(changed.files, 'lazy-a-')));
    expect(after).not.toEqual(before);
  });

  test('write: false: outputFiles are injected in memory, nothing is written or uploaded', async () => {
    const config = neutral('dist', undefined);
    const result = await build({
      ...esbuildOptions(config),
      write: false,
      plugins: [hogmapsEsbuildPlugin(withCredentials())],
    });
    const js = result.outputFiles.filter((file) => file.path.endsWith('.js'));
    expect(js).toHaveLength(4);
    for (const file of js) {
      expect(file.text).toMatch(CHUNK_ID_TAIL);
      expect(file.text).not.toContain('hogmaps:');
    }
    expect(result.outputFiles.filter((file) => file.path.endsWith('.map'))).toEqual([]);
    expect(existsSync(config.outDir)).toBe(false);
    expect(uploaded()).toEqual([]);
    expect(result.warnings.map((warning) => warning.text)).toEqual([expect.stringMatching(/write is false/)]);
  });

  test('no credentials: the build succeeds with ids, one warning, and nothing is sent', async () => {
    const outcome = await esbuildRunner.build(neutral('dist', { sourcemaps: RELEASE }));
    expect(outcome.warnings).toEqual([expect.stringMatching(/^\[hogmaps\] .*credentials/i)]);
    for (const file of jsFiles(outcome.files))
      expect(await read(outcome.outDir, file)).toMatch(CHUNK_ID_TAIL);
    expect(outcome.files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(server.admin.symbolSetRows(server.projectId)).toEqual([]);
  });
});

describe('esbuild: files finished where esbuild wrote them', () => {
  /** Each JS file and map of a build, by name relative to its output folder. */
  type Contents = Record<string, string>;

  /** Reads every JS file and map esbuild reports, when a plugin after hogmaps sees the build end. */
  function laterReader(outDir: string, seen: Contents): Plugin {
    return {
      name: 'later-reader',
      setup(pluginBuild) {
        pluginBuild.onEnd(async (result) => {
          for (const file of Object.keys(result.metafile?.outputs ?? {})) {
            if (!/\.js(\.map)?$/.test(file)) continue;
            const absolute = path.resolve(root, file);
            seen[path.relative(outDir, absolute)] = await readFile(absolute, 'utf8');
          }
        });
      },
    };
  }

  test('finished in place before a later onEnd sees them, byte for byte as a write: false build (moved text and maps too)', async () => {
    // lazy-a is left out by the filter and lazy-b starts with 'use client': both move text, with their map.
    const hogmaps: Options = { sourcemaps: RELEASE, exclude: 'lazy-a-*.js', logLevel: 'silent' };
    const config = neutral('dist', undefined, { sourcemap: 'external' });
    const seen: Contents = {};
    const written = await build({
      ...esbuildOptions(config),
      plugins: [hogmapsEsbuildPlugin(hogmaps), laterReader(config.outDir, seen)],
    });
    expect(written.outputFiles).toBeUndefined();
    const names = Object.keys(seen).sort();
    expect(names.filter((name) => name.endsWith('.js'))).toHaveLength(4);
    expect(names.filter((name) => name.endsWith('.map'))).toHaveLength(4);
    for (const name of names) expect(seen[name]).toBe(await read(config.outDir, name));

    resetBuildSessions();
    const memory = await build({
      ...esbuildOptions(neutral('memory', undefined, { sourcemap: 'external' })),
      write: false,
      plugins: [hogmapsEsbuildPlugin(hogmaps)],
    });
    const inMemory: Contents = {};
    for (const file of memory.outputFiles) {
      if (/\.js(\.map)?$/.test(file.path))
        inMemory[path.relative(path.join(root, 'memory'), file.path)] = file.text;
    }
    expect(seen).toEqual(inMemory);

    for (const name of names.filter((file) => file.endsWith('.js'))) {
      const code = seen[name]!;
      expect(code).not.toContain('hogmaps:');
      const excluded = name.startsWith('lazy-a-');
      expect(code.includes('_posthogChunkIds')).toBe(!excluded);
      expect(/\n\/\/# chunkId=[0-9a-f-]{36}\n\/\/# sourceMappingURL=/.test(code)).toBe(!excluded);
    }
    expect(seen[names.find((name) => name.startsWith('lazy-b-') && name.endsWith('.js'))!]).toMatch(
      /^"use client";!function\(\)\{try\{/,
    );
  });

  test('a later plugin turning write off: ids in memory, the maps hogmaps made dropped, a warning, no upload', async () => {
    const config = neutral('dist', undefined);
    const result = await build({
      ...esbuildOptions(config),
      plugins: [
        hogmapsEsbuildPlugin(withCredentials()),
        {
          name: 'writes-itself',
          setup(pluginBuild) {
            pluginBuild.initialOptions.write = false;
          },
        },
      ],
    });
    const js = result.outputFiles!.filter((file) => file.path.endsWith('.js'));
    expect(js).toHaveLength(4);
    for (const file of js) expect(file.text).toMatch(CHUNK_ID_TAIL);
    expect(result.outputFiles!.filter((file) => file.path.endsWith('.map'))).toEqual([]);
    expect(existsSync(config.outDir)).toBe(false);
    expect(uploaded()).toEqual([]);
    expect(result.warnings.map((warning) => warning.text)).toEqual([expect.stringMatching(/write is false/)]);
  });
});

describe('esbuild: hashed entry names follow the release, and only they', () => {
  /** Builds release `version` with linked maps; a later plugin reads the metafile esbuild returns. */
  async function release(out: string, version: string, extra: Partial<BuildOptions> = {}) {
    resetBuildSessions();
    const config = neutral(out, undefined, { sourcemap: 'external' });
    let outputs: string[] = [];
    const result = await build({
      ...esbuildOptions(config),
      ...extra,
      plugins: [
        hogmapsEsbuildPlugin(withCredentials({ sourcemaps: { ...RELEASE, releaseVersion: version } })),
        {
          name: 'metafile-reader',
          setup(pluginBuild) {
            pluginBuild.onEnd((built) => {
              outputs = Object.keys(built.metafile?.outputs ?? {});
            });
          },
        },
      ],
    });
    const files = outputs.map((file) => path.relative(config.outDir, path.resolve(root, file))).sort();
    return { result, outDir: config.outDir, files, warnings: result.warnings.map((warning) => warning.text) };
  }

  test('a new release renames the entry (and its map) alone; the metafile, the map link and the upload follow', async () => {
    const a = await release('a', '1.0.0');
    const rowsA = uploaded();
    const b = await release('b', '1.0.1');
    expect(b.warnings).toEqual([]);
    const mainA = js(a.files, 'main-');
    const mainB = js(b.files, 'main-');
    expect(mainB).toMatch(/^main-[A-Z2-7]{8}\.js$/);
    expect(mainB).not.toBe(mainA);
    // Every other file keeps its name and bytes (the entry's CSS too); the metafile names what is on disk.
    const others = (files: string[]) =>
      files.filter((file) => !file.startsWith('main-') || file.endsWith('.css'));
    expect(others(b.files)).toEqual(others(a.files));
    for (const file of others(b.files)) expect(await read(b.outDir, file)).toBe(await read(a.outDir, file));
    for (const file of b.files) expect(existsSync(path.join(b.outDir, file)), file).toBe(true);
    expect(b.files).toContain(`${mainB}.map`);
    expect(b.files).not.toContain(mainA);
    // The entry's bytes carry the new release, and its comment names its renamed map.
    const code = await read(b.outDir, mainB);
    expect(code).toContain('_posthogReleaseId||');
    expect(code).toMatch(new RegExp(`\\n//# sourceMappingURL=${mainB}\\.map\\n$`));
    // Same code: only the entry is sent again, since its sourceMappingURL (which the content hash
    // covers, as posthog-cli's does) names its new map. The chunks are not.
    const stored = new Map(rowsA.map((row) => [row.ref, row.storage_ptr]));
    const resent = uploaded().filter((row) => stored.get(row.ref) !== row.storage_ptr);
    expect(resent.map((row) => row.ref)).toEqual([await chunkIdsIn(path.join(b.outDir, mainB))].flat());
    expect(uploaded()).toHaveLength(rowsA.length);
    // The renamed entry still runs, loads its chunks, and its map resolves its throw.
    const app = await runApp(path.join(b.outDir, mainB));
    const frame = app.throws.main;
    expect(path.basename(frame.file)).toBe(mainB);
    const map = new TraceMap(await readFile(`${frame.file}.map`, 'utf8'));
    expectOriginal('main', originalPositionFor(map, { line: frame.line, column: frame.column - 1 }));

    // The same release built again: the same names, byte for byte.
    const again = await release('again', '1.0.1');
    expect(again.files).toEqual(b.files);
    for (const file of b.files) expect(await read(again.outDir, file)).toBe(await read(b.outDir, file));
  });

  test('write: false: the entry is renamed in outputFiles and in the metafile alike', async () => {
    const a = await release('a', '2.0.0', { write: false });
    const b = await release('b', '2.0.1', { write: false });
    const paths = (built: typeof a) =>
      built.result.outputFiles!.map((file) => path.relative(built.outDir, file.path)).sort();
    expect(paths(b)).toEqual(b.files);
    const mainA = js(a.files, 'main-');
    const mainB = js(b.files, 'main-');
    expect(mainB).not.toBe(mainA);
    expect(b.files.filter((file) => !file.startsWith('main-'))).toEqual(
      a.files.filter((file) => !file.startsWith('main-')),
    );
    const entry = b.result.outputFiles!.find((file) => file.path.endsWith(`/${mainB}`))!;
    expect(entry.text).toContain('_posthogReleaseId||');
    expect(entry.text).toMatch(new RegExp(`\\n//# sourceMappingURL=${mainB}\\.map\\n$`));
    expect(existsSync(b.outDir)).toBe(false);
  });

  test('an entry that another entry loads with import() keeps its name, with a warning', async () => {
    const both = { entryPoints: { main: 'src/main.js', 'lazy-a': 'src/lazy-a.js' } };
    const a = await release('a', '3.0.0', both);
    const b = await release('b', '3.0.1', both);
    expect(b.warnings).toEqual([
      expect.stringMatching(
        /b\/lazy-a-[A-Z2-7]{8}\.js carries the release id but keeps its name \(another chunk loads it with import\(\)\)/,
      ),
    ]);
    const lazyA = js(b.files, 'lazy-a-');
    expect(js(a.files, 'lazy-a-')).toBe(lazyA);
    expect(await read(b.outDir, lazyA)).not.toBe(await read(a.outDir, lazyA));
    expect(js(b.files, 'main-')).not.toBe(js(a.files, 'main-'));
  });
});

describe('esbuild: options and output shapes', () => {
  test('the same code built twice in one process: uploaded once, and neither copy ships a map', async () => {
    const first = await esbuildRunner.build(neutral('one', withCredentials()));
    const second = await esbuildRunner.build(neutral('two', withCredentials()));
    expect(second.files).toEqual(first.files);
    expect([...first.files, ...second.files].filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(uploaded()).toHaveLength(4);
  });

  test('a Node build (runner): ESM .mjs files, the hashbang first, and it runs', async () => {
    const outcome = await esbuildRunner.build(
      neutral(
        'dist-node',
        { sourcemaps: RELEASE, logLevel: 'silent' },
        { platform: 'node', entries: { cli: 'node/cli.js' } },
      ),
    );
    const cli = path.join(outcome.outDir, 'cli.mjs');
    expect(outcome.files.filter((file) => file.endsWith('.js'))).toEqual([]);
    expect((await readFile(cli, 'utf8')).startsWith('#!/usr/bin/env node\n!function(){try{')).toBe(true);
    expect((await run(process.execPath, [cli])).stdout.trim()).toBe('ratio=2 mode=strict ids=1');
  });

  test('a Node CLI in CommonJS: hashbang first, "use strict" stays a directive, throws still resolve', async () => {
    const outdir = path.join(root, 'cli');
    const options: BuildOptions = {
      absWorkingDir: root,
      entryPoints: ['node/cli.js'],
      outdir,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      minify: true,
      sourcemap: 'linked',
      logLevel: 'silent',
      plugins: [hogmapsEsbuildPlugin({ sourcemaps: RELEASE, logLevel: 'silent' })],
    };
    await build(options);
    const cli = path.join(outdir, 'cli.js');
    const code = await readFile(cli, 'utf8');
    expect(code.startsWith('#!/usr/bin/env node\n"use strict";!function(){try{')).toBe(true);
    expect((await stat(cli)).mode & 0o111).not.toBe(0);
    expect((await run(process.execPath, [cli])).stdout.trim()).toBe('ratio=2 mode=strict ids=1');

    const failure = await run(process.execPath, [cli, 'fail']).catch((error: { stderr: string }) => error);
    const frame = topFrame((failure as { stderr: string }).stderr);
    const resolved = originalPositionFor(new TraceMap(await readFile(`${cli}.map`, 'utf8')), {
      line: frame.line,
      column: frame.column - 1,
    });
    expect(resolved.source).toMatch(/node\/cli\.js$/);
    expect(resolved.line).toBe(
      APP_FILES['node/cli.js']!.split('\n').findIndex((line) => line.includes('boom-cli')) + 1,
    );
  });

  test("the user's banner and footer stay, and a reused options object is given back unchanged", async () => {
    const options: BuildOptions = {
      ...esbuildOptions(neutral('dist', { sourcemaps: RELEASE, logLevel: 'silent' }, { hashedNames: false })),
      banner: { js: '/* user banner */' },
      footer: { js: '/* user footer */' },
    };
    const before = { ...options };
    await build(options);
    const first = await read(path.join(root, 'dist'), 'main.js');
    expect(first.startsWith('/* user banner */\n!function(){try{')).toBe(true);
    expect(first).toMatch(/\n\/\* user footer \*\/\n\/\/# chunkId=[0-9a-f-]{36}\n$/);
    expect(options).toEqual(before);

    await rm(path.join(root, 'dist'), { recursive: true });
    await build(options);
    expect(await read(path.join(root, 'dist'), 'main.js')).toBe(first);
    expect(options).toEqual(before);
  });

  test('failOnError: a failing upload fails the build; without it the build succeeds and warns', async () => {
    const wrongKey = { personalApiKey: 'phx_not_a_key_of_this_server' };
    await expect(
      esbuildRunner.build(neutral('failing', withCredentials({ ...wrongKey, failOnError: true }))),
    ).rejects.toThrow(/hogmaps/);
    resetBuildSessions();
    const outcome = await esbuildRunner.build(neutral('dist', withCredentials(wrongKey)));
    expect(outcome.warnings.length).toBeGreaterThan(0);
    expect(outcome.warnings.join('\n')).toMatch(/401|invalid|authenticat/i);
    for (const file of jsFiles(outcome.files))
      expect(await read(outcome.outDir, file)).toMatch(CHUNK_ID_TAIL);
  });
});

function js(files: string[], prefix: string): string {
  const found = files.find((file) => file.startsWith(prefix) && /\.m?js$/.test(file));
  if (!found) throw new Error(`no ${prefix}*.js in ${files.join(', ')}`);
  return found;
}

function toRawFrame(frame: Frame, registered: Record<string, string>) {
  return {
    platform: 'node:javascript',
    filename: frame.file,
    function: '?',
    lineno: frame.line,
    colno: frame.column,
    in_app: true,
    chunk_id: registered[frame.file],
  };
}
