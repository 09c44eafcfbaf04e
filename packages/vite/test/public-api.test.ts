import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OptionsError, resetBuildSessions } from '@hogmaps/core';
import { build, type PluginOption } from 'vite';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as api from '../src/index';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-vite-api-'));
  await writeFile(
    path.join(dir, 'main.js'),
    'export function main() {\n  throw new Error("boom");\n}\nmain();\n',
  );
  resetBuildSessions();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Builds main.js and returns every emitted file's name and content. */
async function viteBuild(plugins: PluginOption[]): Promise<Record<string, string>> {
  const outDir = path.join(dir, 'dist');
  await build({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    plugins,
    build: { outDir, emptyOutDir: true, rollupOptions: { input: { main: path.join(dir, 'main.js') } } },
  });
  const files: Record<string, string> = {};
  for (const name of await readdir(outDir, { recursive: true, withFileTypes: true })) {
    if (!name.isFile()) continue;
    const file = path.join(name.parentPath, name.name);
    files[path.relative(outDir, file)] = await readFile(file, 'utf8');
  }
  return files;
}

describe('@hogmaps/vite public API', () => {
  test('exports the plugin by name and as default, and nothing else at runtime', () => {
    expect(Object.keys(api).sort()).toEqual(['default', 'hogmapsVitePlugin']);
    expect(api.default).toBe(api.hogmapsVitePlugin);
  });

  test('returns one plugin object named hogmaps that applies to builds only', () => {
    const plugin = api.hogmapsVitePlugin({ logLevel: 'silent' });
    expect(Array.isArray(plugin)).toBe(false);
    expect(plugin.name).toBe('hogmaps');
    expect(plugin.apply).toBe('build');
  });

  test('injects chunk ids in vite build, without credentials and without maps', async () => {
    const files = await viteBuild([api.hogmapsVitePlugin({ logLevel: 'silent', manifest: false })]);
    const js = Object.entries(files).filter(([name]) => name.endsWith('.js'));
    expect(js).toHaveLength(1);
    expect(js[0]![1]).toContain('_posthogChunkIds');
    expect(js[0]![1]).toMatch(/\n\/\/# chunkId=[0-9a-f-]{36}\n?$/);
    expect(Object.keys(files).some((name) => name.endsWith('.map'))).toBe(false);
  });

  test('a disabled plugin changes nothing', async () => {
    const plain = await viteBuild([]);
    expect(await viteBuild([api.hogmapsVitePlugin({ enabled: false })])).toEqual(plain);
    expect(await viteBuild([api.hogmapsVitePlugin({ sourcemaps: { enabled: false } })])).toEqual(plain);
  });

  test('invalid options fail at once, naming the option', () => {
    expect(() => api.hogmapsVitePlugin({ host: 'ftp://example.com' })).toThrow(OptionsError);
    expect(() => api.hogmapsVitePlugin({ host: 'ftp://example.com' })).toThrow(/host/);
  });
});
