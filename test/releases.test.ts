// Two releases on every bundler (issue 12, items 1 and 2): build release A, change one module, build
// release B. Only the chunks whose code changed are uploaded again, and a deploy changes only those
// files plus the chunks that carry the release id (the entries, by default).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { resetBuildSessions } from '@hogmaps/core';
import { describe, expect, test } from 'vitest';
import { loadRunners, selectedBundlers } from './harness/bundlers/index';
import { expectChunkIds, expectNamesFollowContent, type JsFile, readJsFiles } from './harness/checks';
import type { TestProject } from './harness/server';
import { useBuildSuite } from './harness/suite';
import type { BuildOutcome, BundlerRunner } from './harness/types';
import { releasesScenario } from './scenarios/releases/scenario';

const runners = await loadRunners(selectedBundlers());

const suite = useBuildSuite(releasesScenario.root);
let builds = 0;

interface Release {
  outcome: BuildOutcome;
  files: JsFile[];
  ids: Map<string, string>;
}

/** One release of the app, in a process of its own (a fresh session), as a CI run would build it. */
async function buildRelease(
  runner: BundlerRunner,
  project: TestProject,
  version: string,
  releaseInjection: 'entries' | 'startup-chunks' | 'every-chunk' | undefined,
  entries: Record<string, string> = releasesScenario.entries,
  releaseMode: 'event' | 'symbol-set' = 'event',
): Promise<Release> {
  resetBuildSessions();
  const outcome = await runner.build({
    root: suite.workspace.root,
    outDir: suite.workspace.outDir(`dist-${++builds}`),
    entries: { ...entries },
    platform: 'browser',
    hogmaps: project.options({
      sourcemaps: { releaseVersion: version, releaseMode, ...(releaseInjection ? { releaseInjection } : {}) },
    }),
  });
  const files = await readJsFiles(outcome);
  return { outcome, files, ids: expectChunkIds(files) };
}

/** Files of B that A did not have byte for byte (a new name, or the same name with other bytes). */
async function changedFiles(a: Release, b: Release): Promise<string[]> {
  const changed: string[] = [];
  for (const file of b.files) {
    const before = a.outcome.files.includes(file.name)
      ? await readFile(path.join(a.outcome.outDir, file.name), 'utf8')
      : undefined;
    if (before !== file.code) changed.push(file.name);
  }
  return changed.sort();
}

const fileWith = (release: Release, marker: string) =>
  release.files.find((file) => file.code.includes(marker))?.name;
const carriesRelease = (file: JsFile) => file.code.includes('_posthogReleaseId||');

/**
 * The chunk ids release B uploaded: new rows, and rows whose storage object B replaced. Storage keys
 * are new on every upload, so an unchanged key means the set was not sent again.
 */
function uploadedBy(project: TestProject, before: ReturnType<TestProject['rows']>): string[] {
  const previous = new Map(before.map((row) => [row.ref, row.storage_ptr]));
  return project
    .rows()
    .filter((row) => previous.get(row.ref) !== row.storage_ptr)
    .map((row) => row.ref)
    .sort();
}

describe.each(runners)('$name', (runner: BundlerRunner) => {
  test('a deploy changes only the files whose code changed plus the startup chunks, and uploads only changed chunks', async () => {
    const project = suite.server.project();
    const a = await buildRelease(runner, project, '1.0.0', 'startup-chunks');
    const rowsA = project.rows();
    await suite.workspace.edit(
      releasesScenario.edit.file,
      releasesScenario.edit.from,
      releasesScenario.edit.to,
    );
    const b = await buildRelease(runner, project, '1.0.1', 'startup-chunks');

    const main = fileWith(b, releasesScenario.markers.main)!;
    const routeA = fileWith(b, releasesScenario.markers.routeA)!;
    const routeB = fileWith(b, releasesScenario.markers.routeB)!;
    // The release is where the SDK reads it first (the entry, with webpack's runtime), nowhere else.
    expect(b.files.filter(carriesRelease).map((file) => file.name)).toEqual([main]);
    expect(a.files.filter(carriesRelease).map((file) => file.name)).toEqual([
      fileWith(a, releasesScenario.markers.main),
    ]);
    // Changed: the edited route and the entry (new release, and it names route A's new file). Route B
    // and the shared code keep their names and bytes, so browsers keep them cached.
    expect(await changedFiles(a, b)).toEqual([main, routeA].sort());
    expect(fileWith(a, releasesScenario.markers.routeB)).toBe(routeB);
    if (runner.hashesNames) await expectNamesFollowContent(a.outcome, b.outcome);

    // Uploaded in B: exactly the chunks with new code (new ids); nothing else was sent again.
    const oldIds = new Set(a.ids.values());
    const newIds = [...b.ids.values()].filter((id) => !oldIds.has(id)).sort();
    expect(newIds).toEqual([b.ids.get(main)!, b.ids.get(routeA)!].sort());
    expect(uploadedBy(project, rowsA)).toEqual(newIds);
  });

  test("every-chunk (PostHog's plugins): every file changes, yet a chunk whose code did not is not uploaded again", async () => {
    const project = suite.server.project();
    const a = await buildRelease(runner, project, '2.0.0', 'every-chunk');
    const rowsA = project.rows();
    await suite.workspace.edit(
      releasesScenario.edit.file,
      releasesScenario.edit.from,
      releasesScenario.edit.to,
    );
    const b = await buildRelease(runner, project, '2.0.1', 'every-chunk');

    expect(b.files.every(carriesRelease)).toBe(true);
    expect(await changedFiles(a, b)).toEqual(b.files.map((file) => file.name).sort());

    // Chunks with the code of release A (their ids are of the code before injection) changed bytes
    // only by the release id; their content hash ignores it, so they are not sent again.
    const oldIds = new Set(a.ids.values());
    const kept = [...b.ids].filter(([, id]) => oldIds.has(id));
    expect(kept.length).toBeGreaterThan(0);
    const newIds = [...b.ids.values()].filter((id) => !oldIds.has(id)).sort();
    expect(uploadedBy(project, rowsA)).toEqual(newIds);
    expect(newIds.length).toBeLessThan(b.files.length);
  });

  test('the chunks an entry imports statically run before it, so they carry the release too', async () => {
    const project = suite.server.project();
    const build = await buildRelease(runner, project, '3.0.0', 'startup-chunks', releasesScenario.twoEntries);
    const carriers = build.files.filter(carriesRelease).map((file) => file.name);
    const main = fileWith(build, releasesScenario.markers.main)!;
    const other = build.files.find((file) => file.code.includes('hogmapsOther'))!.name;
    const routes = [releasesScenario.markers.routeA, releasesScenario.markers.routeB].map(
      (marker) => fileWith(build, marker)!,
    );
    expect(carriers).toEqual(expect.arrayContaining([main, other]));
    for (const route of routes) expect(carriers).not.toContain(route);
    const shared = fileWith(build, releasesScenario.markers.shared)!;
    if (['rollup', 'rolldown', 'vite'].includes(runner.name)) {
      // ES modules: the shared chunk, imported by the other entry, is evaluated first.
      expect(shared).not.toBe(other);
      expect(carriers.sort()).toEqual([main, other, shared].sort());
    } else {
      // webpack/rspack: only runtime chunks run code; esbuild: a hashed chunk cannot carry it.
      expect(carriers.sort()).toEqual([main, other].sort());
    }
  });

  test('entries (the default): only the entries carry the release, so a release alone leaves the shared chunk they import as it was', async () => {
    const project = suite.server.project();
    const a = await buildRelease(runner, project, '5.0.0', undefined, releasesScenario.twoEntries);
    const rowsA = project.rows();
    const b = await buildRelease(runner, project, '5.0.1', undefined, releasesScenario.twoEntries);
    const entriesOf = (release: Release) =>
      [
        fileWith(release, releasesScenario.markers.main)!,
        release.files.find((file) => file.code.includes('hogmapsOther'))!.name,
      ].sort();
    expect(
      b.files
        .filter(carriesRelease)
        .map((file) => file.name)
        .sort(),
    ).toEqual(entriesOf(b));
    const shared = fileWith(b, releasesScenario.markers.shared)!;
    expect(entriesOf(b)).not.toContain(shared);
    // Only the entries changed (their release id); the shared chunk, imported by the second entry, and
    // the routes keep their names and bytes.
    expect(await changedFiles(a, b)).toEqual(entriesOf(b));
    expect(fileWith(a, releasesScenario.markers.shared)).toBe(shared);
    // Same code: nothing uploaded again.
    expect(uploadedBy(project, rowsA)).toEqual([]);
  });

  test('symbol-set mode: a rebuild of the release elsewhere, same code but another map, replaces the stored map', async () => {
    const project = suite.server.project();
    const first = await buildRelease(runner, project, '4.0.0', 'startup-chunks', undefined, 'symbol-set');
    // Another machine, another map: a comment edit changes sourcesContent, not a byte of the code.
    await suite.workspace.edit(
      releasesScenario.mapOnlyEdit.file,
      releasesScenario.mapOnlyEdit.from,
      releasesScenario.mapOnlyEdit.to,
    );
    const again = await buildRelease(runner, project, '4.0.0', 'startup-chunks', undefined, 'symbol-set');
    expect(again.outcome.warnings.filter((warning) => warning.includes('[hogmaps]'))).toEqual([]);

    // The chunk holding the shared code: the same code, so the same id (UUIDv5 of code and release).
    const code = (release: Release) =>
      release.files.find((file) => file.code.includes(releasesScenario.markers.shared))!;
    expect(code(again).code).toBe(code(first).code);
    const chunkId = again.ids.get(code(again).name)!;
    expect(first.ids.get(code(first).name)).toBe(chunkId);
    const stored = await project.download(chunkId);
    expect(stored.map).toContain(releasesScenario.mapOnlyEdit.to);
    expect(project.rows().every((row) => row.content_hash !== null)).toBe(true);
  });
});
