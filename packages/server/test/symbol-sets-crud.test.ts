import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../src/db/open';
import { createRelease, fakeContainer, uploadSymbolSet } from './helpers/flow';
import { http } from './helpers/http';
import { NOT_FOUND, startTestServer, type TestServer, validation } from './helpers/server';

async function startPending(server: TestServer, chunkIds: string[], releaseId: string | null = null) {
  const response = await server.api('POST', 'symbol_sets/bulk_start_upload', {
    body: {
      symbol_sets: chunkIds.map((chunk_id) => ({ chunk_id, release_id: releaseId, content_hash: 'h' })),
    },
  });
  expect(response.status).toBe(201);
  return response.json.id_map as Record<string, { symbol_set_id: string }>;
}

const refs = (response: { json: { results: { ref: string }[] } }) => response.json.results.map((r) => r.ref);

describe('symbol set reads', () => {
  test('retrieve returns the newest JSON shape with the release embedded', async () => {
    const server = await startTestServer();
    const release = await createRelease(server);
    const id = await uploadSymbolSet(server, 'c1', fakeContainer('a'), { releaseId: release.id });
    const response = await server.api('GET', `symbol_sets/${id}/`);
    expect(response.status).toBe(200);
    expect(Object.keys(response.json)).toEqual([
      'id',
      'ref',
      'team_id',
      'created_at',
      'last_used',
      'failure_reason',
      'has_uploaded_file',
      'release',
    ]);
    expect(response.json).toMatchObject({
      id,
      ref: 'c1',
      team_id: 1,
      failure_reason: null,
      has_uploaded_file: true,
    });
    expect(response.json.release).toEqual((await server.api('GET', `releases/${release.id}`)).json);
    expect(response.text).not.toContain('storage_ptr');
    expect(response.text).not.toContain('content_hash');
    for (const bad of ['0190a0a0-0000-7000-8000-000000000000', 'nope']) {
      const missing = await server.api('GET', `symbol_sets/${bad}`);
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual(NOT_FOUND);
    }
  });

  test('list pages newest first with absolute links, capped at 100 per page', async () => {
    const server = await startTestServer();
    const ids = await startPending(server, ['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(Object.keys(ids)).toHaveLength(5);
    const first = await server.api('GET', 'symbol_sets/?limit=2');
    expect(first.json).toMatchObject({ count: 5, previous: null });
    expect(refs(first)).toEqual(['c4', 'c3']);
    const base = `${server.url}/api/projects/1/error_tracking/symbol_sets/`;
    expect(first.json.next).toBe(`${base}?limit=2&offset=2`);
    const auth = { headers: { authorization: `Bearer ${server.apiKey}` } };
    const second = await http('GET', first.json.next, auth);
    expect(refs(second)).toEqual(['c2', 'c1']);
    const third = await http('GET', second.json.next, auth);
    expect(refs(third)).toEqual(['c0']);
    expect(third.json.next).toBeNull();
    expect(third.json.previous).toBe(`${base}?limit=2&offset=2`);

    const capped = await server.api('GET', 'symbol_sets?limit=500&ref=c1&offset=0');
    expect(capped.json.results).toHaveLength(1);
    // Other parameters stay in the links, sorted as DRF re-encodes them.
    const filtered = await server.api('GET', 'symbol_sets?search=c&limit=1&offset=1');
    expect(filtered.json.next).toBe(`${base.slice(0, -1)}?limit=1&offset=2&search=c`);
    expect(filtered.json.previous).toBe(`${base.slice(0, -1)}?limit=1&search=c`);
  });

  test('more than 100 sets: the page size is capped at 100', async () => {
    const server = await startTestServer();
    await startPending(
      server,
      Array.from({ length: 105 }, (_, i) => `c${String(i).padStart(3, '0')}`),
    );
    const page = await server.api('GET', 'symbol_sets?limit=1000');
    expect(page.json.results).toHaveLength(100);
    expect(page.json.count).toBe(105);
    expect(page.json.next).toContain('limit=100&offset=100');
    const defaults = await server.api('GET', 'symbol_sets?limit=0&offset=-3');
    expect(defaults.json.results).toHaveLength(100);
    expect(defaults.json.previous).toBeNull();
  });

  test('include_count=false gives count null and still finds the next page', async () => {
    const server = await startTestServer();
    await startPending(server, ['a', 'b', 'c']);
    const first = await server.api('GET', 'symbol_sets?include_count=false&limit=2');
    expect(first.json.count).toBeNull();
    expect(refs(first)).toEqual(['c', 'b']);
    expect(first.json.next).toContain('offset=2');
    const last = await server.api('GET', 'symbol_sets?include_count=false&limit=2&offset=2');
    expect(refs(last)).toEqual(['a']);
    expect(last.json.next).toBeNull();
  });

  test('filters: ref, search (ref, release version/project, commit), status; order_by', async () => {
    const server = await startTestServer();
    const release = await createRelease(server, {
      project: 'Shop-Front',
      version: '2.0.0',
      metadata: { git: { commit_id: 'deadbeefcafe' } },
    });
    await uploadSymbolSet(server, 'alpha', fakeContainer('a'), { releaseId: release.id });
    await uploadSymbolSet(server, 'beta', fakeContainer('b'));
    await startPending(server, ['gamma_1']);
    await server.api('POST', 'symbol_sets/start_upload?chunk_id=delta');

    expect(refs(await server.api('GET', 'symbol_sets?ref=beta'))).toEqual(['beta']);
    expect(refs(await server.api('GET', 'symbol_sets?ref=bet'))).toEqual([]);
    expect(refs(await server.api('GET', 'symbol_sets?search=ALP'))).toEqual(['alpha']);
    expect(refs(await server.api('GET', 'symbol_sets?search=shop-front'))).toEqual(['alpha']);
    expect(refs(await server.api('GET', 'symbol_sets?search=2.0'))).toEqual(['alpha']);
    expect(refs(await server.api('GET', 'symbol_sets?search=beefca'))).toEqual(['alpha']);
    // LIKE wildcards in the search are literal.
    expect(refs(await server.api('GET', 'symbol_sets?search=a_1'))).toEqual(['gamma_1']);
    expect(refs(await server.api('GET', 'symbol_sets?search=%25'))).toEqual([]);
    expect(refs(await server.api('GET', 'symbol_sets?status=valid&order_by=ref'))).toEqual([
      'alpha',
      'beta',
      'delta',
      'gamma_1',
    ]);
    expect(refs(await server.api('GET', 'symbol_sets?status=invalid'))).toEqual([]);
    expect(refs(await server.api('GET', 'symbol_sets?order_by=-ref'))).toEqual([
      'gamma_1',
      'delta',
      'beta',
      'alpha',
    ]);
    expect(refs(await server.api('GET', 'symbol_sets?order_by=created_at'))).toEqual([
      'alpha',
      'beta',
      'gamma_1',
      'delta',
    ]);
    // last_used: NULLs last ascending, first descending (as Postgres orders them).
    const byUse = refs(await server.api('GET', 'symbol_sets?order_by=-last_used'));
    expect(byUse[0]).toBe('delta');

    const badOrder = await server.api('GET', 'symbol_sets?order_by=size');
    expect(badOrder.status).toBe(400);
    expect(badOrder.json).toEqual(validation('invalid_choice', '"size" is not a valid choice.', 'order_by'));
    // Present but empty, as DRF sees query parameters: not a choice, not a filter.
    const emptyOrder = await server.api('GET', 'symbol_sets?order_by=');
    expect(emptyOrder.json).toEqual(validation('invalid_choice', '"" is not a valid choice.', 'order_by'));
    const blankRef = await server.api('GET', 'symbol_sets?ref=');
    expect(blankRef.json).toEqual(validation('blank', 'This field may not be blank.', 'ref'));
    const badStatus = await server.api('GET', 'symbol_sets?status=weird');
    expect(badStatus.status).toBe(400);
    expect(badStatus.json).toEqual(validation('invalid_choice', '"weird" is not a valid choice.', 'status'));
  });

  test('download hands out a presigned GET that serves the stored bytes', async () => {
    const server = await startTestServer();
    const bytes = fakeContainer('download', 1000);
    const id = await uploadSymbolSet(server, 'c1', bytes);
    const response = await server.api('GET', `symbol_sets/${id}/download/`);
    expect(response.status).toBe(200);
    expect(response.json.url).toMatch(
      new RegExp(`^${server.url}/_storage/posthog/symbolsets/.+X-Amz-Expires=3600`),
    );
    const file = await http('GET', response.json.url);
    expect(file.status).toBe(200);
    expect(file.body).toEqual(bytes);
    const head = await http('HEAD', response.json.url);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(bytes.length));
  });
});

describe('symbol set writes', () => {
  test('PUT and PATCH ignore the body and return the row unchanged', async () => {
    const server = await startTestServer();
    const id = await uploadSymbolSet(server, 'c1', fakeContainer('a'));
    const before = (await server.api('GET', `symbol_sets/${id}`)).json;
    for (const method of ['PUT', 'PATCH']) {
      const response = await server.api(method, `symbol_sets/${id}/`, {
        body: { ref: 'renamed', storage_ptr: 'x' },
      });
      expect(response.status).toBe(200);
      expect(response.json).toEqual(before);
    }
    expect((await server.api('PATCH', 'symbol_sets/0190a0a0-0000-7000-8000-000000000000')).status).toBe(404);
  });

  test('DELETE removes the row and its object', async () => {
    const server = await startTestServer();
    const id = await uploadSymbolSet(server, 'c1', fakeContainer('a'));
    const path = server.admin.blobPath(server.admin.symbolSetRows(1)[0]!.storage_ptr!);
    expect(existsSync(path)).toBe(true);
    expect((await server.api('DELETE', `symbol_sets/${id}`)).status).toBe(204);
    expect(existsSync(path)).toBe(false);
    expect((await server.api('DELETE', `symbol_sets/${id}`)).status).toBe(404);
    expect((await server.api('GET', `symbol_sets/${id}`)).status).toBe(404);
  });

  test("bulk_delete deletes this project's ids and ignores the rest", async () => {
    const server = await startTestServer();
    const other = server.admin.createProject();
    const key = server.admin.createApiKey().key;
    const mine = await startPending(server, ['a', 'b', 'c']);
    const foreign = await uploadSymbolSet(server, 'a', fakeContainer('f'), { projectId: other.id, key });
    const response = await server.api('POST', 'symbol_sets/bulk_delete', {
      body: { ids: [mine.a!.symbol_set_id, mine.b!.symbol_set_id, foreign, 'not-a-uuid', 7] },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ deleted: 2 });
    expect(server.admin.symbolSetRows(1).map((r) => r.ref)).toEqual(['c']);
    expect(server.admin.symbolSetRows(other.id)).toHaveLength(1);

    for (const [body, detail] of [
      [{}, 'ids is required'],
      [{ ids: [] }, 'ids is required'],
      [{ ids: null }, 'ids is required'],
      [{ ids: 'abc' }, 'ids must be a list'],
      [{ ids: { a: 1 } }, 'ids must be a list'],
    ] as const) {
      const bad = await server.api('POST', 'symbol_sets/bulk_delete/', { body });
      expect(bad.status).toBe(400);
      expect(bad.json).toEqual({ detail });
    }
  });

  test('download of a set without a file is a bare 404', async () => {
    const first = await startTestServer();
    const id = await uploadSymbolSet(first, 'c1', fakeContainer('a'));
    // Drop the pointer, as cymbal does when it could not fetch symbols (the server has the database
    // while it runs, so stop it first).
    await first.close();
    const db = await openDatabase(first.dataDir);
    db.prepare('UPDATE symbol_sets SET storage_ptr = NULL').run();
    db.close();
    const server = await startTestServer({ dataDir: first.dataDir });
    const response = await server.api('GET', `symbol_sets/${id}/download`);
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ detail: 'Symbol set has no uploaded file.' });
    expect((await server.api('GET', `symbol_sets/${id}`)).json.has_uploaded_file).toBe(false);
    expect(refs(await server.api('GET', 'symbol_sets?status=invalid'))).toEqual(['c1']);
  });
});
