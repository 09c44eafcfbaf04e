import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createRelease, uploadSymbolSet } from '../helpers/flow';
import { http } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { buildAppBundle } from '../symbolication/helpers/bundle';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Runs the node test app (posthog-node inside) built with `releaseId` in its snippet, against `server`. */
async function crashWithPosthogNode(server: TestServer, releaseId: string | undefined) {
  const bundle = await buildAppBundle('node-entry.js', undefined, releaseId);
  const dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-release-'));
  dirs.push(dir);
  const file = path.join(dir, 'server-app.mjs');
  await writeFile(file, bundle.code);
  await promisify(execFile)(process.execPath, [file, server.url, server.projectToken], { timeout: 20_000 });
  return bundle;
}

async function exceptions(server: TestServer) {
  const response = await http('GET', `${server.url}/api/projects/${server.projectId}/hogmaps/exceptions/`, {
    headers: { authorization: `Bearer ${server.apiKey}` },
  });
  expect(response.status, response.text).toBe(200);
  return response.json.results;
}

describe('$release_id on $exception events', () => {
  it('is stored, and the exception shows its release (posthog-node, event mode)', async () => {
    const server = await startTestServer();
    const release = await createRelease(server, { project: 'shop-worker', version: '2.4.1' });
    const bundle = await crashWithPosthogNode(server, release.id);
    await uploadSymbolSet(server, bundle.chunkId, bundle.container());

    const [exception] = await exceptions(server);
    expect(exception.properties.$release_id).toBe(release.id);
    expect(exception.release_id).toBe(release.id);
    expect(exception.release).toMatchObject({ id: release.id, project: 'shop-worker', version: '2.4.1' });
    expect(exception.exception_list[0].stacktrace.frames.at(-1)).toMatchObject({
      resolved: true,
      source: '../checkout.ts',
      resolved_name: 'submitOrder',
    });
  });

  it('symbol-set mode: without $release_id, the release the frames’ symbol set is bound to', async () => {
    const server = await startTestServer();
    const release = await createRelease(server, { project: 'shop-worker', version: '3.0.0' });
    const bundle = await crashWithPosthogNode(server, undefined);
    await uploadSymbolSet(server, bundle.chunkId, bundle.container(), { releaseId: release.id });

    const [exception] = await exceptions(server);
    expect(exception.release_id).toBeNull();
    expect(exception.release).toMatchObject({ id: release.id, version: '3.0.0' });
  });

  it('an unknown $release_id is kept as sent, with no release', async () => {
    const server = await startTestServer();
    const missing = '0190a0a0-0000-7000-8000-000000000000';
    await crashWithPosthogNode(server, missing);
    const [exception] = await exceptions(server);
    expect(exception).toMatchObject({ release_id: missing, release: null });
  });
});
