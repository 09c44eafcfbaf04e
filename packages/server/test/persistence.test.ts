import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { startServer } from '../src/index';
import { createRelease, fakeContainer, sha512, uploadSymbolSet } from './helpers/flow';
import { http } from './helpers/http';
import { startTestServer, tempDataDir, uploadToPresigned } from './helpers/server';

const ENV_KEY = 'HOGMAPS_SERVER_API_KEY';
const savedEnv = process.env[ENV_KEY];
afterEach(() => {
  if (savedEnv === undefined) delete process.env[ENV_KEY];
  else process.env[ENV_KEY] = savedEnv;
});

describe('state across restarts', () => {
  test('credentials, releases, symbol sets and blobs survive stop/start', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir });
    expect(first.projectId).toBe(1);
    expect(first.apiKey).toMatch(/^phx_[\w-]{43}$/);
    expect(first.projectToken).toMatch(/^phc_[\w-]{43}$/);
    const release = await createRelease(first);
    const bytes = fakeContainer('kept');
    const id = await uploadSymbolSet(first, 'c1', bytes, { releaseId: release.id });
    const pending = await first.api('POST', 'symbol_sets/bulk_start_upload', {
      body: { symbol_sets: [{ chunk_id: 'c2', release_id: null, content_hash: 'h2' }] },
    });
    const extraKey = first.admin.createApiKey({ scopes: ['error_tracking:read'] }).key;
    await first.close();

    // Same port: presigned URLs handed out before the restart point at it.
    const second = await startTestServer({ dataDir, port: first.port });
    expect([second.apiKey, second.projectToken, second.projectId]).toEqual([
      first.apiKey,
      first.projectToken,
      1,
    ]);
    const got = await second.api('GET', `symbol_sets/${id}`, { key: extraKey });
    expect(got.status).toBe(200);
    expect(got.json.release.id).toBe(release.id);
    const { url } = (await second.api('GET', `symbol_sets/${id}/download`)).json;
    expect((await http('GET', url)).body).toEqual(bytes);
    // Presigned URLs handed out before the restart still work (the signing secret is stored).
    const entry = pending.json.id_map.c2;
    expect((await uploadToPresigned(entry.presigned_url, fakeContainer('late'))).status).toBe(204);
    expect(
      (
        await second.api('POST', 'symbol_sets/bulk_finish_upload', {
          body: { content_hashes: { [entry.symbol_set_id]: 'h2' } },
        })
      ).status,
    ).toBe(201);
    // Re-uploading the same content after the restart is a no-op.
    const again = await second.api('POST', 'symbol_sets/bulk_start_upload', {
      body: { symbol_sets: [{ chunk_id: 'c1', release_id: release.id, content_hash: sha512(bytes) }] },
    });
    expect(again.json).toEqual({ id_map: {} });
    expect(readFileSync(second.admin.blobPath(second.admin.symbolSetRows(1)[0]!.storage_ptr!))).toEqual(
      bytes,
    );
  });

  test('a fixed API key (option or HOGMAPS_SERVER_API_KEY) is created once and reused', async () => {
    const dataDir = tempDataDir();
    const fixed = 'phx_demo_key_for_the_walkthrough';
    process.env[ENV_KEY] = fixed;
    const first = await startTestServer({ dataDir });
    expect(first.apiKey).toBe(fixed);
    expect((await first.api('GET', 'releases')).status).toBe(200);
    await first.close();
    delete process.env[ENV_KEY];
    const second = await startTestServer({ dataDir, apiKey: fixed });
    expect(second.apiKey).toBe(fixed);
    expect((await second.api('GET', 'releases')).status).toBe(200);
    await second.close();
    // Without it, the stored random key is reported again, and the fixed one still works.
    const third = await startTestServer({ dataDir });
    expect(third.apiKey).not.toBe(fixed);
    expect((await third.api('GET', 'releases', { key: fixed })).status).toBe(200);
  });

  test('bad start options are reported together', async () => {
    await expect(
      startServer({ port: -1, maxBodyBytes: 0, apiKey: 'secret', dataDir: tempDataDir(), quiet: true }),
    ).rejects.toThrow(/3 problems[\s\S]*port[\s\S]*maxBodyBytes[\s\S]*apiKey/);
  });

  test('a taken port is an error, not a hang', async () => {
    const first = await startTestServer();
    await expect(startServer({ port: first.port, dataDir: tempDataDir(), quiet: true })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });

  test('concurrent uploads of many sets are all stored', async () => {
    const server = await startTestServer();
    const sets = Array.from(
      { length: 24 },
      (_, i) => [`chunk-${i}`, fakeContainer(`c${i}`, 2000 + i)] as const,
    );
    await Promise.all(sets.map(([chunkId, bytes]) => uploadSymbolSet(server, chunkId, bytes)));
    const rows = server.admin.symbolSetRows(1);
    expect(rows).toHaveLength(24);
    for (const [chunkId, bytes] of sets) {
      expect(rows.find((r) => r.ref === chunkId)!.content_hash).toBe(sha512(bytes));
    }
    // The same chunk started by many requests at once ends as one row.
    const racing = await Promise.all(
      Array.from({ length: 8 }, () =>
        server.api('POST', 'symbol_sets/bulk_start_upload', {
          body: { symbol_sets: [{ chunk_id: 'race', release_id: null, content_hash: null }] },
        }),
      ),
    );
    expect(racing.every((r) => r.status === 201)).toBe(true);
    expect(server.admin.symbolSetRows(1).filter((r) => r.ref === 'race')).toHaveLength(1);
  });
});
