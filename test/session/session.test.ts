import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import {
  type BuildResult,
  createBuildSession,
  createLogger,
  type Options,
  pendingMapsDir,
  readManifest,
  resolveOptions,
} from '@hogmaps/core';
import type { RunningServer } from '@hogmaps/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTempServer } from '../harness/temp-server';
import { emitChunk, listSets as listSetsOf, sessionFor } from './harness';

const require = createRequire(import.meta.url);
let server: RunningServer;
let work: string;

beforeAll(async () => {
  server = await startTempServer('session');
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'hogmaps-session-'));
  server.faults.clear();
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const session = (extra: Options = {}, env: NodeJS.ProcessEnv = {}, level: 'info' | 'debug' = 'info') =>
  sessionFor(server, work, extra, env, level);
const listSets = () => listSetsOf(server);

describe('build session', () => {
  test('two builds share one release and never upload a chunk twice', async () => {
    const { session: s } = session();
    const injection = await s.prepare();
    expect(injection.releaseMode).toBe('event');
    expect(injection.releaseId).toMatch(/^[0-9a-f-]{36}$/);

    const shared = await emitChunk(path.join(work, 'client'), 'shared', 'shared();', (c) => s.chunkIdFor(c));
    const client = await emitChunk(path.join(work, 'client'), 'client', 'client();', (c) => s.chunkIdFor(c));
    const first = await s.finishBuild({ outDir: path.join(work, 'client'), chunks: [shared, client] });
    expect(first.upload?.uploaded.sort()).toEqual([shared.chunkId, client.chunkId].sort());

    const ssr = await emitChunk(path.join(work, 'ssr'), 'ssr', 'ssr();', (c) => s.chunkIdFor(c));
    const sharedAgain = await emitChunk(path.join(work, 'ssr'), 'shared', 'shared();', (c) =>
      s.chunkIdFor(c),
    );
    expect(sharedAgain.chunkId).toBe(shared.chunkId);
    const second = await s.finishBuild({ outDir: path.join(work, 'ssr'), chunks: [ssr, sharedAgain] });
    expect(second.upload?.uploaded).toEqual([ssr.chunkId]);

    const sets = await listSets();
    const refs = sets.results.map((set) => set.ref);
    for (const id of [shared.chunkId, client.chunkId, ssr.chunkId])
      expect(refs.filter((ref) => ref === id)).toHaveLength(1);
    // Maps hogmaps turned on never ship once uploaded.
    for (const chunk of [shared, client, ssr]) expect(existsSync(chunk.mapPath)).toBe(false);
    const manifest = await readManifest(path.join(work, 'client', 'hogmaps-manifest.json'));
    expect(manifest.release?.id).toBe(injection.releaseId);
    expect(manifest.chunks.map((chunk) => chunk.status)).toEqual(['uploaded', 'uploaded']);
    // The SSR folder's manifest lists its copy of the shared chunk too, uploaded by the first build.
    const ssrManifest = await readManifest(path.join(work, 'ssr', 'hogmaps-manifest.json'));
    expect(Object.fromEntries(ssrManifest.chunks.map((chunk) => [chunk.file, chunk.status]))).toEqual({
      'ssr.js': 'uploaded',
      'shared.js': 'uploaded',
    });
    expect(existsSync(sharedAgain.mapPath)).toBe(false);
  });

  test('uploads from a worker thread when asked (or the heap is large), else from its own', async () => {
    const build = async (extra: Options, env: NodeJS.ProcessEnv, dir: string) => {
      const { session: s, lines } = session(extra, env, 'debug');
      await s.prepare();
      const chunk = await emitChunk(path.join(work, dir), 'app', `app_${dir}();`, (c) => s.chunkIdFor(c));
      const report = await s.finishBuild({ outDir: path.join(work, dir), chunks: [chunk] });
      const offThread = lines.some((line) => line.includes('symbol sets from a worker thread'));
      return { report, chunk, lines, offThread };
    };
    const worker = await build({ uploadThread: 'worker' }, {}, 'worker');
    expect(worker.offThread).toBe(true);
    expect(worker.report.upload?.uploaded).toEqual([worker.chunk.chunkId]);
    // The worker's own lines reach the build's logger: the same chunk again is already uploaded.
    const again = await build({ uploadThread: 'worker' }, {}, 'worker');
    expect(again.chunk.chunkId).toBe(worker.chunk.chunkId);
    expect(again.report.upload?.alreadyPresent).toEqual([worker.chunk.chunkId]);
    expect(again.lines).toContainEqual(
      expect.stringMatching(new RegExp(`app\\.js: already uploaded \\(chunk ${worker.chunk.chunkId}\\)`)),
    );

    // 'auto' with this test's small heap, and 'worker' with a proxy variable (proxying is then a
    // function of the URL, which a worker cannot be given): this thread. The server is http and only
    // HTTPS_PROXY is set, so requests still go straight to it.
    const auto = await build({}, {}, 'auto');
    const proxied = await build({ uploadThread: 'worker' }, { HTTPS_PROXY: 'http://127.0.0.1:9' }, 'proxied');
    for (const run of [auto, proxied]) {
      expect(run.offThread).toBe(false);
      expect(run.report.upload?.uploaded).toEqual([run.chunk.chunkId]);
    }
    const refs = (await listSets()).results.map((set) => set.ref);
    expect(refs).toEqual(
      expect.arrayContaining([worker.chunk.chunkId, auto.chunk.chunkId, proxied.chunk.chunkId]),
    );
  });

  test('a worker started while the bundler rendered carries the upload, unless the finish cannot use it', async () => {
    const build = async (
      dir: string,
      result: Partial<BuildResult> = {},
      s = session({ uploadThread: 'worker' }, {}, 'debug'),
    ) => {
      await s.session.prepare();
      // What the plugin does at a build's first chunk.
      s.session.warmUpload();
      const chunk = await emitChunk(path.join(work, dir), 'app', `app_${dir}();`, (c) =>
        s.session.chunkIdFor(c),
      );
      const report = await s.session.finishBuild({
        outDir: path.join(work, dir),
        chunks: [chunk],
        ...result,
      });
      const from = (what: RegExp) => s.lines.some((line) => what.test(line));
      return {
        s,
        chunk,
        report,
        warm: from(/worker thread \(started while the bundler rendered\)/),
        offThread: from(/from a worker thread/),
      };
    };
    const warm = await build('warm');
    expect(warm.warm).toBe(true);
    expect(warm.report.upload?.uploaded).toEqual([warm.chunk.chunkId]);

    // A preset's rewrite of map sources is a function, which no worker can be given: the started
    // worker goes unused and this thread uploads.
    const rewritten = await build('rewritten', { rewriteSource: (source) => `rewritten/${source}` });
    expect(rewritten.offThread).toBe(false);
    expect(rewritten.report.upload?.uploaded).toEqual([rewritten.chunk.chunkId]);

    // A watch build uploads nothing (uploadInWatchMode is off): its worker is ended, and the
    // session starts none for the builds after it, which still upload from a worker of their own.
    const watching = session({ uploadThread: 'worker' }, {}, 'debug');
    const watch = await build('watch', { watch: true }, watching);
    expect(watch.report.skippedBecause).toBe('watch mode');
    const after = await build('after', {}, watching);
    expect(after.offThread).toBe(true);
    expect(after.warm).toBe(false);
    expect(after.report.upload?.uploaded).toEqual([after.chunk.chunkId]);
  });

  test('a worker started for a build that never finishes does not keep the process alive', async () => {
    // A failed build never reaches its finish; the worker it started must not hold the process.
    const core = path.join(path.dirname(require.resolve('@hogmaps/core/package.json')), 'dist/index.js');
    const script = path.join(work, 'unfinished.mjs');
    await writeFile(
      script,
      `import { createBuildSession, resolveOptions } from ${JSON.stringify(pathToFileURL(core).href)};
const options = resolveOptions(
  { personalApiKey: 'phx_unused', projectId: 1, host: 'http://127.0.0.1:9', uploadThread: 'worker' },
  {},
  { cwd: process.cwd() },
);
createBuildSession(options, { tool: 'vite', env: {} }).warmUpload();
setTimeout(() => console.log('rendered'), 300);
`,
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stdout.trim()).toBe('rendered');
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
  });

  test('a chunk whose map maps nothing is not uploaded, and its map, being ours, still goes', async () => {
    const { session: s } = session();
    await s.prepare();
    const outDir = path.join(work, 'server');
    const app = await emitChunk(outDir, 'app', 'app();', (c) => s.chunkIdFor(c));
    // What Nitro leaves of the map of a chunk made only of dependencies: sources, no mappings.
    const library = await emitChunk(outDir, 'library', 'library();', (c) => s.chunkIdFor(c));
    await writeFile(
      library.mapPath,
      JSON.stringify({ version: 3, sources: ['../node_modules/h3/index.mjs'], names: [], mappings: ';;' }),
    );
    const report = await s.finishBuild({ outDir, chunks: [app, library] });
    expect(report.upload?.uploaded).toEqual([app.chunkId]);
    expect((await listSets()).results.map((set) => set.ref)).not.toContain(library.chunkId);
    expect(existsSync(library.mapPath)).toBe(false);
    expect(report.summary).toMatch(
      /2 chunks with ids, 1 symbol set uploaded .*1 with nothing to map skipped/,
    );
    expect(report.skippedBecause).toBeUndefined();
    const manifest = await readManifest(report.manifestPath!);
    expect(manifest.chunks.map((chunk) => [chunk.file, chunk.status])).toEqual([['app.js', 'uploaded']]);

    // An output of such chunks alone uploads nothing, and says why.
    const depsDir = path.join(work, 'deps');
    const deps = await emitChunk(depsDir, 'deps', 'deps();', (c) => s.chunkIdFor(c));
    await writeFile(
      deps.mapPath,
      JSON.stringify({ version: 3, sources: ['../node_modules/ufo/index.mjs'], mappings: '' }),
    );
    const only = await s.finishBuild({ outDir: depsDir, chunks: [deps] });
    expect(only.upload?.mapsNothing).toEqual([deps.chunkId]);
    expect(only.skippedBecause).toBe('no code worth mapping');
    expect(only.summary).toMatch(/0 symbol sets uploaded .*1 with nothing to map skipped/);
    expect((await listSets()).results.map((set) => set.ref)).not.toContain(deps.chunkId);
    expect(existsSync(deps.mapPath)).toBe(false);
  });

  test('a failed upload keeps the maps out of the output but available for a retry, and does not throw', async () => {
    server.faults.add({ match: { path: 'bulk_start_upload' }, action: { status: 503 }, times: 10 });
    const { session: s, lines } = session({ retries: 0 });
    await s.prepare();
    const outDir = path.join(work, 'dist');
    const chunk = await emitChunk(outDir, 'failing', 'failing();', (c) => s.chunkIdFor(c));
    const report = await s.finishBuild({ outDir, chunks: [chunk] });

    expect(report.upload?.uploaded ?? []).toEqual([]);
    expect(existsSync(chunk.mapPath)).toBe(false);
    const manifest = await readManifest(report.manifestPath!);
    expect(manifest.chunks[0]?.status).toBe('failed');
    const kept = path.resolve(outDir, manifest.chunks[0]!.map!);
    expect(kept.startsWith(pendingMapsDir(work))).toBe(true);
    expect(JSON.parse(await readFile(kept, 'utf8')).sources).toEqual(['src/failing.ts']);
    expect(lines.some((line) => line.includes('warning') || line.includes('error'))).toBe(true);
  });

  test('failOnError turns an upload failure into a thrown error, after applying the map policy', async () => {
    server.faults.add({ match: { path: 'bulk_start_upload' }, action: { status: 500 }, times: 10 });
    const { session: s } = session({ retries: 0, failOnError: true });
    await s.prepare();
    const outDir = path.join(work, 'dist');
    const chunk = await emitChunk(outDir, 'strict', 'strict();', (c) => s.chunkIdFor(c));
    await expect(s.finishBuild({ outDir, chunks: [chunk] })).rejects.toThrow(/upload failed/);
    expect(existsSync(chunk.mapPath)).toBe(false);
  });

  test('an error thrown under failOnError never holds the key a server echoed back', async () => {
    const key = server.apiKey;
    server.faults.add({
      match: { path: 'bulk_start_upload' },
      action: { status: 400, body: { type: 'validation_error', code: key, detail: `bad ${key}`, attr: key } },
      times: 10,
    });
    const { session: s, lines } = session({ retries: 0, failOnError: true });
    await s.prepare();
    const outDir = path.join(work, 'dist');
    const chunk = await emitChunk(outDir, 'echoed', 'echoed();', (c) => s.chunkIdFor(c));
    const error = await s.finishBuild({ outDir, chunks: [chunk] }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Error);
    const printed = `${inspect(error, { depth: 10 })}\n${(error as Error).stack}\n${lines.join('\n')}`;
    expect(printed).toContain(`phx_…${key.slice(-4)}`);
    expect(printed).not.toContain(key);
    expect(await readFile(path.join(outDir, 'hogmaps-manifest.json'), 'utf8')).not.toContain(key);
  });

  test('without credentials nothing is sent and exactly one warning is printed, however many builds', async () => {
    const before = (await listSets()).count;
    const options = resolveOptions(
      { host: server.url, sourcemaps: { releaseName: 'anon', releaseVersion: '1' } },
      {},
      { cwd: work },
    );
    const lines: string[] = [];
    const s = createBuildSession(options, {
      tool: 'rollup',
      logger: createLogger({ write: (line) => lines.push(line) }),
      env: {},
    });
    await s.prepare();
    const outDir = path.join(work, 'dist');
    const a = await emitChunk(outDir, 'a', 'a();', (c) => s.chunkIdFor(c));
    const b = await emitChunk(outDir, 'b', 'b();', (c) => s.chunkIdFor(c));
    const first = await s.finishBuild({ outDir, chunks: [{ ...a, mapIsOurs: false }] });
    await s.finishBuild({ outDir, chunks: [{ ...b, mapIsOurs: false }] });
    expect(first.skippedBecause).toBe('no credentials');
    expect((await listSets()).count).toBe(before);
    expect(lines.filter((line) => line.includes('warning'))).toHaveLength(1);
    // The user's own maps stay where they are.
    expect(existsSync(a.mapPath)).toBe(true);
  });

  test('watch rebuilds upload nothing unless asked', async () => {
    const { session: s } = session();
    await s.prepare();
    const outDir = path.join(work, 'dist');
    const chunk = await emitChunk(outDir, 'watched', 'watched();', (c) => s.chunkIdFor(c));
    const report = await s.finishBuild({ outDir, chunks: [chunk], watch: true });
    expect(report.skippedBecause).toBe('watch mode');
    expect((await listSets()).results.some((set) => set.ref === chunk.chunkId)).toBe(false);
  });

  test('symbol-set mode binds sets to the release and mixes the release into chunk ids', async () => {
    const { session: s } = session({
      sourcemaps: { releaseName: 'bound-app', releaseVersion: '2.0.0', releaseMode: 'symbol-set' },
    });
    const injection = await s.prepare();
    expect(injection.releaseId).toBeUndefined();
    expect(injection.releaseHashId).toMatch(/^[0-9a-f]{128}$/);
    const code = 'x();\n';
    const { session: other } = session({
      sourcemaps: { releaseName: 'bound-app', releaseVersion: '2.0.1', releaseMode: 'symbol-set' },
    });
    await other.prepare();
    expect(s.chunkIdFor(code)).not.toBe(other.chunkIdFor(code));

    const outDir = path.join(work, 'dist');
    const chunk = await emitChunk(outDir, 'bound', 'bound();', (c) => s.chunkIdFor(c));
    await s.finishBuild({ outDir, chunks: [chunk] });
    const set = (await listSets()).results.find((entry) => entry.ref === chunk.chunkId);
    expect(set?.release).toMatchObject({ project: 'bound-app', version: '2.0.0' });
  });
});

describe('chunks without maps and files that vanished', () => {
  /** An adapter moved or removed files after the bundler wrote them (or a chunk never had a map). */
  async function mixedBuild(tag: string, level: 'info' | 'debug') {
    const { session: s, lines } = session({}, {}, level);
    await s.prepare();
    const outDir = path.join(work, 'dist');
    const id = (code: string) => s.chunkIdFor(code);
    // The tag keeps chunk ids apart between tests (one server for the file).
    const good = await emitChunk(outDir, 'good', `good(${JSON.stringify(tag)});`, id);
    const noMap = { ...(await emitChunk(outDir, 'nomap', 'nomap();', id)), mapPath: undefined };
    const mapGone = await emitChunk(outDir, 'mapgone', 'mapgone();', id);
    await rm(mapGone.mapPath);
    const jsGone = await emitChunk(outDir, 'jsgone', 'jsgone();', id);
    await rm(jsGone.jsPath);
    const report = await s.finishBuild({ outDir, chunks: [good, noMap, mapGone, jsGone] });
    return { report, lines, good, noMap, mapGone, jsGone };
  }

  test('are skipped, counted in the summary with one debug line, never failed', async () => {
    const { report, lines, good } = await mixedBuild('counted', 'debug');
    expect(report.upload?.uploaded).toEqual([good.chunkId]);
    expect(report.upload?.failed).toEqual([]);
    expect(report.summary).toMatch(/1 symbol set uploaded/);
    expect(report.summary).toMatch(/2 without a source map skipped, 1 with a missing file skipped/);
    expect(report.summary).not.toMatch(/failed/);
    const skippedLines = lines.filter((line) => /skipped/.test(line) && !line.includes(report.summary));
    expect(skippedLines, lines.join('\n')).toHaveLength(1);
    expect(skippedLines[0]).toMatch(/^\[hogmaps\] .*nomap\.js.*mapgone\.js.*jsgone\.js/);
    expect(
      lines.filter((line) => /^\[hogmaps\] (warning|error)/.test(line)),
      lines.join('\n'),
    ).toEqual([]);
  });

  test('never abort the finish: manifest, uploads and map deletion still happen for the rest', async () => {
    const { report, lines, good, jsGone } = await mixedBuild('finished', 'info');
    // The list of skipped chunks is a debug line: at info only the summary counts them.
    expect(
      lines.filter((line) => line.includes('nomap')),
      lines.join('\n'),
    ).toEqual([]);
    expect(existsSync(good.mapPath)).toBe(false);
    // The JS went, but a map hogmaps caused must not ship all the same.
    expect(existsSync(jsGone.mapPath)).toBe(false);
    const manifest = await readManifest(report.manifestPath!);
    expect(manifest.chunks.map((chunk) => [chunk.file, chunk.status])).toEqual([['good.js', 'uploaded']]);
    expect((await listSets()).results.map((set) => set.ref)).toContain(good.chunkId);
  });

  test('a real processing failure is loud, and the rest still goes', async () => {
    const { session: s, lines } = session();
    await s.prepare();
    const outDir = path.join(work, 'dist');
    const good = await emitChunk(outDir, 'fine', 'fine();', (c) => s.chunkIdFor(c));
    const broken = await emitChunk(outDir, 'broken', 'broken();', (c) => s.chunkIdFor(c));
    await writeFile(broken.mapPath, '{ not json');
    const report = await s.finishBuild({ outDir, chunks: [good, broken] });
    expect(report.upload?.uploaded).toEqual([good.chunkId]);
    expect(report.upload?.failed.map((failure) => failure.chunkId)).toEqual([broken.chunkId]);
    expect(report.summary).toMatch(/1 failed/);
    expect(lines.some((line) => line.includes('error') && line.includes('broken.js.map'))).toBe(true);
    const manifest = await readManifest(report.manifestPath!);
    expect(Object.fromEntries(manifest.chunks.map((chunk) => [chunk.file, chunk.status]))).toEqual({
      'fine.js': 'uploaded',
      'broken.js': 'failed',
    });
  });
});

describe('manifest', () => {
  test('a file that is not a manifest gives one clear error naming it', async () => {
    const file = path.join(work, 'bad-manifest.json');
    await writeFile(file, '{"manifestVersion": 7, "chunks": []}');
    await expect(readManifest(file)).rejects.toThrow(
      /bad-manifest\.json is not a hogmaps manifest: .*manifestVersion/,
    );
    await writeFile(file, 'not json');
    await expect(readManifest(file)).rejects.toThrow(/not valid JSON/);
    await expect(readManifest(path.join(work, 'missing.json'))).rejects.toThrow(/Cannot read the manifest/);
  });

  test('a manifest is untrusted: ids, host, project and release are checked when it is read', async () => {
    const file = path.join(work, 'tampered.json');
    const base = {
      manifestVersion: 1,
      tool: 'hogmaps/vite',
      createdAt: '2026-01-01T00:00:00.000Z',
      host: 'http://127.0.0.1:8000',
      projectId: '1',
      releaseMode: 'event',
      release: null,
      chunks: [
        { chunkId: '58a7864c-f7b3-5a2e-ba91-18655350fd89', file: 'a.js', map: 'a.js.map', status: 'failed' },
      ],
    };
    const read = async (change: Record<string, unknown>) => {
      await writeFile(file, JSON.stringify({ ...base, ...change }));
      return readManifest(file);
    };
    await expect(read({})).resolves.toMatchObject({ projectId: '1' });
    await expect(
      read({ chunks: [{ chunkId: '../../../escaped', file: 'a.js', map: null, status: 'failed' }] }),
    ).rejects.toThrow(/chunks\[0\]\.chunkId "\.\.\/\.\.\/\.\.\/escaped" is not a chunk id/);
    await expect(read({ host: 'file:///etc' })).rejects.toThrow(
      /`host` "file:\/\/\/etc" is not an http\(s\) URL/,
    );
    await expect(read({ projectId: '1/../2' })).rejects.toThrow(/`projectId` .* is not a project id/);
    await expect(
      read({ release: { id: '../x', name: 'a', version: '1', hashId: 'f'.repeat(128) } }),
    ).rejects.toThrow(/`release.id` .* is not a release UUID/);
  });
});
