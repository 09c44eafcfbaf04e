import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OptionsError, resetBuildSessions } from '@hogmaps/core';
import { type BuildOptions, build as esbuild, type Plugin } from 'esbuild';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as api from '../src/index';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-esbuild-api-'));
  await writeFile(path.join(dir, 'main.js'), 'export function main() {\n  throw new Error("boom");\n}\n');
  resetBuildSessions();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = (plugins: Plugin[]): BuildOptions => ({
  absWorkingDir: dir,
  entryPoints: ['main.js'],
  bundle: true,
  format: 'esm',
  outdir: 'dist',
  logLevel: 'silent',
  plugins,
});

/** Builds to disk and returns the text of every written file by name. */
async function build(plugins: Plugin[]): Promise<Record<string, string>> {
  await rm(path.join(dir, 'dist'), { recursive: true, force: true });
  await esbuild(options(plugins));
  const names = (await readdir(path.join(dir, 'dist'))).sort();
  const texts = await Promise.all(names.map((name) => readFile(path.join(dir, 'dist', name), 'utf8')));
  return Object.fromEntries(names.map((name, index) => [name, texts[index]!]));
}

describe('@hogmaps/esbuild public API', () => {
  test('exports the plugin by name and as default, and nothing else at runtime', () => {
    expect(Object.keys(api).sort()).toEqual(['default', 'hogmapsEsbuildPlugin']);
    expect(api.default).toBe(api.hogmapsEsbuildPlugin);
  });

  test('returns one esbuild plugin named hogmaps', () => {
    const plugin = api.hogmapsEsbuildPlugin({ logLevel: 'silent' });
    expect(Array.isArray(plugin)).toBe(false);
    expect(plugin.name).toBe('hogmaps');
    expect(typeof plugin.setup).toBe('function');
  });

  test('injects a chunk id without credentials and writes the file itself', async () => {
    const files = await build([api.hogmapsEsbuildPlugin({ logLevel: 'silent' })]);
    expect(Object.keys(files)).toEqual(['hogmaps-manifest.json', 'main.js']);
    expect(files['main.js']).toContain('_posthogChunkIds');
    expect(files['main.js']).toMatch(/\n\/\/# chunkId=[0-9a-f-]{36}\n$/);
    expect(files['main.js']).not.toContain('hogmaps:');
  });

  test('a disabled plugin changes nothing', async () => {
    const plain = await build([]);
    expect(await build([api.hogmapsEsbuildPlugin({ enabled: false })])).toEqual(plain);
    expect(await build([api.hogmapsEsbuildPlugin({ sourcemaps: { enabled: false } })])).toEqual(plain);
  });

  test('invalid options fail at once, naming the option', () => {
    expect(() => api.hogmapsEsbuildPlugin({ concurrency: -1 })).toThrow(OptionsError);
    expect(() => api.hogmapsEsbuildPlugin({ concurrency: -1 })).toThrow(/concurrency/);
  });
});
