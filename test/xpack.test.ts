// webpack and rspack through hogmaps, against the real local server: multi-compiler builds share one
// release and upload each chunk once; watch builds upload nothing; no credentials means ids only.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Options } from '@hogmaps/core';
import { hogmapsRspackPlugin } from '@hogmaps/rspack';
import { hogmapsWebpackPlugin } from '@hogmaps/webpack';
import { rspack } from '@rspack/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import webpack from 'webpack';
import { isolateBuild } from './harness/isolation';
import {
  APP_FILES,
  appConfig,
  chunkIdsIn,
  credentials,
  filesIn,
  hogmapsWarnings,
  type RecordingServer,
  removeApps,
  runOnce,
  startRecordingServer,
  uploadedSets,
  writeApp,
} from './xpack-fixtures';

const RELEASE = { releaseName: 'xpack-app', releaseVersion: '1.0.0' };

let recorder: RecordingServer;

beforeEach(async () => {
  isolateBuild();
  recorder = await startRecordingServer();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await recorder.close();
  removeApps();
});

/** A client (web) and an edge worker (webworker): their lazy `shared.js` chunks are byte-identical. */
interface Part {
  name: string;
  target: 'web' | 'webworker';
  entry: Record<string, string>;
  dir: string;
}

function clientAndWorker(root: string) {
  const parts: Part[] = [
    { name: 'client', target: 'web', entry: { main: './src/main.js' }, dir: 'client' },
    { name: 'worker', target: 'webworker', entry: { worker: './src/worker.js' }, dir: 'worker' },
  ];
  return parts.map(({ dir, ...config }) => ({
    ...config,
    mode: 'production' as const,
    context: root,
    output: { path: path.join(root, 'dist', dir), filename: '[name].[contenthash].js' },
    infrastructureLogging: { level: 'error' as const },
  }));
}

const BUNDLERS = [
  {
    name: 'webpack',
    multi: (root: string, plugin: () => unknown) =>
      webpack(
        clientAndWorker(root).map((config) => ({
          ...config,
          plugins: [plugin() as webpack.WebpackPluginInstance],
        })),
      ),
    plugin: hogmapsWebpackPlugin,
  },
  {
    name: 'rspack',
    multi: (root: string, plugin: () => unknown) =>
      rspack(clientAndWorker(root).map((config) => ({ ...config, plugins: [plugin() as never] }))),
    plugin: hogmapsRspackPlugin,
  },
] as const;

describe.each(BUNDLERS)('$name multi-compiler build', ({ multi, plugin }) => {
  it('registers one release and uploads every chunk id once', async () => {
    const root = writeApp();
    const options = { ...credentials(recorder.server), sourcemaps: RELEASE };
    const result = await runOnce(multi(root, () => plugin(options)));
    expect(result.errors).toEqual([]);
    expect(hogmapsWarnings(result)).toEqual([]);

    const client = chunkIdsIn(path.join(root, 'dist/client'));
    const worker = chunkIdsIn(path.join(root, 'dist/worker'));
    const all = [...client.values(), ...worker.values()];
    expect(all.length).toBe(4); // entry + lazy chunk in each
    expect(all.every((id) => id !== undefined)).toBe(true);
    const unique = new Set(all);
    // The shared lazy chunk is the same bytes in both builds, so the same id: uploaded once.
    expect(unique.size).toBe(3);

    expect(recorder.count('POST', '/error_tracking/releases')).toBe(1);
    expect(recorder.count('POST', '/_storage/')).toBe(3);
    expect(new Set(uploadedSets(recorder.server).map((set) => set.chunkId))).toEqual(unique);

    // Both builds carry the one release id, in their entry (runtime) chunks only; hogmaps' hidden maps
    // were deleted after the upload.
    const carried = ['client', 'worker'].flatMap((dir) =>
      filesIn(path.join(root, 'dist', dir))
        .filter((file) => file.endsWith('.js'))
        .map((file) => ({
          file,
          release: /_posthogReleaseId\|\|"([^"]+)"/.exec(
            readFileSync(path.join(root, 'dist', dir, file), 'utf8'),
          )?.[1],
        })),
    );
    expect(carried.filter((entry) => entry.release !== undefined)).toHaveLength(2);
    const releaseIds = new Set(carried.flatMap((entry) => (entry.release ? [entry.release] : [])));
    expect(releaseIds.size).toBe(1);
    expect([...releaseIds][0]).toMatch(/^[0-9a-f-]{36}$/);
    for (const dir of ['client', 'worker']) {
      const files = filesIn(path.join(root, 'dist', dir));
      expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
      expect(files).toContain('hogmaps-manifest.json');
    }
  });

  it('without credentials: ids injected, one warning, no maps, nothing sent', async () => {
    const root = writeApp();
    const result = await runOnce(
      multi(root, () => plugin({ host: recorder.server.url, sourcemaps: RELEASE })),
    );
    expect(result.errors).toEqual([]);
    const warnings = hogmapsWarnings(result);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no PostHog credentials/);
    for (const dir of ['client', 'worker']) {
      const ids = chunkIdsIn(path.join(root, 'dist', dir));
      expect(ids.size).toBe(2);
      expect([...ids.values()].every((id) => id !== undefined)).toBe(true);
      expect(filesIn(path.join(root, 'dist', dir)).filter((file) => file.endsWith('.map'))).toEqual([]);
    }
    expect(recorder.requests).toEqual([]);
  });
});

interface WatchBuild {
  ids: Map<string, string | undefined>;
  errors: string[];
}

/** Watches, edits a source after the first build, returns both builds' ids and errors. */
async function watchTwice(root: string, options: Options): Promise<WatchBuild[]> {
  const outDir = path.join(root, 'dist');
  const compiler = webpack({
    mode: 'production',
    context: root,
    entry: { main: './src/main.js' },
    output: { path: outDir, filename: '[name].[contenthash].js' },
    // The user's own hidden maps: skipped uploads leave them where they are.
    devtool: 'hidden-source-map',
    infrastructureLogging: { level: 'error' },
    plugins: [hogmapsWebpackPlugin(options)],
  });
  const builds: WatchBuild[] = [];
  await new Promise<void>((resolve, reject) => {
    const watching = compiler.watch({ aggregateTimeout: 50 }, (error, stats) => {
      if (error || !stats) return reject(error ?? new Error('no stats'));
      const json = stats.toJson({ all: false, errors: true });
      builds.push({ ids: chunkIdsIn(outDir), errors: (json.errors ?? []).map((entry) => entry.message) });
      if (builds.length === 1) {
        // A real edit: the rebuild must inject the new code too.
        const util = path.join(root, 'src/util.js');
        writeFileSync(util, readFileSync(util, 'utf8').replace('failed', 'broke'));
      } else {
        watching!.close(() => resolve());
      }
    });
  });
  return builds;
}

describe('webpack watch mode', () => {
  it('injects on every rebuild and uploads nothing by default', async () => {
    const root = writeApp();
    const builds = await watchTwice(root, { ...credentials(recorder.server), sourcemaps: RELEASE });
    expect(builds.map((build) => build.errors)).toEqual([[], []]);
    const latest = [...builds[1]!.ids.entries()].filter(([file]) => file.startsWith('main.'));
    expect(latest.length).toBeGreaterThan(0);
    expect(latest.every(([, id]) => id !== undefined)).toBe(true);
    // The edit changed the entry chunk, so it has a new id.
    const firstIds = new Set(builds[0]!.ids.values());
    expect(latest.some(([, id]) => !firstIds.has(id))).toBe(true);
    // The release is registered (its id is injected) but no symbol set is sent.
    expect(recorder.count('POST', 'bulk_start_upload')).toBe(0);
    expect(recorder.count('POST', '/_storage/')).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(root, 'dist', 'hogmaps-manifest.json'), 'utf8'));
    expect(manifest.chunks.map((chunk: { status: string }) => chunk.status)).not.toContain('uploaded');
  });

  it("uploads each rebuild's new chunks with uploadInWatchMode", async () => {
    const root = writeApp();
    const builds = await watchTwice(root, {
      ...credentials(recorder.server),
      sourcemaps: RELEASE,
      uploadInWatchMode: true,
    });
    expect(builds.map((build) => build.errors)).toEqual([[], []]);
    const ids = new Set(builds.flatMap((build) => [...build.ids.values()]));
    expect(new Set(uploadedSets(recorder.server).map((set) => set.chunkId))).toEqual(ids);
    // The unchanged lazy chunk keeps its id and is not sent again.
    expect(recorder.count('POST', '/_storage/')).toBe(ids.size);
  });
});

/** The few calls webpack makes on an output file system, kept in memory (as a dev server's is). */
function memoryFileSystem() {
  const files = new Map<string, Buffer>();
  const missing = (file: string) => Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
  const stat = (file: string, callback: (error: Error | null, stats?: object) => void) => {
    const content = files.get(file);
    if (!content) return callback(missing(file));
    callback(null, { isFile: () => true, isDirectory: () => false, size: content.length, mtime: new Date() });
  };
  return {
    files,
    fs: {
      mkdir: (_dir: string, callback: (error: Error | null) => void) => callback(null),
      writeFile: (file: string, content: Buffer | string, callback: (error: Error | null) => void) => {
        files.set(file, Buffer.from(content));
        callback(null);
      },
      readFile: (file: string, callback: (error: Error | null, content?: Buffer) => void) => {
        const content = files.get(file);
        callback(content ? null : missing(file), content);
      },
      stat,
      lstat: stat,
    },
  };
}

describe.each([
  { auth: 'with credentials', options: () => credentials(recorder.server) },
  { auth: 'without credentials', options: () => ({}) },
])('webpack with in-memory output (a dev server), $auth', ({ options }) => {
  it('injects, then uploads nothing, warns nothing and writes nothing to disk', async () => {
    const root = writeApp();
    const outDir = path.join(root, 'dist');
    const compiler = webpack({
      ...appConfig(root, outDir),
      plugins: [hogmapsWebpackPlugin({ ...options(), sourcemaps: RELEASE })],
    });
    const memory = memoryFileSystem();
    compiler.outputFileSystem = memory.fs as never;
    const result = await runOnce(compiler);
    expect(result.errors).toEqual([]);
    expect(hogmapsWarnings(result)).toEqual([]);
    const js = [...memory.files].filter(([file]) => file.endsWith('.js'));
    expect(js).toHaveLength(2);
    for (const [, content] of js) expect(content.toString()).toMatch(/\n\/\/# chunkId=[0-9a-f-]{36}$/);
    expect(existsSync(outDir)).toBe(false);
    expect(recorder.count('POST', 'bulk_start_upload')).toBe(0);
  });
});

describe('rspack: the line reserved after minification', () => {
  it('fills it in every chunk, and leaves a chunk another plugin rewrote after minification without an id, saying so', async () => {
    const root = writeApp({
      ...APP_FILES,
      'src/main.js': `${APP_FILES['src/main.js']}globalThis.loadOther = () => import('./other.js');\n`,
      'src/other.js': "globalThis.other = 'the other chunk';\n",
    });
    const outDir = path.join(root, 'dist');
    // Between minification and the devtool, as an obfuscator would: rewrites the entry chunk without
    // the reserved line, and starts the other lazy chunk with a directive continued over a line break.
    let multiLine: string | undefined;
    const rewrite = {
      apply(compiler: import('@rspack/core').Compiler) {
        compiler.hooks.thisCompilation.tap('rewrite', (compilation) => {
          compilation.hooks.processAssets.tap(
            { name: 'rewrite', stage: rspack.Compilation.PROCESS_ASSETS_STAGE_DEV_TOOLING - 10 },
            () => {
              for (const asset of compilation.getAssets()) {
                if (!asset.name.endsWith('.js')) continue;
                const code = asset.source.source().toString();
                const line = code.indexOf('\n') + 1;
                if (asset.name.startsWith('main.'))
                  compilation.updateAsset(asset.name, new rspack.sources.RawSource(code.slice(line)));
                else if (code.includes('the other chunk')) {
                  multiLine = asset.name;
                  const directive = '"split\\\nover two lines";';
                  compilation.updateAsset(
                    asset.name,
                    new rspack.sources.RawSource(code.slice(0, line) + directive + code.slice(line)),
                  );
                }
              }
            },
          );
        });
      },
    };
    const compiler = rspack({
      ...appConfig(root, outDir),
      devtool: 'source-map',
      plugins: [rewrite, hogmapsRspackPlugin({ logLevel: 'error', sourcemaps: RELEASE })],
    });
    const result = await runOnce(compiler);
    expect(result.errors).toEqual([]);
    const ids = chunkIdsIn(outDir);
    const main = [...ids.keys()].find((file) => file.startsWith('main.'))!;
    // Named as it was then: realContentHash renames it afterwards.
    const lazy = [...ids.keys()].find((file) => file.startsWith(multiLine!.split('.')[0]!))!;
    expect(hogmapsWarnings(result)).toEqual([
      expect.stringMatching(
        /1 JavaScript file\(s\) added or rewritten by another plugin after minification, without the line hogmaps reserves there, got no chunk id: main\.[0-9a-f]+\.js/,
      ),
      expect.stringContaining(
        `1 JavaScript file(s) starting with a directive continued over a line break, which cannot move onto the line hogmaps reserves, got no chunk id: ${multiLine}`,
      ),
    ]);
    expect(ids.get(main)).toBeUndefined();
    expect(ids.get(lazy)).toBeUndefined();
    // Its reserved line is left empty: the directive, and every line the map covers, stay where they were.
    const lazyCode = readFileSync(path.join(outDir, lazy), 'utf8');
    expect(lazyCode).not.toContain('hogmaps:chunk-id-snippet');
    expect(lazyCode.startsWith('\n"split\\\nover two lines";')).toBe(true);
    const chunks = [...ids].filter(([file]) => file !== main && file !== lazy);
    expect(chunks.length).toBeGreaterThan(0);
    for (const [file, id] of chunks) {
      expect(id, file).toMatch(/^[0-9a-f-]{36}$/);
      const code = readFileSync(path.join(outDir, file), 'utf8');
      // No placeholder left, the snippet on line 1, the devtool's comment still last.
      expect(code).not.toContain('hogmaps:chunk-id-snippet');
      expect(code.split('\n')[0]).toContain('_posthogChunkIds');
      expect(code).toMatch(/\n\/\/# chunkId=[0-9a-f-]{36}\n\/\/# sourceMappingURL=\S+\.map$/);
    }
  });
});
