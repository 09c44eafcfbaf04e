import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHogmapsUnplugin, type Options } from '@hogmaps/core';
import { createHooks } from 'hookable';
import { type OutputOptions, type Plugin, rollup } from 'rollup';
import { describe, expect, test, vi } from 'vitest';
import {
  addToNitroBuild,
  keepSourcesInMaps,
  type NitroConfigLike,
  type NitroLike,
  type NitroRollupConfig,
} from '../src/nitro';
import { listFiles, useBuilds } from './helpers';

const builds = useBuilds('hogmaps-nuxt-nitro-');

/** A Nitro instance as far as these hooks go: Nitro's own hook library. */
function createNitro(): NitroLike {
  return { hooks: createHooks() } as unknown as NitroLike;
}

/** Calls `rollup:before` the way Nitro's `build()` does, then builds with the resulting config. */
async function nitroBuild(nitro: NitroLike, sourcemap: OutputOptions['sourcemap']) {
  const config: NitroRollupConfig & { output: OutputOptions } = {
    plugins: [],
    output: { dir: path.join(builds.dir(), 'server'), format: 'esm', sourcemap },
  };
  await (nitro.hooks as unknown as ReturnType<typeof createHooks>).callHook('rollup:before', nitro, config);
  const bundle = await rollup({
    input: path.join(builds.dir(), 'main.js'),
    plugins: config.plugins as Plugin[],
  });
  await bundle.write(config.output);
  await bundle.close();
  const code = await readFile(path.join(builds.dir(), 'server', 'main.js'), 'utf8');
  return {
    files: await listFiles(path.join(builds.dir(), 'server')),
    code,
    chunkId: /\/\/# chunkId=(\S+)/.exec(code)?.[1],
  };
}

const unplugin = createHogmapsUnplugin({ version: 'test' });

describe("Nitro's server build", () => {
  test('hidden maps Nuxt turned on for hogmaps are uploaded, then deleted', async () => {
    const nitro = createNitro();
    addToNitroBuild(nitro, unplugin, builds.target().options(), true);
    const output = await nitroBuild(nitro, 'hidden');
    expect(output.chunkId).toBeDefined();
    expect(builds.target().uploaded()).toContain(output.chunkId);
    expect(output.files).toEqual(['main.js']);
  });

  test("the user's maps are uploaded and kept, with their sourceMappingURL", async () => {
    const nitro = createNitro();
    addToNitroBuild(nitro, unplugin, builds.target().options(), false);
    const output = await nitroBuild(nitro, true);
    expect(builds.target().uploaded()).toContain(output.chunkId);
    expect(output.files).toEqual(['main.js', 'main.js.map']);
    expect(output.code).toContain('//# sourceMappingURL=main.js.map');
  });

  test('another Nitro build (the prerenderer) gets no plugin', async () => {
    const nitro = createNitro();
    const prerenderer = createNitro();
    // Nitro's prerenderer is created from the same config: even if it shared the hooks, it is not ours.
    (prerenderer as { hooks: unknown }).hooks = nitro.hooks;
    addToNitroBuild(nitro, unplugin, builds.target().options(), true);
    const output = await nitroBuild(prerenderer, 'hidden');
    expect(output.code).not.toContain('_posthogChunkIds');
    expect(output.files).toEqual(['main.js', 'main.js.map']);
  });

  test('the plugin is created once, however often Nitro builds', async () => {
    const nitro = createNitro();
    const options: Options = builds.target().options();
    const rollupFactory = vi.spyOn(unplugin, 'rollup');
    addToNitroBuild(nitro, unplugin, options, true);
    await nitroBuild(nitro, 'hidden');
    await nitroBuild(nitro, 'hidden');
    expect(rollupFactory).toHaveBeenCalledTimes(1);
    rollupFactory.mockRestore();
  });
});

describe('keepSourcesInMaps', () => {
  test("turns off Nitro's sourcemapExcludeSources unless the user set it", () => {
    const empty: NitroConfigLike = {};
    keepSourcesInMaps(empty);
    expect(empty.rollupConfig?.output?.sourcemapExcludeSources).toBe(false);
    const user: NitroConfigLike = { rollupConfig: { output: { sourcemapExcludeSources: true } } };
    keepSourcesInMaps(user);
    expect(user.rollupConfig?.output?.sourcemapExcludeSources).toBe(true);
  });
});
