// Who owns the maps, on every bundler: maps turned off in the build config (a user's or a framework's
// default) are hogmaps' to make, upload and delete; only hogmaps' own option turns the upload off; no map
// hogmaps caused ships, orphans included. `BUNDLERS=vite,rollup` selects bundlers.

import path from 'node:path';
import { readManifest } from '@hogmaps/core';
import { describe, expect, test } from 'vitest';
import { loadRunners, selectedBundlers } from './harness/bundlers/index';
import { listFiles } from './harness/bundlers/rollup-shared';
import {
  expectChunkIds,
  expectMapReferencesResolve,
  expectNoShippedMaps,
  expectThrowsResolve,
  expectUploaded,
  hogmapsWarnings,
  readJsFiles,
} from './harness/checks';
import type { TestProject } from './harness/server';
import { useBuildSuite } from './harness/suite';
import type { BundlerRunner, NeutralBuild } from './harness/types';
import { appScenario } from './scenarios/app/scenario';

const runners = await loadRunners(selectedBundlers());

const suite = useBuildSuite();

function browserBuild(project: TestProject, extra: Partial<NeutralBuild> = {}): NeutralBuild {
  return {
    root: suite.workspace.root,
    outDir: suite.workspace.outDir('dist'),
    entries: { ...appScenario.browserEntries },
    platform: 'browser',
    hogmaps: project.options(),
    ...extra,
  };
}

describe.each(runners)('$name', (runner: BundlerRunner) => {
  test('maps turned off in the build config: hidden maps are made, uploaded and deleted, with no warning', async () => {
    const project = suite.server.project();
    const outcome = await runner.build(browserBuild(project, { sourcemap: false }));
    const files = await readJsFiles(outcome);
    const ids = expectChunkIds(files);
    expectNoShippedMaps(outcome, files);
    await expectMapReferencesResolve(outcome);
    expectUploaded(project, ids.values());
    await expectThrowsResolve({
      project,
      root: suite.workspace.root,
      files,
      chunkIds: ids,
      throws: appScenario.browserThrows,
    });
    expect(hogmapsWarnings(outcome), outcome.warnings.join('\n')).toEqual([]);
    const manifest = await readManifest(path.join(outcome.outDir, 'hogmaps-manifest.json'));
    expect(manifest.chunks.map((chunk) => [chunk.status, chunk.map])).toEqual(
      files.map(() => ['uploaded', null]),
    );
  });

  test.each([
    ['unset', undefined],
    ['off', false],
  ] as const)(
    'maps %s: no map hogmaps caused ships, not those of chunks left without an id, nor of CSS',
    async (_, sourcemap) => {
      const project = suite.server.project();
      // The entry is left out: its map is made all the same (the bundler makes maps per output), and must go.
      const outcome = await runner.build(
        browserBuild(project, { sourcemap, hogmaps: project.options({ exclude: /(^|\/)main\b/ }) }),
      );
      expect(outcome.files.filter((name) => name.endsWith('.map'))).toEqual([]);
      await expectMapReferencesResolve(outcome);
      const files = await readJsFiles(outcome);
      const main = files.filter((file) => file.code.includes('hogmaps-boom-main'));
      expect(main).toHaveLength(1);
      expect(main[0]!.code).not.toContain('_posthogChunkIds');
      const others = files.filter((file) => !main.includes(file));
      expectUploaded(project, expectChunkIds(others).values());
    },
  );

  test('only sourcemaps.enabled: false turns the upload off: no ids, no maps made, nothing sent', async () => {
    const project = suite.server.project();
    const requests = suite.server.countRequests();
    const outcome = await runner.build(
      browserBuild(project, { hogmaps: project.options({ sourcemaps: { enabled: false } }) }),
    );
    const files = await readJsFiles(outcome);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file.code, file.name).not.toContain('_posthogChunkIds');
    expectNoShippedMaps(outcome, files);
    expect(requests.hits).toBe(0);
    expect(project.rows()).toEqual([]);
  });
});

if (runners.some((runner) => runner.name === 'vite')) {
  describe('vite', () => {
    test('a framework plugin after hogmaps turning maps off does not stop the upload', async () => {
      const { build } = await import('vite');
      const { viteConfig } = await import('./harness/bundlers/vite');
      const project = suite.server.project();
      const warnings: string[] = [];
      const config = viteConfig(browserBuild(project), warnings);
      // Listed after hogmaps, in both hooks a framework may use.
      const framework = {
        name: 'framework-maps-off',
        config: () => ({ build: { sourcemap: false } }),
        configEnvironment: () => ({ build: { sourcemap: false } }),
      };
      await build({ ...config, plugins: [...(config.plugins ?? []), framework] });
      const outcome = {
        outDir: suite.workspace.outDir('dist'),
        files: listFiles(suite.workspace.outDir('dist')),
        warnings,
      };
      const files = await readJsFiles(outcome);
      const ids = expectChunkIds(files);
      expectNoShippedMaps(outcome, files);
      expectUploaded(project, ids.values());
      expect(hogmapsWarnings(outcome), warnings.join('\n')).toEqual([]);
    });
  });
}
