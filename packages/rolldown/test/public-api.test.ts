import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OptionsError, resetBuildSessions } from '@hogmaps/core';
import { type Plugin, rolldown } from 'rolldown';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as api from '../src/index';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-rolldown-api-'));
  await writeFile(path.join(dir, 'main.js'), 'export function main() {\n  throw new Error("boom");\n}\n');
  resetBuildSessions();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function build(plugins: Plugin[], minify = false): Promise<string> {
  const bundle = await rolldown({ input: path.join(dir, 'main.js'), plugins });
  const { output } = await bundle.generate({ format: 'es', minify });
  await bundle.close();
  return output.map((file) => (file.type === 'chunk' ? file.code : '')).join('\n');
}

describe('@hogmaps/rolldown public API', () => {
  test('exports the plugin by name and as default, and nothing else at runtime', () => {
    expect(Object.keys(api).sort()).toEqual(['default', 'hogmapsRolldownPlugin']);
    expect(api.default).toBe(api.hogmapsRolldownPlugin);
  });

  test('returns one plugin object named hogmaps', () => {
    const plugin = api.hogmapsRolldownPlugin({ logLevel: 'silent' });
    expect(Array.isArray(plugin)).toBe(false);
    expect(plugin.name).toBe('hogmaps');
    expect(typeof plugin.generateBundle).toBe('object');
    expect(typeof plugin.augmentChunkHash).toBe('function');
  });

  test('injects a chunk id that survives minification', async () => {
    const code = await build([api.hogmapsRolldownPlugin({ logLevel: 'silent' })], true);
    expect(code).toContain('_posthogChunkIds');
    const id = /\n\/\/# chunkId=([0-9a-f-]{36})\n?$/.exec(code)?.[1];
    expect(id).toBeDefined();
    // The minified snippet still registers the same id.
    expect(code).toContain(id);
    expect(code.indexOf(id!)).toBeLessThan(code.indexOf('boom'));
  });

  test('a disabled plugin changes nothing', async () => {
    const plain = await build([], true);
    expect(await build([api.hogmapsRolldownPlugin({ enabled: false })], true)).toBe(plain);
    expect(await build([api.hogmapsRolldownPlugin({ sourcemaps: { enabled: false } })], true)).toBe(plain);
  });

  test('invalid options fail at once, naming the option', () => {
    expect(() => api.hogmapsRolldownPlugin({ sourcemaps: { batchSize: 0 } })).toThrow(OptionsError);
    expect(() => api.hogmapsRolldownPlugin({ sourcemaps: { batchSize: 0 } })).toThrow(
      /sourcemaps\.batchSize/,
    );
  });
});
