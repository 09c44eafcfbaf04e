import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHogmapsUnplugin, type Options } from '@hogmaps/core';
import { build, type InlineConfig } from 'vite';
import { describe, expect, test } from 'vitest';
import { createClientPlugin } from '../src/client';
import { listFiles, useBuilds } from './helpers';

const builds = useBuilds('hogmaps-nuxt-client-');

/** A Vite build of main.js, as Nuxt runs its client (`ssr: false`) and SSR (`ssr: true`) builds. */
async function viteBuild(options: Options, mapsAreOurs: boolean, config: InlineConfig['build']) {
  const outDir = path.join(builds.dir(), 'dist');
  const plugin = createClientPlugin(createHogmapsUnplugin({ version: 'test' }), options, mapsAreOurs);
  await build({
    root: builds.dir(),
    configFile: false,
    logLevel: 'silent',
    plugins: [plugin],
    build: {
      outDir,
      emptyOutDir: true,
      rolldownOptions: { input: path.join(builds.dir(), 'main.js') },
      ...config,
    },
  });
  const files = await listFiles(outDir);
  const js = files.filter((file) => /\.m?js$/.test(file));
  return { files, js, code: await readFile(path.join(outDir, js[0]!), 'utf8') };
}

describe('the client plugin', () => {
  test('applies to the client environment only', () => {
    const plugin = createClientPlugin(createHogmapsUnplugin(), { logLevel: 'silent' }, false);
    const apply = plugin.applyToEnvironment as (environment: { name: string }) => boolean;
    expect(apply({ name: 'client' })).toBe(true);
    expect(apply({ name: 'ssr' })).toBe(false);
    expect(plugin.name).toBe('hogmaps');
  });

  test('maps Nuxt turned on for hogmaps are uploaded, then deleted', async () => {
    const output = await viteBuild(builds.target().options(), true, { sourcemap: 'hidden' });
    expect(output.files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(output.code).toContain('_posthogChunkIds');
    expect(builds.target().uploaded()).toContain(/\/\/# chunkId=(\S+)/.exec(output.code)?.[1]);
  });

  test("the user's own maps are uploaded and kept", async () => {
    const output = await viteBuild(builds.target().options(), false, { sourcemap: 'hidden' });
    expect(output.files.filter((file) => file.endsWith('.map'))).toHaveLength(1);
    expect(builds.target().uploaded()).toContain(/\/\/# chunkId=(\S+)/.exec(output.code)?.[1]);
  });

  test("Vite's SSR build, which Nitro bundles again, gets no chunk id and uploads nothing", async () => {
    const before = builds.target().uploaded().length;
    const output = await viteBuild(builds.target().options(), true, { sourcemap: 'hidden', ssr: true });
    expect(output.code).not.toContain('_posthogChunkIds');
    expect(output.code).not.toContain('//# chunkId=');
    expect(builds.target().uploaded()).toHaveLength(before);
  });
});

test("keeps the order of hogmaps' configEnvironment hook, so it still sees the framework's settings", () => {
  const unplugin = createHogmapsUnplugin();
  const original = unplugin.vite({ logLevel: 'silent' }).configEnvironment;
  const wrapped = createClientPlugin(unplugin, { logLevel: 'silent' }, true).configEnvironment;
  const orderOf = (hook: unknown) =>
    typeof hook === 'object' && hook ? (hook as { order?: unknown }).order : undefined;
  expect(orderOf(wrapped)).toBe(orderOf(original));
});
