// Vite, rollup and rolldown: credentials missing, a failing or absent server, watch mode.
// `BUNDLERS=vite,rollup` selects bundlers; `KEEP_OUTPUT=1` keeps the build folders.
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { pendingMapsDir, readManifest, resetBuildSessions } from '@hogmaps/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadRunners, ROLLUP_FAMILY, selectedBundlers } from './harness/bundlers/index';
import { listFiles } from './harness/bundlers/rollup-shared';
import {
  expectChunkIds,
  expectNoShippedMaps,
  expectOneChunkId,
  expectUploaded,
  hogmapsWarnings,
  readJsFiles,
} from './harness/checks';
import { SCENARIO_RELEASE, type TestProject } from './harness/server';
import { useBuildSuite } from './harness/suite';
import type { BuildOutcome, BundlerRunner, NeutralBuild } from './harness/types';
import { appScenario } from './scenarios/app/scenario';

const selected = selectedBundlers().filter((name) => ROLLUP_FAMILY.includes(name));
const runners = await loadRunners(selected);

const suite = useBuildSuite();
const savedEnv: Record<string, string | undefined> = {};

beforeAll(() => {
  // Credentials must come from the options only.
  for (const name of Object.keys(process.env).filter((key) => key.startsWith('POSTHOG_'))) {
    savedEnv[name] = process.env[name];
    delete process.env[name];
  }
});
afterAll(() => {
  Object.assign(process.env, savedEnv);
});

function browserBuild(hogmaps: NeutralBuild['hogmaps'], extra: Partial<NeutralBuild> = {}): NeutralBuild {
  return {
    root: suite.workspace.root,
    outDir: suite.workspace.outDir('dist'),
    entries: { ...appScenario.browserEntries },
    platform: 'browser',
    hogmaps,
    ...extra,
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Maps anywhere in the output folder (it may not exist when the build failed early). */
function mapsIn(outDir: string): string[] {
  return existsSync(outDir) ? listFiles(outDir).filter((name) => name.endsWith('.map')) : [];
}

async function expectIdsOnly(outcome: BuildOutcome, project: TestProject) {
  const files = await readJsFiles(outcome);
  expectChunkIds(files);
  expectNoShippedMaps(outcome, files);
  expect(project.rows()).toEqual([]);
}

describe.each(runners)('$name', (runner: BundlerRunner) => {
  test('without credentials the build injects ids, warns exactly once and sends nothing', async () => {
    const project = suite.server.project();
    const requests = suite.server.countRequests();
    const outcome = await runner.build(
      browserBuild({ host: suite.server.server.url, logLevel: 'warn', sourcemaps: { ...SCENARIO_RELEASE } }),
    );
    await expectIdsOnly(outcome, project);
    const warnings = hogmapsWarnings(outcome);
    expect(warnings, outcome.warnings.join('\n')).toHaveLength(1);
    expect(warnings[0]).toMatch(/personalApiKey|credentials/);
    expect(requests.hits).toBe(0);
  });

  test('a failing server: the build succeeds with a clear warning, and the maps wait outside the output', async () => {
    const project = suite.server.project();
    suite.server.server.faults.add({
      match: { path: 'bulk_start_upload' },
      action: { status: 503 },
      times: 1_000,
    });
    const outcome = await runner.build(browserBuild(project.options()));
    const files = await readJsFiles(outcome);
    const ids = expectChunkIds(files);
    expectNoShippedMaps(outcome, files);
    expect(
      hogmapsWarnings(outcome).some((warning) => /upload failed/.test(warning)),
      outcome.warnings.join('\n'),
    ).toBe(true);
    expect(project.rows().filter((row) => row.content_hash !== null)).toEqual([]);
    // Kept for `hogmaps upload --manifest` to retry: one map per chunk, outside the shipped folder.
    const pending = readdirSync(pendingMapsDir(suite.workspace.root));
    expect(pending.sort()).toEqual([...ids.values()].map((id) => `${id}.map`).sort());
    const manifest = await readManifest(path.join(outcome.outDir, 'hogmaps-manifest.json'));
    expect(manifest.chunks.map((chunk) => chunk.status)).toEqual(files.map(() => 'failed'));
  });

  test('failOnError: a failing upload fails the build, and the maps still do not ship', async () => {
    const project = suite.server.project();
    suite.server.server.faults.add({
      match: { path: 'bulk_start_upload' },
      action: { status: 500 },
      times: 1_000,
    });
    const config = browserBuild(project.options({ failOnError: true }));
    await expect(runner.build(config)).rejects.toThrow(/upload failed/);
    expect(mapsIn(config.outDir)).toEqual([]);
  });

  test('the server is down: a warning by default, a failed build with failOnError', async () => {
    const project = suite.server.project();
    const host = `http://127.0.0.1:${await closedPort()}`;
    const outcome = await runner.build(browserBuild(project.options({ host })));
    const files = await readJsFiles(outcome);
    expectChunkIds(files);
    expectNoShippedMaps(outcome, files);
    expect(hogmapsWarnings(outcome).length, outcome.warnings.join('\n')).toBeGreaterThan(0);

    resetBuildSessions();
    const strict = browserBuild(project.options({ host, failOnError: true }), {
      outDir: suite.workspace.outDir('dist-strict'),
    });
    await expect(runner.build(strict)).rejects.toThrow(/network error|ECONNREFUSED|failed/i);
    expect(mapsIn(strict.outDir)).toEqual([]);
  });

  test('watch mode injects ids and uploads nothing, unless uploadInWatchMode', async () => {
    const project = suite.server.project();
    const watchOnce = await loadWatchOnce(runner.name);
    const watched = await watchOnce(browserBuild(project.options()));
    await expectIdsOnly(watched, project);

    resetBuildSessions();
    const uploading = await watchOnce(
      browserBuild(project.options({ uploadInWatchMode: true }), {
        outDir: suite.workspace.outDir('dist-upload'),
      }),
    );
    const files = await readJsFiles(uploading);
    expectNoShippedMaps(uploading, files);
    expectUploaded(project, expectChunkIds(files).values());
  });
});

if (selected.length === 0) {
  test('BUNDLERS selects no rollup-family bundler', () => {
    expect(selectedBundlers().some((name) => ROLLUP_FAMILY.includes(name))).toBe(false);
  });
}

if (selected.includes('vite')) {
  describe('vite builds in one process', () => {
    const input = (file: string) => ({ main: path.join(suite.workspace.root, file) });

    /** Every JS file under the folders; plugin-legacy's polyfill chunk is built outside the app's pipeline. */
    async function jsOf(outDirs: string[]) {
      const outcomes = outDirs.map((outDir) => ({ outDir, files: listFiles(outDir), warnings: [] }));
      const files = (await Promise.all(outcomes.map(readJsFiles))).flatMap((list, index) =>
        list.map((file) => ({ ...file, name: path.join(outcomes[index]!.outDir, file.name) })),
      );
      return files.filter((file) => !path.basename(file.name).startsWith('polyfills-legacy'));
    }

    test('client (with plugin-legacy) and SSR builds share one release and upload each chunk once', async () => {
      const { build } = await import('vite');
      const legacy = (await import('@vitejs/plugin-legacy')).default;
      const { hogmapsVitePlugin } = await import('@hogmaps/vite');
      const { recordingLogger } = await import('./harness/bundlers/vite');
      const project = suite.server.project();
      const warnings: string[] = [];
      const common = {
        root: suite.workspace.root,
        configFile: false as const,
        envDir: false as const,
        logLevel: 'warn' as const,
        customLogger: recordingLogger(warnings),
      };
      const client = suite.workspace.outDir('dist/client');
      const server = suite.workspace.outDir('dist/server');
      // The server entry loads the same lazy module: minified alike, both builds emit the same chunk.
      await writeFile(
        path.join(suite.workspace.root, 'src/server.js'),
        "export const render = () => import('./lazy.js');\n",
      );
      const objectUploads = suite.server.server.faults.add({
        match: { target: 'storage', method: 'POST' },
        action: { delayMs: 0 },
        times: Number.MAX_SAFE_INTEGER,
      });
      await build({
        ...common,
        plugins: [legacy({ targets: ['defaults', 'not dead'] }), hogmapsVitePlugin(project.options())],
        build: { outDir: client, rolldownOptions: { input: input('src/main.js') } },
      });
      await build({
        ...common,
        plugins: [hogmapsVitePlugin(project.options())],
        build: {
          outDir: server,
          ssr: true,
          minify: true,
          rolldownOptions: { input: input('src/server.js') },
        },
      });

      const files = await jsOf([client, server]);
      expect(files.some((file) => file.name.includes('-legacy'))).toBe(true);
      // The release is in the entries only (modern, legacy SystemJS and SSR), not in the lazy chunks.
      const carriers = files.filter((file) => file.code.includes('_posthogReleaseId||'));
      expect(
        carriers.map((file) => path.basename(file.name).replace(/-[\w-]{8}\.js$/, '.js')).sort(),
      ).toEqual(['main-legacy.js', 'main.js', 'main.mjs']);
      const ids = [...files.map(expectOneChunkId)];
      const shared = ids.filter((id, index) => ids.indexOf(id) !== index);
      expect(shared, 'the lazy chunk is the same in both builds').toHaveLength(1);
      // Each chunk id went to object storage once, the shared one included.
      expect(objectUploads.hits).toBe(new Set(ids).size);
      expect(mapsIn(client)).toEqual([]);
      expect(mapsIn(server)).toEqual([]);
      expectUploaded(project, ids);
      expect(await project.releases()).toHaveLength(1);
      expect(hogmapsWarnings({ outDir: client, files: [], warnings })).toEqual([]);
    });

    test('the environment API (createBuilder) builds client and SSR with one release and no duplicates', async () => {
      const { createBuilder } = await import('vite');
      const { hogmapsVitePlugin } = await import('@hogmaps/vite');
      const { recordingLogger } = await import('./harness/bundlers/vite');
      const project = suite.server.project();
      const warnings: string[] = [];
      const client = suite.workspace.outDir('app/client');
      const server = suite.workspace.outDir('app/server');
      const builder = await createBuilder({
        root: suite.workspace.root,
        configFile: false,
        envDir: false,
        logLevel: 'warn',
        customLogger: recordingLogger(warnings),
        plugins: [hogmapsVitePlugin(project.options())],
        builder: {},
        environments: {
          client: { build: { outDir: client, rolldownOptions: { input: input('src/main.js') } } },
          ssr: { build: { outDir: server, rolldownOptions: { input: input('node/cli.js') } } },
        },
      });
      await builder.buildApp();

      const files = await jsOf([client, server]);
      const ids = expectChunkIds(files);
      expect(files.some((file) => file.name.startsWith(server))).toBe(true);
      expect(mapsIn(client)).toEqual([]);
      expect(mapsIn(server)).toEqual([]);
      expectUploaded(project, ids.values());
      expect(await project.releases()).toHaveLength(1);
    });

    test('the dev server injects nothing and uploads nothing', async () => {
      const { createServer: createViteServer } = await import('vite');
      const { hogmapsVitePlugin } = await import('@hogmaps/vite');
      const project = suite.server.project();
      const requests = suite.server.countRequests();
      const server = await createViteServer({
        root: suite.workspace.root,
        configFile: false,
        envDir: false,
        logLevel: 'silent',
        appType: 'custom',
        plugins: [hogmapsVitePlugin(project.options())],
        server: { middlewareMode: true, hmr: false, watch: null },
      });
      try {
        expect(server.config.plugins.some((plugin) => plugin.name === 'hogmaps')).toBe(false);
        const result = await server.transformRequest('/src/main.js');
        expect(result?.code).toContain('hogmaps-boom-main');
        expect(result?.code).not.toContain('_posthogChunkIds');
      } finally {
        await server.close();
      }
      expect(requests.hits).toBe(0);
      expect(project.rows()).toEqual([]);
    });
  });
}

async function loadWatchOnce(name: string): Promise<(config: NeutralBuild) => Promise<BuildOutcome>> {
  if (name === 'vite') return (await import('./harness/bundlers/vite')).viteWatchOnce;
  if (name === 'rollup') return (await import('./harness/bundlers/rollup')).rollupWatchOnce;
  return (await import('./harness/bundlers/rolldown')).rolldownWatchOnce;
}
