import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OptionsError, resetBuildSessions } from '@hogmaps/core';
import { type Plugin, rollup } from 'rollup';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as api from '../src/index';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-rollup-api-'));
  await writeFile(path.join(dir, 'main.js'), 'export function main() {\n  throw new Error("boom");\n}\n');
  resetBuildSessions();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function build(plugins: Plugin[]): Promise<string> {
  const bundle = await rollup({ input: path.join(dir, 'main.js'), plugins });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  return output.map((file) => (file.type === 'chunk' ? file.code : '')).join('\n');
}

describe('@hogmaps/rollup public API', () => {
  test('exports the plugin by name and as default, and nothing else at runtime', () => {
    expect(Object.keys(api).sort()).toEqual(['default', 'hogmapsRollupPlugin']);
    expect(api.default).toBe(api.hogmapsRollupPlugin);
  });

  test('returns one plugin object named hogmaps', () => {
    const plugin = api.hogmapsRollupPlugin({ logLevel: 'silent' });
    expect(Array.isArray(plugin)).toBe(false);
    expect(plugin.name).toBe('hogmaps');
    expect(typeof plugin.generateBundle).toBe('object');
    expect(typeof plugin.augmentChunkHash).toBe('function');
  });

  test('injects a chunk id without credentials', async () => {
    const code = await build([api.hogmapsRollupPlugin({ logLevel: 'silent' })]);
    expect(code).toContain('_posthogChunkIds');
    expect(code).toMatch(/\n\/\/# chunkId=[0-9a-f-]{36}\n?$/);
  });

  test('a disabled plugin changes nothing', async () => {
    const plain = await build([]);
    expect(await build([api.hogmapsRollupPlugin({ enabled: false })])).toBe(plain);
    expect(await build([api.hogmapsRollupPlugin({ sourcemaps: { enabled: false } })])).toBe(plain);
  });

  test('invalid options fail at once, naming the option', () => {
    expect(() => api.hogmapsRollupPlugin({ concurrency: -1 })).toThrow(OptionsError);
    expect(() => api.hogmapsRollupPlugin({ concurrency: -1 })).toThrow(/concurrency/);
  });
});
