import { describe, expect, test } from 'vitest';
import { createRelease, sha512 } from './helpers/flow';
import { http } from './helpers/http';
import { NOT_FOUND, startTestServer, validation } from './helpers/server';

const HASH = sha512('my-app1.0.0');

describe('releases', () => {
  test('create returns the release JSON, and it can be fetched by id and by hash', async () => {
    const server = await startTestServer();
    const metadata = { git: { repo_name: 'my-app', branch: 'main', commit_id: 'abc123' } };
    const created = await server.api('POST', 'releases', {
      body: { project: 'my-app', version: '1.0.0', hash_id: HASH, metadata },
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.json)).toEqual([
      'id',
      'hash_id',
      'team_id',
      'created_at',
      'metadata',
      'version',
      'project',
    ]);
    expect(created.json).toMatchObject({
      hash_id: HASH,
      team_id: 1,
      metadata,
      version: '1.0.0',
      project: 'my-app',
    });
    expect(created.json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);

    const byId = await server.api('GET', `releases/${created.json.id}/`);
    expect(byId.status).toBe(200);
    expect(byId.json).toEqual(created.json);
    const byHash = await server.api('GET', `releases/hash/${HASH}`);
    expect(byHash.status).toBe(200);
    expect(byHash.json).toEqual(created.json);
  });

  test('without hash_id the release uses its own id as hash', async () => {
    const server = await startTestServer();
    const release = await createRelease(server, { project: 'p', version: 'v' });
    expect(release.hash_id).toBe(release.id);
  });

  test('unknown hash and unknown id answer 404 not_found', async () => {
    const server = await startTestServer();
    for (const path of [
      `releases/hash/${HASH}`,
      'releases/0190a0a0-0000-7000-8000-000000000000',
      'releases/not-a-uuid',
    ]) {
      const response = await server.api('GET', path);
      expect(response.status, path).toBe(404);
      expect(response.json).toEqual(NOT_FOUND);
    }
    // The hash route only takes `[^/.]+`: a dotted hash never matches any route.
    const dotted = await server.api('GET', 'releases/hash/a.b');
    expect(dotted.status).toBe(404);
  });

  test.each([
    [{ project: 'p' }, 'Version is required'],
    [{ project: 'p', version: '' }, 'Version is required'],
    [{ version: '1' }, 'Project is required'],
    [{ version: '1', project: 'p', hash_id: 'x'.repeat(129) }, 'Hash id length cannot exceed 128 bytes'],
    [{ version: 0, project: 'p' }, 'Version is required'],
    [{ version: '1', project: [] }, 'Project is required'],
  ])('create rejects %j: %s', async (body, detail) => {
    const server = await startTestServer();
    const response = await server.api('POST', 'releases', { body });
    expect(response.status).toBe(400);
    expect(response.json).toEqual(validation('invalid_input', detail));
    const list = await server.api('GET', 'releases');
    expect(list.json.count).toBe(0);
  });

  test.each([
    [
      { version: 1, project: 'p' },
      { version: '1', project: 'p' },
    ],
    [
      { version: 1.5, project: true },
      { version: '1.5', project: 'True' },
    ],
    [
      { version: ['a', 1], project: { n: null } },
      { version: "['a', 1]", project: "{'n': None}" },
    ],
    [{ version: '2', project: 'p', metadata: [1, 'x'] }, { metadata: [1, 'x'] }],
    [{ version: '2', project: 'p', metadata: 'notes' }, { metadata: 'notes' }],
    [{ version: '2', project: 'p', metadata: 7 }, { metadata: 7 }],
    [{ version: '2', project: 'p', hash_id: 12345 }, { hash_id: '12345' }],
  ])('create is as lenient as the Django view: %j', async (body, expected) => {
    const server = await startTestServer();
    const response = await server.api('POST', 'releases', { body });
    expect(response.status, response.text).toBe(201);
    expect(response.json).toMatchObject(expected);
    const stored = await server.api('GET', `releases/${response.json.id}`);
    expect(stored.json).toMatchObject(expected);
  });

  test('a 128-character hash is accepted; a taken hash is release_hash_in_use', async () => {
    const server = await startTestServer();
    await createRelease(server, { project: 'p', version: '1', hash_id: HASH });
    const again = await server.api('POST', 'releases', {
      body: { project: 'q', version: '2', hash_id: HASH },
    });
    expect(again.status).toBe(400);
    expect(again.json).toEqual(validation('release_hash_in_use', `Hash id ${HASH} already in use`));
    expect(again.text).toContain('already in use'); // what PostHog's CLI looks for
  });

  test('the same hash may exist in two projects', async () => {
    const server = await startTestServer();
    const other = server.admin.createProject();
    const key = server.admin.createApiKey({ projectIds: null }).key;
    await createRelease(server, { project: 'p', version: '1', hash_id: HASH }, { key });
    await createRelease(server, { project: 'p', version: '1', hash_id: HASH }, { key, projectId: other.id });
  });

  test('PUT and PATCH change only truthy fields and answer 204; hash clashes are refused', async () => {
    const server = await startTestServer();
    const release = await createRelease(server, { project: 'p', version: '1', metadata: { a: 1 } });
    const taken = await createRelease(server, { project: 'p', version: '2', hash_id: 'taken' });
    const patch = await server.api('PATCH', `releases/${release.id}`, {
      body: { version: '1.1', project: '' },
    });
    expect(patch.status).toBe(204);
    expect(patch.text).toBe('');
    const put = await server.api('PUT', `releases/${release.id}/`, {
      body: { metadata: { b: 2 }, hash_id: 'new-hash' },
    });
    expect(put.status).toBe(204);
    const after = await server.api('GET', `releases/${release.id}`);
    expect(after.json).toMatchObject({
      version: '1.1',
      project: 'p',
      metadata: { b: 2 },
      hash_id: 'new-hash',
    });

    const clash = await server.api('PATCH', `releases/${release.id}`, { body: { hash_id: taken.hash_id } });
    expect(clash.status).toBe(400);
    expect(clash.json.code).toBe('release_hash_in_use');
    const tooLong = await server.api('PATCH', `releases/${release.id}`, {
      body: { hash_id: 'h'.repeat(129) },
    });
    expect(tooLong.status).toBe(400);
    const missing = await server.api('PUT', 'releases/0190a0a0-0000-7000-8000-000000000000', {
      body: { version: '3' },
    });
    expect(missing.status).toBe(404);
    expect((await server.api('GET', `releases/${release.id}`)).json.hash_id).toBe('new-hash');
  });

  test('DELETE answers 204 and unbinds its symbol sets; a second delete is 404', async () => {
    const server = await startTestServer();
    const release = await createRelease(server);
    const start = await server.api('POST', 'symbol_sets/bulk_start_upload', {
      body: { symbol_sets: [{ chunk_id: 'c1', release_id: release.id, content_hash: 'h' }] },
    });
    expect(start.status).toBe(201);
    const deleted = await server.api('DELETE', `releases/${release.id}/`);
    expect(deleted.status).toBe(204);
    expect((await server.api('DELETE', `releases/${release.id}/`)).status).toBe(404);
    expect(server.admin.symbolSetRows(1)[0]!.release_id).toBeNull();
  });

  test('list is newest first with absolute next/previous links across pages', async () => {
    const server = await startTestServer();
    const made: string[] = [];
    for (let i = 0; i < 5; i++)
      made.push((await createRelease(server, { project: 'p', version: `v${i}` })).id);
    const newestFirst = [...made].reverse();

    const first = await server.api('GET', 'releases/?limit=2');
    expect(first.status).toBe(200);
    expect(first.json.count).toBe(5);
    expect(first.json.results.map((r: { id: string }) => r.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.json.previous).toBeNull();
    const base = `${server.url}/api/projects/1/error_tracking/releases/`;
    expect(first.json.next).toBe(`${base}?limit=2&offset=2`);

    const second = await http('GET', first.json.next, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    expect(second.json.results.map((r: { id: string }) => r.id)).toEqual(newestFirst.slice(2, 4));
    expect(second.json.previous).toBe(`${base}?limit=2`);
    expect(second.json.next).toBe(`${base}?limit=2&offset=4`);

    const last = await http('GET', second.json.next, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    expect(last.json.results.map((r: { id: string }) => r.id)).toEqual(newestFirst.slice(4));
    expect(last.json.next).toBeNull();
    expect(last.json.previous).toBe(`${base}?limit=2&offset=2`);

    // Releases have no maximum page size; the default page is 100.
    const all = await server.api('GET', 'releases?limit=1000');
    expect(all.json.results).toHaveLength(5);
    expect(all.json.next).toBeNull();
  });
});
