import { describe, expect, test } from 'vitest';
import { createRelease, fakeContainer, uploadSymbolSet } from './helpers/flow';
import { http } from './helpers/http';
import { NOT_FOUND, startTestServer } from './helpers/server';

const authError = (code: string, detail: string) => ({
  type: 'authentication_error',
  code,
  detail,
  attr: null,
});

describe('authentication and scopes', () => {
  test('no key, an unknown key or a project token is 401', async () => {
    const server = await startTestServer();
    const none = await http('GET', `${server.url}/api/projects/1/error_tracking/symbol_sets`);
    expect(none.status).toBe(401);
    expect(none.json).toEqual(
      authError('not_authenticated', 'Authentication credentials were not provided.'),
    );
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    for (const key of ['phx_unknown', server.projectToken]) {
      const response = await server.api('GET', 'symbol_sets', { key });
      expect(response.status).toBe(401);
      expect(response.json).toEqual(
        authError(
          'authentication_failed',
          'Personal API key found in request Authorization header is invalid.',
        ),
      );
    }
    const basic = await http('GET', `${server.url}/api/projects/1/error_tracking/releases`, {
      headers: { authorization: `Basic ${server.apiKey}` },
    });
    expect(basic.status).toBe(401);
  });

  test('a read-only key reads but cannot write; write implies read', async () => {
    const server = await startTestServer();
    const reader = server.admin.createApiKey({ scopes: ['error_tracking:read'] }).key;
    const writer = server.admin.createApiKey({ scopes: ['error_tracking:write'] }).key;
    const other = server.admin.createApiKey({ scopes: ['feature_flag:write'] }).key;
    const id = await uploadSymbolSet(server, 'c1', fakeContainer('a'));
    const release = await createRelease(server);

    const reads = [
      'symbol_sets',
      `symbol_sets/${id}`,
      `symbol_sets/${id}/download`,
      'releases',
      `releases/${release.id}`,
      `releases/hash/${release.hash_id}`,
    ];
    for (const path of reads) {
      expect((await server.api('GET', path, { key: reader })).status, path).toBe(200);
      expect((await server.api('GET', path, { key: writer })).status, path).toBe(200);
      const denied = await server.api('GET', path, { key: other });
      expect(denied.status, path).toBe(403);
      expect(denied.json).toEqual(
        authError('permission_denied', "API key missing required scope 'error_tracking:read'"),
      );
    }
    const writes: [string, string, unknown][] = [
      ['POST', 'symbol_sets/bulk_check_upload', { symbol_sets: [] }],
      ['POST', 'symbol_sets/bulk_start_upload', { symbol_sets: [] }],
      ['POST', 'symbol_sets/bulk_finish_upload', {}],
      ['POST', 'symbol_sets/start_upload?chunk_id=x', undefined],
      ['PUT', `symbol_sets/${id}/finish_upload`, { content_hash: 'h' }],
      ['POST', 'symbol_sets/bulk_delete', { ids: [id] }],
      ['PATCH', `symbol_sets/${id}`, {}],
      ['DELETE', `symbol_sets/${id}`, undefined],
      ['POST', 'releases', { project: 'p', version: '2' }],
      ['PATCH', `releases/${release.id}`, { version: '3' }],
      ['DELETE', `releases/${release.id}`, undefined],
    ];
    for (const [method, path, body] of writes) {
      const denied = await server.api(method, path, { key: reader, body });
      expect(denied.status, `${method} ${path}`).toBe(403);
      expect(denied.json).toEqual(
        authError('permission_denied', "API key missing required scope 'error_tracking:write'"),
      );
    }
    expect(server.admin.symbolSetRows(1)).toHaveLength(1);
    expect((await server.api('DELETE', `symbol_sets/${id}`, { key: writer })).status).toBe(204);
  });

  test('a revoked key stops working', async () => {
    const server = await startTestServer();
    const { id, key } = server.admin.createApiKey();
    expect((await server.api('GET', 'releases', { key })).status).toBe(200);
    expect(server.admin.revokeApiKey(id)).toBe(true);
    expect((await server.api('GET', 'releases', { key })).status).toBe(401);
  });
});

describe('projects', () => {
  test('a key limited to other projects is 403; an unknown project is 404', async () => {
    const server = await startTestServer();
    const second = server.admin.createProject({ name: 'second' });
    expect(second.id).toBe(2);
    expect(second.token).toMatch(/^phc_/);
    // The default key only has project 1.
    const denied = await server.api('GET', 'symbol_sets', { projectId: second.id });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual(
      authError('permission_denied', 'API key does not have access to the requested project: ID 2.'),
    );
    const everywhere = server.admin.createApiKey({ projectIds: null }).key;
    expect((await server.api('GET', 'symbol_sets', { key: everywhere, projectId: 2 })).status).toBe(200);
    const missing = await server.api('GET', 'symbol_sets', { key: everywhere, projectId: 99 });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual(NOT_FOUND);
  });

  test('projects are isolated: the same chunk id and hash live apart, ids do not cross', async () => {
    const server = await startTestServer();
    const second = server.admin.createProject();
    const key = server.admin.createApiKey({ projectIds: [1, second.id] }).key;
    const one = await uploadSymbolSet(server, 'shared', fakeContainer('one'), { key });
    const two = await uploadSymbolSet(server, 'shared', fakeContainer('two'), { key, projectId: second.id });
    expect(one).not.toBe(two);
    const r1 = await createRelease(server, { project: 'p', version: '1', hash_id: 'same' }, { key });

    expect((await server.api('GET', `symbol_sets/${two}`, { key })).status).toBe(404);
    expect((await server.api('DELETE', `symbol_sets/${two}`, { key })).status).toBe(404);
    expect((await server.api('GET', `symbol_sets/${two}/download`, { key })).status).toBe(404);
    expect((await server.api('GET', `releases/${r1.id}`, { key, projectId: second.id })).status).toBe(404);
    expect((await server.api('GET', 'releases/hash/same', { key, projectId: second.id })).status).toBe(404);
    // A release of project 1 is unknown to project 2's uploads.
    const crossBind = await server.api('POST', 'symbol_sets/bulk_start_upload', {
      key,
      projectId: second.id,
      body: { symbol_sets: [{ chunk_id: 'x', release_id: r1.id, content_hash: 'h' }] },
    });
    expect(crossBind.status).toBe(400);
    expect(crossBind.json.detail).toBe(`Unknown release ID provided: ${r1.id}`);
    const list = await server.api('GET', 'symbol_sets', { key, projectId: second.id });
    expect(list.json.results.map((r: { id: string }) => r.id)).toEqual([two]);
    expect(list.json.results[0].team_id).toBe(second.id);
  });

  test('the environments prefix reaches the same data', async () => {
    const server = await startTestServer();
    const id = await uploadSymbolSet(server, 'c1', fakeContainer('a'));
    const response = await http('GET', `${server.url}/api/environments/1/error_tracking/symbol_sets/${id}`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.json.id).toBe(id);
  });
});

describe('where the key may be (posthog/auth.py find_key_with_source)', () => {
  const url = (server: { url: string }, path: string) =>
    `${server.url}/api/projects/1/error_tracking/${path}`;

  test('personal_api_key in the query string', async () => {
    const server = await startTestServer();
    const ok = await http('GET', url(server, `releases?personal_api_key=${server.apiKey}`));
    expect(ok.status, ok.text).toBe(200);
    const bad = await http('GET', url(server, 'releases?personal_api_key=phx_nope'));
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual(
      authError('authentication_failed', 'Personal API key found in request query string is invalid.'),
    );
  });

  test('personal_api_key in a JSON body, which the view then reads as usual', async () => {
    const server = await startTestServer();
    const created = await http('POST', url(server, 'releases'), {
      body: { personal_api_key: server.apiKey, project: 'p', version: '1' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ project: 'p', version: '1' });
    const bad = await http('POST', url(server, 'releases'), {
      body: { personal_api_key: 42, project: 'p', version: '2' },
    });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual(
      authError('authentication_failed', 'Personal API key found in request body is invalid.'),
    );
  });

  test('the body wins over the query string, and only the first candidate is tried', async () => {
    const server = await startTestServer();
    const response = await http('POST', url(server, `releases?personal_api_key=${server.apiKey}`), {
      body: { personal_api_key: 'phx_wrong', project: 'p', version: '1' },
    });
    expect(response.status).toBe(401);
    expect(response.json.detail).toBe('Personal API key found in request body is invalid.');
  });

  test('the Bearer prefix is case-sensitive: "bearer" is no credential at all', async () => {
    const server = await startTestServer();
    for (const scheme of ['bearer', 'BEARER']) {
      const response = await http('GET', url(server, 'releases'), {
        headers: { authorization: `${scheme} ${server.apiKey}` },
      });
      expect(response.status, scheme).toBe(401);
      expect(response.json).toEqual(
        authError('not_authenticated', 'Authentication credentials were not provided.'),
      );
    }
    // A header of another form leaves the query string its turn.
    const fallback = await http('GET', url(server, `releases?personal_api_key=${server.apiKey}`), {
      headers: { authorization: `bearer ${server.apiKey}` },
    });
    expect(fallback.status).toBe(200);
  });

  test("the hogmaps read API takes the query string's key too", async () => {
    const server = await startTestServer();
    const response = await http(
      'GET',
      `${server.url}/api/projects/1/hogmaps/exceptions/?personal_api_key=${server.apiKey}`,
    );
    expect(response.status, response.text).toBe(200);
  });
});
