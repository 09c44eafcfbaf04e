import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Options } from '@hogmaps/core';
import { hogmapsEsbuildPlugin } from '@hogmaps/esbuild';
import type { RunningServer } from '@hogmaps/server';
import { type BuildContext, context, type Plugin } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { chunkIdsIn, writeApp } from './esbuild-app';
import { esbuildOptions } from './harness/bundlers/esbuild';
import { isolateBuild } from './harness/isolation';
import { startTempServer } from './harness/temp-server';

let server: RunningServer;
let root: string;
let project: { id: number; apiKey: string };
let ctx: BuildContext | undefined;

beforeAll(async () => {
  server = await startTempServer('esbuild-watch');
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  isolateBuild();
  root = await mkdtemp(path.join(tmpdir(), 'hogmaps-esbuild-watch-'));
  await writeApp(root);
  const created = server.admin.createProject({ name: 'esbuild-watch' });
  project = { id: created.id, apiKey: server.admin.createApiKey({ projectIds: [created.id] }).key };
});
afterEach(async () => {
  await ctx?.dispose();
  ctx = undefined;
  vi.unstubAllEnvs();
  await rm(root, { recursive: true, force: true });
});

const uploaded = () => server.admin.symbolSetRows(project.id).map((row) => row.ref);

/** A plugin after hogmaps that reports each finished build. */
function buildEnds() {
  const waiting: Array<() => void> = [];
  const plugin: Plugin = {
    name: 'build-ends',
    setup(build) {
      build.onEnd(() => {
        for (const resolve of waiting.splice(0)) resolve();
      });
    },
  };
  return { plugin, next: () => new Promise<void>((resolve) => waiting.push(resolve)) };
}

/** A context over the app, unminified, with the user's own linked maps (kept on disk, never moved aside). */
async function createContext(hogmaps: Options, plugins: Plugin[] = []): Promise<BuildContext> {
  const base = esbuildOptions({
    root,
    outDir: path.join(root, 'dist'),
    entries: { main: 'src/main.js' },
    platform: 'browser',
    hogmaps: undefined,
    sourcemap: 'external',
    minify: false,
  });
  ctx = await context({ ...base, plugins: [hogmapsEsbuildPlugin(hogmaps), ...plugins] });
  return ctx;
}

async function setRevision(revision: number): Promise<void> {
  const file = path.join(root, 'src/lazy-a.js');
  await writeFile(file, (await readFile(file, 'utf8')).replace(/REVISION = \d+/, `REVISION = ${revision}`));
}

/** The chunk id of the newest lazy-a file holding `REVISION = <revision>`. */
async function lazyChunkId(revision: number): Promise<string> {
  const dist = path.join(root, 'dist');
  for (const name of await readdir(dist)) {
    if (!/^lazy-a-.*\.js$/.test(name)) continue;
    const code = await readFile(path.join(dist, name), 'utf8');
    if (!code.includes(`REVISION = ${revision};`)) continue;
    const ids = await chunkIdsIn(path.join(dist, name));
    expect(ids).toHaveLength(1);
    return ids[0]!;
  }
  throw new Error(`no lazy-a chunk with revision ${revision}`);
}

describe('esbuild context(): rebuilds', () => {
  const credentials = (): Options => ({
    host: server.url,
    projectId: project.id,
    personalApiKey: project.apiKey,
    sourcemaps: { releaseName: 'esbuild-watch', releaseVersion: '1.0.0' },
    logLevel: 'warn',
  });

  test('the first build uploads; rebuild() and watch() rebuilds inject but upload nothing', async () => {
    const ends = buildEnds();
    const watched = await createContext(credentials(), [ends.plugin]);
    await watched.rebuild();
    const first = uploaded();
    expect(first).toHaveLength(4);

    await setRevision(2);
    const result = await watched.rebuild();
    expect(result.errors).toEqual([]);
    expect(first).not.toContain(await lazyChunkId(2));
    expect(uploaded()).toEqual(first);

    const initial = ends.next();
    await watched.watch();
    await initial;
    const changed = ends.next();
    await setRevision(3);
    await changed;
    expect(first).not.toContain(await lazyChunkId(3));
    expect(uploaded()).toEqual(first);
  });

  test('uploadInWatchMode uploads what a rebuild changed', async () => {
    const watched = await createContext({ ...credentials(), uploadInWatchMode: true });
    await watched.rebuild();
    expect(uploaded()).toHaveLength(4);
    await setRevision(2);
    await watched.rebuild();
    // lazy-a changed, and main, which imports it by its hashed name; the shared chunk and lazy-b did not.
    expect(uploaded()).toHaveLength(6);
    expect(uploaded()).toContain(await lazyChunkId(2));
  });
});
