import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHogmapsUnplugin, type Options } from '@hogmaps/core';
import { build, type InlineConfig } from 'vite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { createClientPlugin } from '../src/client';
import {
  createSourceDir,
  isolateBuild,
  listFiles,
  removeDir,
  startUploadTarget,
  type UploadTarget,
} from './helpers';

let target: UploadTarget;
let dir: string;
beforeAll(async () => {
  target = await startUploadTarget();
});
afterAll(async () => {
  await target.server.close();
});
beforeEach(async () => {
  isolateBuild();
  dir = await createSourceDir('hogmaps-nuxt-client-');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await removeDir(dir);
});

/** A Vite build of main.js, as Nuxt runs its client (`ssr: false`) and SSR (`ssr: true`) builds. */
async function viteBuild(options: Options, mapsAreOurs: boolean, config: InlineConfig['build']) {
  const outDir = path.join(dir, 'dist');
  const plugin = createClientPlugin(createHogmapsUnplugin({ version: 'test' }), options, mapsAreOurs);
  await build({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    plugins: [plugin],
    build: { outDir, emptyOutDir: true, rolldownOptions: { input: path.join(dir, 'main.js') }, ...config },
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
    const output = await viteBuild(target.options(), true, { sourcemap: 'hidden' });
    expect(output.files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(output.code).toContain('_posthogChunkIds');
    expect(target.uploaded()).toContain(/\/\/# chunkId=(\S+)/.exec(output.code)?.[1]);
  });

  test("the user's own maps are uploaded and kept", async () => {
    const output = await viteBuild(target.options(), false, { sourcemap: 'hidden' });
    expect(output.files.filter((file) => file.endsWith('.map'))).toHaveLength(1);
    expect(target.uploaded()).toContain(/\/\/# chunkId=(\S+)/.exec(output.code)?.[1]);
  });

  test("Vite's SSR build, which Nitro bundles again, gets no chunk id and uploads nothing", async () => {
    const before = target.uploaded().length;
    const output = await viteBuild(target.options(), true, { sourcemap: 'hidden', ssr: true });
    expect(output.code).not.toContain('_posthogChunkIds');
    expect(output.code).not.toContain('//# chunkId=');
    expect(target.uploaded()).toHaveLength(before);
  });
});
