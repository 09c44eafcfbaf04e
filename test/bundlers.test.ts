// Every bundler against the same scenario, checked semantically: ids, placement, hashes, maps, uploads.
// `BUNDLERS=vite,rollup` selects bundlers; `KEEP_OUTPUT=1` keeps the build folders.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { resetBuildSessions } from '@hogmaps/core';
import { describe, expect, test } from 'vitest';
import { loadRunners, selectedBundlers } from './harness/bundlers/index';
import {
  expectChunkIds,
  expectIdenticalOutput,
  expectMapReferencesResolve,
  expectNamesFollowContent,
  expectNoShippedMaps,
  expectThrowsResolve,
  expectUploaded,
  readJsFiles,
  runNodeEntry,
} from './harness/checks';
import type { TestProject } from './harness/server';
import { useBuildSuite } from './harness/suite';
import type { BundlerRunner, NeutralBuild } from './harness/types';
import { appScenario } from './scenarios/app/scenario';

const runners = await loadRunners(selectedBundlers());

const suite = useBuildSuite();

function browserBuild(outDir: string, project: TestProject, extra: Partial<NeutralBuild> = {}): NeutralBuild {
  return {
    root: suite.workspace.root,
    outDir: suite.workspace.outDir(outDir),
    entries: { ...appScenario.browserEntries },
    platform: 'browser',
    hogmaps: project.options(),
    ...extra,
  };
}

/** The Node build uploads from a worker thread (the browser build, from its own: a small heap). */
function nodeBuild(outDir: string, project: TestProject): NeutralBuild {
  return {
    ...browserBuild(outDir, project),
    entries: { ...appScenario.nodeEntries },
    platform: 'node',
    hogmaps: project.options({ uploadThread: 'worker' }),
  };
}

/** Which JS file holds `message`. */
function fileWith(files: { name: string; code: string }[], message: string): string | undefined {
  return files.find((file) => file.code.includes(message))?.name;
}

describe.each(runners)('$name', (runner: BundlerRunner) => {
  test('every chunk has one id in the right place, hidden maps never ship, uploaded maps lead back to each throw', async () => {
    const project = suite.server.project();

    const browser = await runner.build(browserBuild('dist', project));
    const browserJs = await readJsFiles(browser);
    const browserIds = expectChunkIds(browserJs);
    // The dynamic import is a chunk of its own, and the CSS import became a stylesheet.
    expect(fileWith(browserJs, 'hogmaps-boom-lazy')).not.toBe(fileWith(browserJs, 'hogmaps-boom-main'));
    expect(browser.files.some((name) => name.endsWith('.css'))).toBe(true);
    expectNoShippedMaps(browser, browserJs);
    await expectMapReferencesResolve(browser);

    const node = await runner.build(nodeBuild('dist-node', project));
    const nodeJs = await readJsFiles(node);
    const nodeIds = expectChunkIds(nodeJs);
    expectNoShippedMaps(node, nodeJs);
    const cli = nodeJs.find((file) => file.code.includes('hogmaps-boom-cli'))!;
    expect(cli.code.startsWith('#!/usr/bin/env node\n')).toBe(true);
    // Still runs after injection, and the snippet registered its chunk id.
    expect(await runNodeEntry(node, 'cli', ['ratio', '9/3'])).toMatch(/^ratio=3 chunkIds=[1-9]\d*$/m);

    expectUploaded(project, [...browserIds.values(), ...nodeIds.values()]);
    expect(await project.releases()).toHaveLength(1);
    await expectThrowsResolve({
      project,
      root: suite.workspace.root,
      files: browserJs,
      chunkIds: browserIds,
      throws: appScenario.browserThrows,
    });
    await expectThrowsResolve({
      project,
      root: suite.workspace.root,
      files: nodeJs,
      chunkIds: nodeIds,
      throws: appScenario.nodeThrows,
    });
  });

  test('a second identical build gives byte-identical output and uploads nothing new', async () => {
    const project = suite.server.project();
    const first = await runner.build(browserBuild('dist-1', project));
    const rowsBefore = project.rows();
    expect(rowsBefore.length).toBeGreaterThan(0);

    // A new process (a CI re-run): a fresh session asks the server, which already has everything.
    resetBuildSessions();
    const starts = suite.server.server.faults.add({
      match: { path: 'bulk_start_upload' },
      action: { delayMs: 0 },
      times: Number.MAX_SAFE_INTEGER,
    });
    const second = await runner.build(browserBuild('dist-2', project));
    await expectIdenticalOutput(first, second);
    expect(starts.hits).toBe(0);
    const pick = (rows: typeof rowsBefore) =>
      rows.map(({ id, ref, storage_ptr, content_hash, created_at }) => ({
        id,
        ref,
        storage_ptr,
        content_hash,
        created_at,
      }));
    expect(pick(project.rows())).toEqual(pick(rowsBefore));
    expect(await project.releases()).toHaveLength(1);
  });

  test('content-hashed names follow the content: a changed module renames its chunk, a kept name keeps its bytes', async () => {
    const project = suite.server.project();
    const first = await runner.build(browserBuild('dist-a', project));
    await suite.workspace.edit(appScenario.lazyEdit.file, appScenario.lazyEdit.from, appScenario.lazyEdit.to);
    resetBuildSessions();
    const second = await runner.build(browserBuild('dist-b', project));

    const [before, after] = [await readJsFiles(first), await readJsFiles(second)];
    const lazyBefore = fileWith(before, 'hogmaps-boom-lazy')!;
    const lazyAfter = fileWith(after, 'hogmaps-boom-lazy')!;
    const idBefore = expectChunkIds(before).get(lazyBefore);
    const idAfter = expectChunkIds(after).get(lazyAfter);
    expect(idAfter).not.toBe(idBefore);
    if (runner.hashesNames) {
      expect(lazyAfter).not.toBe(lazyBefore);
      await expectNamesFollowContent(first, second);
    }
    // Both versions' chunks are on the server, each under its own id.
    expectUploaded(project, [...expectChunkIds(before).values(), ...expectChunkIds(after).values()]);
  });

  test('maps the user asked for are kept, referenced and uploaded', async () => {
    const project = suite.server.project();
    const outcome = await runner.build(browserBuild('dist', project, { sourcemap: 'external' }));
    const files = await readJsFiles(outcome);
    const ids = expectChunkIds(files);
    for (const file of files) {
      expect(outcome.files, `${file.name} keeps its map`).toContain(`${file.name}.map`);
      const map = JSON.parse(await readFile(path.join(outcome.outDir, `${file.name}.map`), 'utf8')) as {
        version: number;
      };
      expect(map.version).toBe(3);
    }
    await expectMapReferencesResolve(outcome);
    expectUploaded(project, ids.values());
    await expectThrowsResolve({
      project,
      root: suite.workspace.root,
      files,
      chunkIds: ids,
      throws: appScenario.browserThrows,
    });
  });
});
