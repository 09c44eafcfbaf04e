// webpack and rspack: injection happens before real content hashes and source maps are made, so
// `[contenthash]` names still match the bytes, every throw resolves through the uploaded map, and the
// user's devtool choice is respected.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Options, resetBuildSessions } from '@hogmaps/core';
import { hogmapsRspackPlugin } from '@hogmaps/rspack';
import { hogmapsWebpackPlugin } from '@hogmaps/webpack';
import { rspack } from '@rspack/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import webpack from 'webpack';
import { isolateBuild } from './harness/isolation';
import {
  appConfig,
  chunkIdsIn,
  credentials,
  filesIn,
  hogmapsWarnings,
  jsFiles,
  type RecordingServer,
  removeApps,
  resolveThrows,
  runOnce,
  startRecordingServer,
  uploadedSets,
  writeApp,
} from './xpack-fixtures';

const RELEASE = { releaseName: 'xpack-maps', releaseVersion: '2.0.0' };

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

interface Build {
  root: string;
  outDir: string;
  errors: string[];
  warnings: string[];
  output: { hashFunction?: unknown; hashDigest?: unknown; hashSalt?: unknown };
}

type Extra = { devtool?: string | false; filename?: string };

/** The part of webpack's / rspack's `util.createHash` result the check uses. */
interface Digest {
  update(data: string): unknown;
  digest(encoding: string): string | Buffer;
}

const BUNDLERS = [
  {
    name: 'webpack',
    create: (config: object, options: Options) =>
      webpack({ ...config, plugins: [hogmapsWebpackPlugin(options)] } as webpack.Configuration),
    createHash: (algorithm: string) => webpack.util.createHash(algorithm as 'md4') as unknown as Digest,
  },
  {
    name: 'rspack',
    create: (config: object, options: Options) =>
      rspack({ ...config, plugins: [hogmapsRspackPlugin(options)] }),
    createHash: (algorithm: string) => rspack.util.createHash(algorithm as 'xxhash64') as unknown as Digest,
  },
] as const;

async function build(
  bundler: (typeof BUNDLERS)[number],
  options: Options,
  extra: Extra = {},
): Promise<Build> {
  const root = writeApp();
  const outDir = path.join(root, 'dist');
  const compiler = bundler.create(
    {
      ...appConfig(root, outDir, extra.filename),
      ...(extra.devtool === undefined ? {} : { devtool: extra.devtool }),
    },
    options,
  );
  const result = await runOnce(compiler);
  return { root, outDir, ...result, output: compiler.options.output as Build['output'] };
}

describe.each(BUNDLERS)('$name', (bundler) => {
  it('keeps [contenthash] names true to the written bytes and uploads exactly those bytes', async () => {
    const result = await build(bundler, { ...credentials(recorder.server), sourcemaps: RELEASE });
    expect(result.errors).toEqual([]);
    const files = jsFiles(result.outDir);
    expect(files).toHaveLength(2);
    const { hashFunction, hashDigest, hashSalt } = result.output;
    for (const file of files) {
      const [, hash] = /^[^.]+\.([0-9a-f]+)\.js$/.exec(file) ?? [];
      expect(hash, file).toBeDefined();
      // Real content hashes leave the file's own hash out of what they digest.
      const bytes = readFileSync(path.join(result.outDir, file), 'utf8').replaceAll(hash!, '');
      const digest = bundler.createHash(String(hashFunction));
      if (typeof hashSalt === 'string') digest.update(hashSalt);
      digest.update(bytes);
      expect(String(digest.digest(String(hashDigest ?? 'hex') as 'hex')).slice(0, hash!.length), file).toBe(
        hash,
      );
    }

    const sets = uploadedSets(recorder.server);
    const ids = chunkIdsIn(result.outDir);
    expect(new Set(sets.map((set) => set.chunkId))).toEqual(new Set(ids.values()));
    for (const [file, id] of ids) {
      const set = sets.find((candidate) => candidate.chunkId === id)!;
      expect(set.minified, file).toBe(readFileSync(path.join(result.outDir, file), 'utf8'));
    }
    // The manifest names the files under their final (renamed) names.
    const manifest = JSON.parse(readFileSync(path.join(result.outDir, 'hogmaps-manifest.json'), 'utf8'));
    expect(manifest.chunks.map((chunk: { file: string }) => chunk.file).sort()).toEqual(files);
    expect(filesIn(result.outDir).filter((file) => file.endsWith('.map'))).toEqual([]);
  });

  it('maps every throw of the uploaded code back to its original line', async () => {
    await build(bundler, { ...credentials(recorder.server), sourcemaps: RELEASE });
    const resolved = uploadedSets(recorder.server).flatMap((set) => resolveThrows(set.minified, set.map));
    expect(resolved.map((where) => where.replace(/^.*\/src\//, 'src/')).sort()).toEqual(
      expect.arrayContaining(['src/shared.js:2', 'src/util.js:2']),
    );
  });

  it("keeps the user's devtool: visible maps stay, with their sourceMappingURL, and are uploaded", async () => {
    const result = await build(
      bundler,
      { ...credentials(recorder.server), sourcemaps: RELEASE },
      { devtool: 'source-map' },
    );
    expect(result.errors).toEqual([]);
    const files = jsFiles(result.outDir);
    for (const file of files) {
      const code = readFileSync(path.join(result.outDir, file), 'utf8');
      expect(code).toMatch(/\n\/\/# chunkId=\S+\n\/\/# sourceMappingURL=\S+\.js\.map\s*$/);
      expect(filesIn(result.outDir)).toContain(`${file}.map`);
    }
    expect(uploadedSets(recorder.server)).toHaveLength(files.length);
    expect(
      uploadedSets(recorder.server).flatMap((set) => resolveThrows(set.minified, set.map)).length,
    ).toBeGreaterThan(1);
  });

  it('fails the build on a failed upload only with failOnError', async () => {
    const fault = { match: { path: 'bulk_start_upload' }, action: { status: 403 }, times: 10 };
    recorder.server.faults.add(fault);
    // The user's hidden maps: a failed upload leaves them in place instead of moving hogmaps' own aside.
    const lenient = await build(
      bundler,
      { ...credentials(recorder.server), sourcemaps: RELEASE },
      { devtool: 'hidden-source-map' },
    );
    expect(lenient.errors).toEqual([]);
    expect(hogmapsWarnings(lenient).join('\n')).toMatch(/upload failed/);

    resetBuildSessions();
    const strict = await build(
      bundler,
      { ...credentials(recorder.server), sourcemaps: RELEASE, failOnError: true },
      { devtool: 'hidden-source-map' },
    );
    expect(strict.errors.join('\n')).toMatch(/\[hogmaps\] upload failed/);
  });
});

describe('webpack development mode', () => {
  it("keeps webpack's eval devtool (no hidden maps forced into dev builds) and says why nothing is uploaded", async () => {
    const root = writeApp();
    const outDir = path.join(root, 'dist');
    const result = await runOnce(
      webpack({
        mode: 'development',
        context: root,
        entry: { main: './src/main.js' },
        output: { path: outDir },
        infrastructureLogging: { level: 'error' },
        plugins: [hogmapsWebpackPlugin({ ...credentials(recorder.server), sourcemaps: RELEASE })],
      }),
    );
    expect(result.errors).toEqual([]);
    expect(hogmapsWarnings(result)).toEqual([expect.stringMatching(/default devtool 'eval'/)]);
    expect(readFileSync(path.join(outDir, 'main.js'), 'utf8')).toContain('eval(');
    expect([...chunkIdsIn(outDir).values()].every((id) => id !== undefined)).toBe(true);
    expect(filesIn(outDir).filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(recorder.count('POST', '/_storage/')).toBe(0);
  });
});

describe('webpack plugin applied to an already created compiler', () => {
  it("still injects every chunk and keeps the user's maps exact", async () => {
    const root = writeApp();
    const outDir = path.join(root, 'dist');
    const compiler = webpack({ ...appConfig(root, outDir), devtool: 'source-map' });
    hogmapsWebpackPlugin({ ...credentials(recorder.server), sourcemaps: RELEASE }).apply(compiler);
    const result = await runOnce(compiler);
    expect(result.errors).toEqual([]);
    const ids = chunkIdsIn(outDir);
    expect([...ids.values()].every((id) => id !== undefined)).toBe(true);
    const sets = uploadedSets(recorder.server);
    expect(new Set(sets.map((set) => set.chunkId))).toEqual(new Set(ids.values()));
    expect(sets.flatMap((set) => resolveThrows(set.minified, set.map)).length).toBeGreaterThan(1);
  });
});

describe('webpack file names with a ?query', () => {
  it('injects and uploads `[name].js?v=[contenthash]` chunks', async () => {
    const result = await build(
      BUNDLERS[0],
      { ...credentials(recorder.server), sourcemaps: RELEASE },
      { filename: '[name].js?v=[contenthash]' },
    );
    expect(result.errors).toEqual([]);
    const ids = chunkIdsIn(result.outDir);
    expect(ids.has('main.js')).toBe(true);
    expect([...ids.values()].every((id) => id !== undefined)).toBe(true);
    expect(new Set(uploadedSets(recorder.server).map((set) => set.chunkId))).toEqual(new Set(ids.values()));
  });
});
