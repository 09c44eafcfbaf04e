// Issue #11, items 6, 8, 9 and 10: when something fails, no map ships, nothing is lost silently, the
// manifest and the summary tell the truth, and the log says once what to run.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Options, pendingMapsDir, readManifest, resolveManifestChunkFiles } from '@hogmaps/core';
import type { RunningServer } from '@hogmaps/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTempServer } from '../harness/temp-server';
import { emitChunk, listSets, sessionFor } from './harness';

let server: RunningServer;
let work: string;

beforeAll(async () => {
  server = await startTempServer('failure-paths');
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'hogmaps-failure-paths-'));
  server.faults.clear();
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const outDir = () => path.join(work, 'dist');
const problems = (lines: string[]) => lines.filter((line) => /^\[hogmaps\] (warning|error):/.test(line));

/** One build of one fresh chunk (its own id, new to the server). */
async function buildOne(extra: Options = {}, level: 'info' | 'debug' = 'info') {
  const { session, lines } = sessionFor(server, work, extra, {}, level);
  await session.prepare();
  const name = `c${randomUUID().slice(0, 8)}`;
  const chunk = await emitChunk(outDir(), name, `${name}();`, (code) => session.chunkIdFor(code));
  return { session, lines, chunk, finish: () => session.finishBuild({ outDir: outDir(), chunks: [chunk] }) };
}

/** A file where the pending-maps folder's parent should be: maps cannot be moved aside. */
async function blockPendingMaps() {
  await mkdir(path.join(work, 'node_modules', '.cache'), { recursive: true });
  await writeFile(path.join(work, 'node_modules', '.cache', 'hogmaps'), 'not a folder');
}

const failStart = () =>
  server.faults.add({ match: { path: 'bulk_start_upload' }, action: { status: 503 }, times: 100 });

describe('maps that cannot be kept for a retry (item 6)', () => {
  test('are deleted, never shipped; the manifest and summary are still written and the loss is loud', async () => {
    await blockPendingMaps();
    failStart();
    const { lines, chunk, finish } = await buildOne({ retries: 0 });
    const report = await finish();

    expect(existsSync(chunk.mapPath)).toBe(false);
    expect(report.summary).toMatch(/1 failed/);
    expect(report.summary).toMatch(/1 map deleted/);
    const manifest = await readManifest(report.manifestPath!);
    expect(manifest.chunks[0]).toMatchObject({ status: 'failed', map: null });
    expect(manifest.chunks[0]?.error).toMatch(/could not be kept for a retry \(ENOTDIR\): rebuild/);
    const loud = problems(lines).filter((line) => line.includes('could not be kept for a retry'));
    expect(loud, lines.join('\n')).toHaveLength(1);
    expect(loud[0]).toMatch(
      /^\[hogmaps\] error: 1 source map could not be kept .* deleted so it does not ship/,
    );
    expect(loud[0]).toContain(`dist/${path.basename(chunk.mapPath)}`);
    // No retry to suggest: that map is gone.
    expect(lines.join('\n')).not.toContain('hogmaps upload --manifest');
  });

  test('under failOnError the build fails, after the manifest is written', async () => {
    await blockPendingMaps();
    failStart();
    const { chunk, finish } = await buildOne({ retries: 0, failOnError: true });
    const error = await finish().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /upload failed for 1 symbol sets.*could not be kept for a retry/,
    );
    expect(existsSync(chunk.mapPath)).toBe(false);
    expect((await readManifest(path.join(outDir(), 'hogmaps-manifest.json'))).chunks).toHaveLength(1);
  });
});

describe('a release that cannot be registered (item 8)', () => {
  const failReleases = () =>
    server.faults.add({ match: { path: 'error_tracking/releases' }, action: { status: 500 }, times: 100 });

  test('is recorded in the manifest and the summary, not hidden behind "uploaded"', async () => {
    failReleases();
    const { session, lines, chunk, finish } = await buildOne({ retries: 0 });
    expect((await session.prepare()).releaseId).toBeUndefined();
    const report = await finish();
    expect(report.upload?.uploaded).toEqual([chunk.chunkId]);
    expect(report.summary).toMatch(/^release session-app@1\.0\.0 \(NOT registered, not in the code\): /);
    const manifest = await readManifest(report.manifestPath!);
    expect(manifest.release).toMatchObject({ id: null, name: 'session-app' });
    expect(manifest.release?.error).toMatch(/^not registered, so not injected: .*500/);
    expect(problems(lines).join('\n')).toMatch(
      /could not register the release session-app@1\.0\.0: .*Rebuild/,
    );

    // The rebuild it asks for, with PostHog reachable, finishes the job.
    server.faults.clear();
    const rebuild = sessionFor(server, work).session;
    expect((await rebuild.prepare()).releaseId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await rebuild.finishBuild({ outDir: outDir(), chunks: [chunk] });
    expect(again.summary).toMatch(/^release session-app@1\.0\.0: /);
    expect((await readManifest(again.manifestPath!)).release?.error).toBeUndefined();
  });

  test('fails the build under failOnError, saying what failed', async () => {
    failReleases();
    const { session } = sessionFor(server, work, { retries: 0, failOnError: true });
    await expect(session.prepare()).rejects.toThrow(/^could not register the release session-app@1\.0\.0: /);
  });
});

describe('the whole upload has a deadline (item 9)', () => {
  test('a server asking to come back in an hour fails the upload at uploadTimeout, keeping the map for a retry', async () => {
    server.faults.add({
      match: { path: 'bulk_start_upload' },
      action: { status: 429, retryAfter: 3600 },
      times: 100,
    });
    const { chunk, finish } = await buildOne({ uploadTimeout: 1500 });
    const report = await finish();
    expect(report.upload?.failed.map((failure) => failure.error)).toEqual([
      `${path.basename(chunk.jsPath)}: the upload did not finish within 1.5 s (uploadTimeout); not uploaded`,
    ]);
    const manifest = await readManifest(report.manifestPath!);
    expect(manifest.chunks[0]?.status).toBe('failed');
    expect(path.resolve(outDir(), manifest.chunks[0]!.map!).startsWith(pendingMapsDir(work))).toBe(true);
  });
});

describe('messages tell the truth and the next step (item 10)', () => {
  test('maps moved aside are not called deleted; the retry command is given once; a later build cleans up', async () => {
    failStart();
    const first = await buildOne({ retries: 0 });
    const report = await first.finish();
    expect(report.summary).toMatch(/1 map kept for a retry, out of the output/);
    expect(report.summary).not.toMatch(/deleted/);
    const hints = first.lines.filter((line) => line.includes('hogmaps upload --manifest'));
    expect(hints).toEqual([
      '[hogmaps] warning: 1 symbol set was not uploaded: to finish without rebuilding, run `hogmaps upload --manifest dist/hogmaps-manifest.json` (before deploying)',
    ]);
    const pending = path.join(pendingMapsDir(work), `${first.chunk.chunkId}.map`);
    expect(existsSync(pending)).toBe(true);

    // The next build of the same code, with the server back: uploaded, and the pending map goes.
    server.faults.clear();
    const { session, lines } = sessionFor(server, work);
    await session.prepare();
    const again = { ...first.chunk };
    await writeFile(
      again.mapPath,
      JSON.stringify({ version: 3, sources: ['x.ts'], names: [], mappings: 'AAAA' }),
    );
    const second = await session.finishBuild({ outDir: outDir(), chunks: [again] });
    expect(second.upload?.uploaded).toEqual([again.chunkId]);
    expect(existsSync(pending)).toBe(false);
    expect(lines.join('\n')).not.toContain('hogmaps upload --manifest');
  });

  test('an output outside the working directory keeps its maps where upload --manifest takes them', async () => {
    failStart();
    const cwd = path.join(work, 'scripts');
    await mkdir(cwd);
    const { session } = sessionFor(server, cwd, { retries: 0 });
    await session.prepare();
    const elsewhere = path.join(work, 'site', 'dist');
    const name = `o${randomUUID().slice(0, 8)}`;
    const chunk = await emitChunk(elsewhere, name, `${name}();`, (code) => session.chunkIdFor(code));
    const report = await session.finishBuild({ outDir: elsewhere, chunks: [chunk] });
    const manifest = await readManifest(report.manifestPath!);
    const files = await resolveManifestChunkFiles(report.manifestPath!, manifest.chunks[0]!, 0);
    expect(files.mapPath).toBe(path.join(pendingMapsDir(path.join(work, 'site')), `${chunk.chunkId}.map`));
    expect(existsSync(files.mapPath!)).toBe(true);
  });

  test('one reason for many failures is one error line naming the files', async () => {
    failStart();
    const { session, lines } = sessionFor(server, work, { retries: 0 });
    await session.prepare();
    const chunks = [];
    for (const name of ['one', 'two', 'three']) {
      const unique = `${name}${randomUUID().slice(0, 8)}`;
      chunks.push(await emitChunk(outDir(), unique, `${unique}();`, (code) => session.chunkIdFor(code)));
    }
    await session.finishBuild({ outDir: outDir(), chunks });
    const errors = lines.filter((line) => line.startsWith('[hogmaps] error:'));
    expect(errors, lines.join('\n')).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^\[hogmaps\] error: 3 symbol sets failed \(.*\): starting the upload failed: .*503/,
    );
    for (const chunk of chunks) expect(errors[0]).toContain(path.basename(chunk.jsPath));
  });

  test('retries are routine: logged at debug only, never at info', async () => {
    server.faults.add({ match: { path: 'bulk_start_upload' }, action: { status: 503 }, times: 1 });
    const info = await buildOne({ retries: 2 });
    const report = await info.finish();
    expect(report.upload?.uploaded).toEqual([info.chunk.chunkId]);
    expect(info.lines.filter((line) => /retrying/.test(line))).toEqual([]);
    expect(problems(info.lines)).toEqual([]);

    server.faults.add({ match: { path: 'bulk_start_upload' }, action: { status: 503 }, times: 1 });
    const debug = await buildOne({ retries: 2 }, 'debug');
    await debug.finish();
    expect(debug.lines.filter((line) => /HTTP 503.*retrying in/.test(line))).toHaveLength(1);
    expect((await listSets(server)).results.map((set) => set.ref)).toContain(debug.chunk.chunkId);
  });
});
