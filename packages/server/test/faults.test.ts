import { describe, expect, test } from 'vitest';
import { fakeContainer, sha512 } from './helpers/flow';
import { http } from './helpers/http';
import { startTestServer, uploadToPresigned } from './helpers/server';

const startBody = (chunkId: string, hash = 'h') => ({
  body: { symbol_sets: [{ chunk_id: chunkId, release_id: null, content_hash: hash }] },
});

describe('fault injection', () => {
  test('start-up rules answer a status a bounded number of times', async () => {
    const server = await startTestServer({
      faults: [{ match: { path: '/bulk_start_upload' }, action: { status: 503 }, times: 2 }],
    });
    for (let i = 0; i < 2; i++) {
      const failed = await server.api('POST', 'symbol_sets/bulk_start_upload', startBody('c1'));
      expect(failed.status).toBe(503);
      expect(failed.json).toEqual({
        type: 'server_error',
        code: 'error',
        detail: 'A server error occurred.',
        attr: null,
      });
    }
    expect(server.admin.symbolSetRows(1)).toEqual([]);
    expect((await server.api('POST', 'symbol_sets/bulk_start_upload', startBody('c1'))).status).toBe(201);
    expect(server.faults.list()).toMatchObject([{ remaining: 0, hits: 2 }]);
  });

  test("429 with Retry-After and PostHog's throttled body; custom bodies", async () => {
    const server = await startTestServer();
    server.faults.add({
      match: { method: 'get', path: /\/releases\/?$/ },
      action: { status: 429, retryAfter: 7 },
      times: 1,
    });
    server.faults.add({
      match: { path: 'releases' },
      action: { status: 502, body: 'bad gateway' },
      times: 1,
    });
    server.faults.add({
      match: { path: 'releases' },
      action: { status: 500, body: { oops: true } },
      times: 1,
    });
    const throttled = await server.api('GET', 'releases/');
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('7');
    expect(throttled.json).toEqual({
      type: 'throttled_error',
      code: 'throttled',
      detail: 'Request was throttled. Expected available in 7 seconds.',
      attr: null,
    });
    const text = await server.api('GET', 'releases');
    expect([text.status, text.text]).toEqual([502, 'bad gateway']);
    const json = await server.api('POST', 'releases', { body: { project: 'p', version: '1' } });
    expect([json.status, json.json]).toEqual([500, { oops: true }]);
    expect((await server.api('GET', 'releases')).status).toBe(200);
  });

  test('a failure midway (finish) leaves the set pending; the retry finishes it', async () => {
    const server = await startTestServer();
    const bytes = fakeContainer('mid');
    const start = await server.api('POST', 'symbol_sets/bulk_start_upload', startBody('c1', sha512(bytes)));
    const entry = start.json.id_map.c1;
    expect((await uploadToPresigned(entry.presigned_url, bytes)).status).toBe(204);
    const rule = server.faults.add({
      match: { path: 'bulk_finish_upload' },
      action: { status: 500 },
      times: 1,
    });
    const finishBody = { body: { content_hashes: { [entry.symbol_set_id]: sha512(bytes) } } };
    expect((await server.api('POST', 'symbol_sets/bulk_finish_upload', finishBody)).status).toBe(500);
    expect(rule).toMatchObject({ remaining: 0, hits: 1 });
    expect(server.admin.symbolSetRows(1)[0]!.content_hash).toBeNull();
    expect((await server.api('POST', 'symbol_sets/bulk_finish_upload', finishBody)).status).toBe(201);
    expect(server.admin.symbolSetRows(1)[0]!.content_hash).toBe(sha512(bytes));
  });

  test('storage faults: rejection as S3 does it, dropped connections, delays', async () => {
    const server = await startTestServer();
    const start = await server.api('POST', 'symbol_sets/bulk_start_upload', startBody('c1'));
    const { presigned_url } = start.json.id_map.c1;
    server.faults.add({ match: { target: 'storage' }, action: { storageReject: 403 }, times: 1 });
    server.faults.add({ match: { target: 'storage' }, action: { drop: true }, times: 1 });
    server.faults.add({ match: { target: 'storage', method: 'POST' }, action: { delayMs: 150 }, times: 1 });

    const rejected = await uploadToPresigned(presigned_url, fakeContainer('a'));
    expect(rejected.status).toBe(403);
    expect(rejected.text).toContain('<Code>AccessDenied</Code>');
    await expect(uploadToPresigned(presigned_url, fakeContainer('a'))).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    const began = Date.now();
    const slow = await uploadToPresigned(presigned_url, fakeContainer('a'));
    expect(slow.status).toBe(204);
    expect(Date.now() - began).toBeGreaterThanOrEqual(140);
    // The API was never affected by the storage rules.
    expect(server.faults.list().map((s) => s.remaining)).toEqual([0, 0, 0]);
  });

  test('targets separate api, storage and events; clear() removes every rule', async () => {
    const server = await startTestServer();
    server.faults.add({ match: { target: 'events' }, action: { status: 503 }, times: 5 });
    server.faults.add({ match: { target: 'storage' }, action: { status: 500 }, times: 5 });
    const event = await http('POST', `${server.url}/e/`, {
      body: { api_key: server.projectToken, event: 'x' },
    });
    expect(event.status).toBe(503);
    const storage = await http('GET', `${server.url}/_storage/posthog/symbolsets/x`);
    expect(storage.status).toBe(500);
    expect(storage.text).toContain('<Code>InternalError</Code>');
    expect((await server.api('GET', 'releases')).status).toBe(200);
    server.faults.clear();
    expect(server.faults.list()).toEqual([]);
    expect((await http('GET', `${server.url}/_storage/posthog/symbolsets/x`)).status).toBe(403);
  });

  test('invalid rules are refused', async () => {
    const server = await startTestServer();
    const bad = [
      { match: {}, action: { status: 500 }, times: 0 },
      { match: {}, action: { status: 700 }, times: 1 },
      { match: {}, action: { explode: true }, times: 1 },
      { match: { target: 'db' }, action: { drop: true }, times: 1 },
      { match: {}, action: { delayMs: -1 }, times: 1 },
    ];
    for (const rule of bad) expect(() => server.faults.add(rule as never)).toThrow(/Invalid fault rule/);
  });
});
