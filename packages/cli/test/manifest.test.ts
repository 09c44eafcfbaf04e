import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
 * Builds the app with the esbuild adapter while object storage refuses the first two chunks' uploads: the build
 * succeeds, one symbol set is on the server, and the manifest records the two that failed (their maps,
 * which must not ship, wait outside the output folder).
 */
async function buildWithFailingUploads(project: string): Promise<Manifest> {
  test.server.faults.clear();
  // Two chunks fail: each POST is refused, and so is the one to the fresh presigned POST asked for then.
  test.server.faults.add({ match: { target: 'storage', method: 'POST' }, action: { status: 503 }, times: 4 });
  const manifest = await buildWith(project, {
    personalApiKey: test.server.apiKey,
    projectId: test.server.projectId,
    host: test.server.url,
    retries: 0,
    concurrency: 1,
    sourcemaps: { releaseName: 'shop', releaseVersion: `manifest-${Date.now()}` },
  });
  test.server.faults.clear();
  return manifest;
}

/** Builds the app with the esbuild adapter and these options (credentials from the test server unless set). */
async function buildWith(
  project: string,
  options: Parameters<typeof hogmapsEsbuildPlugin>[0],
): Promise<Manifest> {
  resetBuildSessions();
  const cwd = process.cwd();
  process.chdir(project);
  try {
    await buildApp(project, {
      sourcemap: undefined,
      plugins: [hogmapsEsbuildPlugin({ logLevel: 'silent', ...options })],
    });
  } finally {
    process.chdir(cwd);
  }
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
      env: test.env,
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
      env: test.env,
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
        env: test.env,
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

describe('a manifest is untrusted input', () => {
  async function tamper(project: string, change: (manifest: Manifest) => void): Promise<void> {
    const manifest = await readManifest(project);
    change(manifest);
    await writeFile(path.join(project, 'dist', 'hogmaps-manifest.json'), JSON.stringify(manifest));
  }
  const upload = (project: string, env: Record<string, string>, ...extra: string[]) =>
    hogmaps(['upload', '--manifest', 'dist/hogmaps-manifest.json', ...extra], { cwd: project, env });

  it('never sends the key to a host or project the manifest names instead of the flags and environment', async () => {
    const seen: string[] = [];
    const elsewhere = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const evil = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    try {
      const project = await createProject();
      await buildWithFailingUploads(project);
      await tamper(project, (manifest) => {
        manifest.host = evil;
      });
      // No host given: the default is not the manifest's.
      const { POSTHOG_CLI_HOST: _, ...keyAndProject } = test.env;
      const refused = await upload(project, keyAndProject);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        `was written for host ${evil} (this upload: https://us.i.posthog.com)`,
      );
      expect(refused.stderr).toContain(`pass --host ${evil}`);
      expect(seen).toEqual([]);

      await tamper(project, (manifest) => {
        manifest.host = test.server.url;
        manifest.projectId = '999';
      });
      const otherProject = await upload(project, test.env);
      expect(otherProject.code).toBe(2);
      expect(otherProject.stderr).toContain(`project 999 (this upload: ${test.server.projectId})`);

      // Asked for explicitly, the flags' target wins.
      const anyway = await upload(project, test.env, '--ignore-manifest-target');
      expect(anyway.code).toBe(0);
      expect(anyway.stderr).toContain('2 symbol sets uploaded');
      expect(seen).toEqual([]);
    } finally {
      elsewhere.close();
    }
  });

  it('refuses files outside its folder before reading or sending anything', async () => {
    const project = await createProject();
    const built = await buildWithFailingUploads(project);
    await writeFile(path.join(project, 'secret.env'), 'TOKEN=do-not-upload\n');
    const requests = test.server.faults.add({ match: {}, action: { delayMs: 0 }, times: 1000 });
    const attempts: Array<[string, (chunk: Manifest['chunks'][number]) => void, RegExp]> = [
      [
        '../secret.env',
        (chunk) => (chunk.file = '../secret.env'),
        /chunks\[\d\]\.file "\.\.\/secret\.env" is outside/,
      ],
      [
        '/etc/passwd',
        (chunk) => (chunk.file = '/etc/passwd'),
        /chunks\[\d\]\.file "\/etc\/passwd" is outside/,
      ],
      [
        'a map elsewhere',
        (chunk) => (chunk.map = '../secret.env'),
        /chunks\[\d\]\.map "\.\.\/secret\.env" is outside/,
      ],
    ];
    const manifestFile = path.join(project, 'dist', 'hogmaps-manifest.json');
    const original = await readFile(manifestFile, 'utf8');
    for (const [name, change, message] of attempts) {
      await writeFile(manifestFile, original);
      await tamper(project, (manifest) =>
        change(manifest.chunks.find((chunk) => chunk.status === 'failed')!),
      );
      const result = await upload(project, test.env);
      expect(result.code, name).toBe(1);
      expect(result.stderr, name).toMatch(message);
      expect(result.stderr, name).toContain('Nothing was uploaded');
    }
    expect(requests.hits).toBe(0);
    test.server.faults.clear();
    expect(uploadedRefs()).not.toContain(built.chunks.find((chunk) => chunk.status === 'failed')!.chunkId);
  });

  it('uploads only UTF-8 JavaScript with a JSON source map', async () => {
    const project = await createProject();
    const built = await buildWithFailingUploads(project);
    const [first, second] = built.chunks.filter((chunk) => chunk.status === 'failed');
    await writeFile(path.join(project, 'dist', 'binary.js'), Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    await writeFile(path.join(project, 'dist', 'not-a-map.json'), '{"hello":"world"}');
    await tamper(project, (manifest) => {
      manifest.chunks.find((chunk) => chunk.chunkId === first!.chunkId)!.file = 'binary.js';
      manifest.chunks.find((chunk) => chunk.chunkId === second!.chunkId)!.map = 'not-a-map.json';
    });
    const result = await upload(project, test.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('binary.js: is not valid UTF-8 JavaScript');
    expect(result.stderr).toMatch(/not-a-map\.json: is not a source map/);
    expect(uploadedRefs()).not.toContain(first!.chunkId);
    expect(uploadedRefs()).not.toContain(second!.chunkId);
  });
});

describe('upload --manifest never calls an unfinished build done (issue #11, items 8 and 10)', () => {
  it('a manifest with nothing in it (a build without credentials) is an error that says what to do', async () => {
    const project = await createProject();
    const built = await buildWith(project, {
      sourcemaps: { releaseName: 'shop', releaseVersion: 'anonymous' },
    });
    expect(built.chunks).toEqual([]);
    const result = await hogmaps(['upload', '--manifest', 'dist/hogmaps-manifest.json'], {
      cwd: project,
      env: test.env,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('dist/hogmaps-manifest.json lists no symbol sets');
    expect(result.stderr).toMatch(/Set POSTHOG_PERSONAL_API_KEY and POSTHOG_PROJECT_ID .* and rebuild/);
    expect(result.stderr).not.toContain('all');
  });

  it('a build that could not register its release is reported as needing a rebuild, not done', async () => {
    const project = await createProject();
    test.server.faults.clear();
    test.server.faults.add({
      match: { path: 'error_tracking/releases' },
      action: { status: 500 },
      times: 100,
    });
    const built = await buildWith(project, {
      personalApiKey: test.server.apiKey,
      projectId: test.server.projectId,
      host: test.server.url,
      retries: 0,
      sourcemaps: { releaseName: 'shop', releaseVersion: `unregistered-${Date.now()}` },
    });
    test.server.faults.clear();
    expect(built.release).toMatchObject({ id: null, error: expect.stringMatching(/500/) });
    expect(built.chunks.every((chunk) => chunk.status === 'uploaded')).toBe(true);
    const result = await hogmaps(['upload', '--manifest', 'dist/hogmaps-manifest.json'], {
      cwd: project,
      env: test.env,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /did not register release shop@unregistered-\d+ \(not registered, so not injected: .*500.*\), so its code carries no release id .*: rebuild/,
    );
  });
});
