import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Manifest, resetBuildSessions } from '@hogmaps/core';
import { hogmapsEsbuildPlugin } from '@hogmaps/esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createProject } from './helpers/app';
import { hogmaps } from './helpers/cli';
import { startTestServer, type TestServer } from './helpers/server';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});
afterAll(async () => {
  await test.close();
});

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

async function readManifest(project: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(project, 'dist', 'hogmaps-manifest.json'), 'utf8')) as Manifest;
}

function uploadedRefs(): string[] {
  return test.server.admin
    .symbolSetRows(test.server.projectId)
    .filter((row) => row.content_hash !== null)
    .map((row) => row.ref);
}

/**
 * Builds the app with the esbuild adapter while object storage refuses the first two uploads: the build
 * succeeds, one symbol set is on the server, and the manifest records the two that failed (their maps,
 * which must not ship, wait outside the output folder).
 */
async function buildWithFailingUploads(project: string): Promise<Manifest> {
  test.server.faults.clear();
  test.server.faults.add({ match: { target: 'storage', method: 'POST' }, action: { status: 503 }, times: 2 });
  resetBuildSessions();
  // The plugin keeps maps it could not upload under <cwd>/node_modules/.cache: the project's own, here.
  const cwd = process.cwd();
  process.chdir(project);
  try {
    await buildApp(project, {
      sourcemap: undefined,
      plugins: [
        hogmapsEsbuildPlugin({
          personalApiKey: test.server.apiKey,
          projectId: test.server.projectId,
          host: test.server.url,
          retries: 0,
          concurrency: 1,
          logLevel: 'silent',
          sourcemaps: { releaseName: 'shop', releaseVersion: `manifest-${Date.now()}` },
        }),
      ],
    }).catch(() => undefined);
  } finally {
    process.chdir(cwd);
  }
  test.server.faults.clear();
  return readManifest(project);
}

describe('hogmaps upload --manifest', () => {
  it('finishes an upload that failed halfway through a build, sending only what was missing', async () => {
    const project = await createProject();
    const built = await buildWithFailingUploads(project);
    expect(built.chunks).toHaveLength(3);
    const failed = built.chunks.filter((chunk) => chunk.status === 'failed');
    const done = built.chunks.filter((chunk) => chunk.status === 'uploaded');
    expect(failed).toHaveLength(2);
    expect(done).toHaveLength(1);
    expect(uploadedRefs()).not.toContain(failed[0]!.chunkId);
    // Maps are never left in the output: failed ones wait in node_modules/.cache/hogmaps/pending.
    expect((await readdir(path.join(project, 'dist'))).filter((file) => file.endsWith('.js.map'))).toEqual(
      [],
    );
    for (const chunk of failed) {
      expect(chunk.map).toMatch(/^\.\.\/node_modules\/\.cache\/hogmaps\/pending\//);
      expect(await exists(path.resolve(project, 'dist', chunk.map!))).toBe(true);
    }

    // Count what reaches object storage during the retry.
    const storage = test.server.faults.add({
      match: { target: 'storage', method: 'POST' },
      action: { delayMs: 0 },
      times: 1000,
    });
    const result = await hogmaps(['upload', '--manifest', 'dist/hogmaps-manifest.json'], {
      cwd: project,
      // Host and project id come from the manifest; only the key is needed.
      env: { POSTHOG_CLI_API_KEY: test.server.apiKey },
    });
    expect(result.stderr).toContain('2 of 3 symbol sets still to upload');
    expect(result.stderr).toContain('2 symbol sets uploaded');
    expect(result.code).toBe(0);
    expect(storage.hits).toBe(2);
    expect(uploadedRefs()).toEqual(expect.arrayContaining(built.chunks.map((chunk) => chunk.chunkId)));

    const after = await readManifest(project);
    expect(after.chunks.map((chunk) => chunk.status)).toEqual(['uploaded', 'uploaded', 'uploaded']);
    expect(after.chunks.every((chunk) => chunk.error === undefined)).toBe(true);
    // The maps kept only for the retry are gone now.
    for (const chunk of failed) expect(await exists(path.resolve(project, 'dist', chunk.map!))).toBe(false);

    const again = await hogmaps(['upload', '--manifest', 'dist/hogmaps-manifest.json'], {
      cwd: project,
      env: { POSTHOG_CLI_API_KEY: test.server.apiKey },
    });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to upload');
    test.server.faults.clear();
  });

  it('exits 1 and keeps the failures in the manifest while the server still fails', async () => {
    const project = await createProject();
    const built = await buildWithFailingUploads(project);
    test.server.faults.add({
      match: { target: 'storage', method: 'POST' },
      action: { status: 503 },
      times: 1000,
    });
    const result = await hogmaps(
      ['upload', '--manifest', path.join(project, 'dist', 'hogmaps-manifest.json')],
      {
        cwd: path.join(project, 'src'),
        env: { POSTHOG_CLI_API_KEY: test.server.apiKey },
      },
    );
    test.server.faults.clear();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('2 failed');
    const after = await readManifest(project);
    expect(after.chunks.filter((chunk) => chunk.status === 'failed')).toHaveLength(2);
    expect(after.chunks.find((chunk) => chunk.status === 'failed')?.error).toMatch(/503/);
    // Nothing was lost: the pending maps are still there for the next try.
    for (const chunk of built.chunks.filter((entry) => entry.status === 'failed')) {
      expect(await exists(path.resolve(project, 'dist', chunk.map!))).toBe(true);
    }
    const dryRun = await hogmaps(['upload', '--manifest', 'dist/hogmaps-manifest.json', '--dry-run'], {
      cwd: project,
    });
    expect(dryRun.code).toBe(0);
    expect(dryRun.stderr).toContain('2 symbol sets would upload');
  });
});
