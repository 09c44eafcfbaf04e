import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fakeContainer, sha512 } from './helpers/flow';
import {
  startTestServer,
  type TestServer,
  tempDataDir,
  testClock,
  uploadToPresigned,
} from './helpers/server';

interface Started {
  id: string;
  form: { url: string; fields: Record<string, string> };
}

async function start(server: TestServer, chunkId: string, bytes: Buffer, force = true): Promise<Started> {
  const response = await server.api('POST', 'symbol_sets/bulk_start_upload', {
    body: { symbol_sets: [{ chunk_id: chunkId, content_hash: sha512(bytes) }], force },
  });
  expect(response.status, response.text).toBe(201);
  const entry = response.json.id_map[chunkId];
  return { id: entry.symbol_set_id, form: entry.presigned_url };
}

async function upload(started: Started, bytes: Buffer): Promise<number> {
  return (await uploadToPresigned(started.form, bytes)).status;
}

async function finish(server: TestServer, started: Started, bytes: Buffer) {
  return server.api('POST', 'symbol_sets/bulk_finish_upload', {
    body: { content_hashes: { [started.id]: sha512(bytes) } },
  });
}

/** Every stored object (relative paths under blobs/). */
function storedObjects(server: TestServer): string[] {
  const root = join(server.dataDir, 'blobs');
  const found: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else found.push(`${prefix}${entry.name}`);
    }
  };
  walk(root, '');
  return found;
}

/** The one row for `chunkId`, and the bytes stored under its key. */
function stored(server: TestServer, chunkId: string) {
  const row = server.admin.symbolSetRows(server.projectId).find((r) => r.ref === chunkId)!;
  return { row, bytes: row.storage_ptr ? readFileSync(server.admin.blobPath(row.storage_ptr)) : undefined };
}

async function needed(server: TestServer, chunkId: string, bytes: Buffer): Promise<string[]> {
  const response = await server.api('POST', 'symbol_sets/bulk_check_upload', {
    body: { symbol_sets: [{ chunk_id: chunkId, content_hash: sha512(bytes) }] },
  });
  return response.json.chunk_ids_to_upload;
}

describe('each start finishes only what its own upload wrote', () => {
  test('A start, B start, B upload + finish, A upload + finish: A is stored, with A’s hash', async () => {
    const server = await startTestServer();
    const [a, b] = [fakeContainer('A', 300), fakeContainer('B', 500)];
    const startA = await start(server, 'chunk', a);
    const startB = await start(server, 'chunk', b);
    expect(await upload(startB, b)).toBe(204);
    expect((await finish(server, startB, b)).status).toBe(201);
    expect(await upload(startA, a)).toBe(204);
    expect((await finish(server, startA, a)).status).toBe(201);

    const { row, bytes } = stored(server, 'chunk');
    expect(bytes).toEqual(a);
    expect(row.content_hash).toBe(sha512(a));
    expect(await needed(server, 'chunk', a)).toEqual([]);
    expect(storedObjects(server)).toEqual([row.storage_ptr]);
  });

  test('A uploads before B starts, finishes after B uploaded: still A’s own object', async () => {
    const server = await startTestServer();
    const [a, b] = [fakeContainer('A', 300), fakeContainer('B', 500)];
    const startA = await start(server, 'chunk', a);
    expect(await upload(startA, a)).toBe(204);
    const startB = await start(server, 'chunk', b);
    expect(await upload(startB, b)).toBe(204);
    expect((await finish(server, startA, a)).status).toBe(201);
    expect(stored(server, 'chunk').bytes).toEqual(a);
    expect((await finish(server, startB, b)).status).toBe(201);

    const { row, bytes } = stored(server, 'chunk');
    expect(bytes).toEqual(b);
    expect(row.content_hash).toBe(sha512(b));
    expect(storedObjects(server)).toEqual([row.storage_ptr]);
  });

  test('50 concurrent uploads of the same chunk: all succeed and one object is left', async () => {
    const server = await startTestServer();
    const same = fakeContainer('same', 2000);
    const failures = await concurrentUploads(server, 50, () => same);
    expect(failures).toEqual([]);
    const { row, bytes } = stored(server, 'hot');
    expect(bytes).toEqual(same);
    expect(row.content_hash).toBe(sha512(same));
    expect(storedObjects(server)).toEqual([row.storage_ptr]);
  });

  test('40 concurrent uploads, half of one content and half of their own: all succeed', async () => {
    const server = await startTestServer();
    const failures = await concurrentUploads(server, 40, mixed(fakeContainer('same', 2000)));
    expect(failures).toEqual([]);
    const { row, bytes } = stored(server, 'hot');
    expect(row.content_hash).toBe(sha512(bytes!));
    expect(storedObjects(server)).toEqual([row.storage_ptr]);
  });

  test('20 concurrent uploads of different content (force): the last finish wins, consistently', async () => {
    const server = await startTestServer();
    const failures = await concurrentUploads(server, 20, (i) => fakeContainer(`own-${i}`, 2000 + i));
    expect(failures).toEqual([]);
    const { row, bytes } = stored(server, 'hot');
    expect(row.content_hash).toBe(sha512(bytes!));
    expect(storedObjects(server)).toEqual([row.storage_ptr]);
  });
});

/** Half the clients upload one content, half their own. */
const mixed = (same: Buffer) => (i: number) => (i % 2 === 0 ? same : fakeContainer(`own-${i}`, 2000 + i));

/** `count` clients each start, upload and finish chunk `hot`; returns the ones that did not succeed. */
async function concurrentUploads(server: TestServer, count: number, bytesOf: (i: number) => Buffer) {
  const results = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const bytes = bytesOf(i);
      const started = await start(server, 'hot', bytes);
      const uploaded = await upload(started, bytes);
      const finished = await finish(server, started, bytes);
      return { i, uploaded, finished: finished.status, body: finished.text };
    }),
  );
  return results.filter((r) => r.uploaded !== 204 || r.finished !== 201);
}

describe('a replayed form never changes a finished set', () => {
  test('after finish it is refused (403) and the stored object stays', async () => {
    const server = await startTestServer();
    const a = fakeContainer('A');
    const started = await start(server, 'chunk', a);
    expect(await upload(started, a)).toBe(204);
    expect((await finish(server, started, a)).status).toBe(201);
    const replay = await uploadToPresigned(started.form, fakeContainer('evil'));
    expect(replay.status).toBe(403);
    expect(replay.text).toContain('<Code>AccessDenied</Code>');
    expect(replay.text).toContain('start a new upload');
    expect(stored(server, 'chunk').bytes).toEqual(a);
    expect(storedObjects(server)).toHaveLength(1);
  });

  test('after DELETE it is refused and nothing is re-created', async () => {
    const server = await startTestServer();
    const a = fakeContainer('A');
    const started = await start(server, 'chunk', a);
    expect(await upload(started, a)).toBe(204);
    expect((await finish(server, started, a)).status).toBe(201);
    expect((await server.api('DELETE', `symbol_sets/${started.id}`)).status).toBe(204);
    expect((await uploadToPresigned(started.form, a)).status).toBe(403);
    // Also for a set deleted while its upload was still pending.
    const pending = await start(server, 'other', a);
    expect((await server.api('DELETE', `symbol_sets/${pending.id}`)).status).toBe(204);
    expect((await uploadToPresigned(pending.form, a)).status).toBe(403);
    expect(storedObjects(server)).toEqual([]);
  });

  test('two starts of the same content both finish; one object is kept', async () => {
    const server = await startTestServer();
    const a = fakeContainer('A');
    const first = await start(server, 'chunk', a);
    const second = await start(server, 'chunk', a);
    expect(await upload(first, a)).toBe(204);
    expect((await finish(server, first, a)).status).toBe(201);
    expect(await upload(second, a)).toBe(204);
    expect((await finish(server, second, a)).status).toBe(201);
    expect(stored(server, 'chunk').bytes).toEqual(a);
    expect(storedObjects(server)).toHaveLength(1);
  });
});

describe('orphans are deleted', () => {
  test('an upload never finished is removed after its finish window, and its form is closed', async () => {
    const clock = testClock();
    const server = await startTestServer({ clock });
    const a = fakeContainer('A');
    const started = await start(server, 'chunk', a);
    expect(await upload(started, a)).toBe(204);
    expect(storedObjects(server)).toHaveLength(1);
    clock.advance((300 + 3600 + 1) * 1000);
    await start(server, 'another', fakeContainer('B')); // any start sweeps
    expect(storedObjects(server)).toEqual([]);
    expect((await finish(server, started, a)).json.code).toBe('file_not_found');
  });

  test('objects no row or upload refers to are deleted on start', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir });
    const a = fakeContainer('A');
    const started = await start(first, 'chunk', a);
    expect(await upload(started, a)).toBe(204);
    expect((await finish(first, started, a)).status).toBe(201);
    await first.close();
    mkdirSync(join(dataDir, 'blobs', 'symbolsets'), { recursive: true });
    writeFileSync(join(dataDir, 'blobs', 'symbolsets', 'left-behind'), 'x');
    const second = await startTestServer({ dataDir });
    expect(storedObjects(second)).toEqual([stored(second, 'chunk').row.storage_ptr]);
    expect(stored(second, 'chunk').bytes).toEqual(a);
  });
});
