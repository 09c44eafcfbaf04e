import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostHogClient, type PostHogClient } from '../../src/api/client';
import { HOGMAPS_VERSION } from '../../src/api/user-agent';
import { decodeSymbolSet } from '../../src/container/decode';
import { encodeSymbolSet } from '../../src/container/encode';
import { ApiError, OptionsError } from '../../src/errors';
import { type FakePostHog, startFakePostHog } from './fake-posthog';

let server: FakePostHog;
let client: PostHogClient;

beforeEach(async () => {
  server = await startFakePostHog();
  client = createPostHogClient({
    host: server.url,
    projectId: server.projectId,
    apiKey: server.apiKey,
    retryBaseDelayMs: 1,
    userAgent: '@hogmaps/test/9.9.9',
    headers: { 'X-Origin': 'tests', Authorization: 'Bearer stolen' },
  });
});

afterEach(async () => {
  await client.close();
  await server.close();
});

const container = (text: string) =>
  encodeSymbolSet({ minified: `console.log(${JSON.stringify(text)})`, map: '{}' });

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('releases', () => {
  it('creates, finds by hash, gets, updates and deletes', async () => {
    expect(await client.releases.getByHash('abc')).toBeUndefined();
    const created = await client.releases.create({
      version: '1.0',
      project: 'app',
      hash_id: 'abc',
      metadata: { a: 1 },
    });
    expect(created).toMatchObject({ version: '1.0', project: 'app', hash_id: 'abc', metadata: { a: 1 } });
    expect(await client.releases.getByHash('abc')).toEqual(created);
    expect(await client.releases.get(created.id)).toEqual(created);
    await client.releases.update(created.id, { version: '2.0' });
    await client.releases.partialUpdate(created.id, { project: 'renamed' });
    expect(await client.releases.get(created.id)).toMatchObject({ version: '2.0', project: 'renamed' });
    expect(server.requests.filter((r) => r.route === 'release').map((r) => r.method)).toEqual([
      'GET',
      'PUT',
      'PATCH',
      'GET',
    ]);
    await client.releases.delete(created.id);
    const error = await client.releases.get(created.id).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, apiCode: 'not_found', detail: 'Not found.', attr: null });
  });

  it('lists every page with an async iterator, and one page at a time', async () => {
    for (let i = 0; i < 5; i++) await client.releases.create({ version: `v${i}`, project: 'app' });
    const all = await collect(client.releases.list({ limit: 2 }));
    expect(all.map((r) => r.version)).toEqual(['v4', 'v3', 'v2', 'v1', 'v0']);
    // Three pages, all fetched from our host although `next` names another origin.
    expect(server.routes('releases').map((r) => r.path.split('?')[1])).toEqual([
      'limit=2',
      'limit=2&offset=2',
      'limit=2&offset=4',
    ]);
    const page = await client.releases.listPage({ limit: 2, offset: 4 });
    expect(page).toMatchObject({ count: 5, next: null, results: [{ version: 'v0' }] });
  });

  it('maps validation errors to ApiError with code, detail and attr', async () => {
    const error = await client.releases.create({ version: '1', project: '' }).catch((e) => e);
    expect(error).toMatchObject({
      status: 400,
      apiCode: 'invalid_input',
      detail: 'Project is required',
      attr: null,
    });
    await client.releases.create({ version: '1', project: 'a', hash_id: 'h' });
    const clash = await client.releases.create({ version: '2', project: 'a', hash_id: 'h' }).catch((e) => e);
    expect(clash).toMatchObject({ apiCode: 'release_hash_in_use', detail: 'Hash id h already in use' });
    expect(clash.message).toContain('failed with HTTP 400 (release_hash_in_use)');
  });
});

describe('symbol sets', () => {
  it('uploads through bulk start, a presigned POST and bulk finish, then reads it back', async () => {
    const bytes = container('one');
    const hash = createHash('sha512').update(bytes).digest('hex');
    const check = await client.symbolSets.bulkCheckUpload({
      symbol_sets: [{ chunk_id: 'c1', release_id: null, content_hash: hash }],
    });
    expect(check.chunk_ids_to_upload).toEqual(['c1']);
    const { id_map } = await client.symbolSets.bulkStartUpload({
      symbol_sets: [{ chunk_id: 'c1', release_id: null, content_hash: hash }],
      force: false,
      skip_on_conflict: false,
    });
    const entry = id_map.c1!;
    await client.uploadToPresignedPost(entry.presigned_url, bytes);
    const [upload] = server.routes('storage');
    expect(upload!.headers.authorization).toBeUndefined();
    expect(Number(upload!.headers['content-length'])).toBeGreaterThan(bytes.length);
    expect(upload!.headers['transfer-encoding']).toBeUndefined();
    expect(upload!.parts!.map((p) => p.name)).toEqual(['key', 'policy', 'x-amz-signature', 'file']);
    expect(upload!.parts!.at(-1)).toEqual({ name: 'file', filename: 'file', size: bytes.length });
    expect(
      await client.symbolSets.bulkFinishUpload({ content_hashes: { [entry.symbol_set_id]: hash } }),
    ).toEqual({
      success: true,
    });

    expect(await client.symbolSets.get(entry.symbol_set_id)).toMatchObject({
      ref: 'c1',
      has_uploaded_file: true,
    });
    const url = await client.symbolSets.download(entry.symbol_set_id);
    expect(url).toContain('/storage/objects/symbolsets/');
    const downloaded = await client.symbolSets.downloadBytes(entry.symbol_set_id);
    expect(decodeSymbolSet(downloaded).minified).toBe('console.log("one")');
    expect(server.routes('object')[0]!.headers.authorization).toBeUndefined();
    expect(await client.symbolSets.update(entry.symbol_set_id)).toMatchObject({ ref: 'c1' });
    expect(await client.symbolSets.partialUpdate(entry.symbol_set_id, {})).toMatchObject({ ref: 'c1' });
  });

  it('sends Bearer auth, JSON content type, a hogmaps User-Agent and extra headers', async () => {
    await client.symbolSets.listPage();
    const [request] = server.requests;
    expect(request!.headers.authorization).toBe(`Bearer ${server.apiKey}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['user-agent']).toMatch(
      new RegExp(`^@hogmaps/test/9\\.9\\.9 hogmaps/${HOGMAPS_VERSION.replace(/\./g, '\\.')} node/`),
    );
    expect(request!.headers['x-origin']).toBe('tests');
    expect(request!.path).toBe('/api/projects/42/error_tracking/symbol_sets/');
  });

  it('lists, filters, pages and deletes', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) await client.symbolSets.startUpload({ chunkId: id });
    const all = await collect(client.symbolSets.list({ limit: 2, include_count: false }));
    expect(all.map((s) => s.ref)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(server.routes('symbol_sets')).toHaveLength(3);
    const page = await client.symbolSets.listPage({ limit: 2, include_count: false });
    expect(page.count).toBeNull();
    expect(page.next).toContain('offset=2');
    const [only] = (await client.symbolSets.listPage({ ref: 'c' })).results;
    expect(only!.ref).toBe('c');
    await client.symbolSets.delete(only!.id);
    expect((await client.symbolSets.listPage({ ref: 'c' })).results).toEqual([]);
    expect(await client.symbolSets.bulkDelete([all[0]!.id, all[1]!.id, 'nope'])).toBe(2);
    const error = await client.symbolSets.bulkDelete(undefined as unknown as string[]).catch((e) => e);
    expect(error).toMatchObject({ status: 400, apiCode: undefined, detail: 'ids is required' });
    const missing = await client.symbolSets.download(all[4]!.id).catch((e) => e);
    expect(missing).toMatchObject({ status: 404, detail: 'Symbol set has no uploaded file.' });
  });

  it('supports the legacy bulk start body and the deprecated single and direct uploads', async () => {
    const legacy = await client.symbolSets.bulkStartUpload({ chunk_ids: ['l1', 'l2'], release_id: null });
    expect(Object.keys(legacy.id_map)).toEqual(['l1', 'l2']);
    expect(server.routes('bulk_start_upload')[0]!.json).toEqual({
      chunk_ids: ['l1', 'l2'],
      release_id: null,
    });

    const bytes = container('single');
    const started = await client.symbolSets.startUpload({ chunkId: 's1', releaseId: null });
    expect(server.routes('start_upload')[0]!.path).toMatch(/start_upload\?chunk_id=s1$/);
    await client.uploadToPresignedPost(started.presigned_url, bytes);
    expect(await client.symbolSets.finishUpload(started.symbol_set_id, 'h')).toEqual({ success: true });
    expect(server.rows.get('s1')!.contentHash).toBe('h');
    const noHash = await client.symbolSets.finishUpload(started.symbol_set_id, '').catch((e) => e);
    expect(noHash).toMatchObject({ status: 400, apiCode: 'content_hash_required' });

    await client.symbolSets.createDirect({ chunkId: 'd1', bytes });
    await client.symbolSets.createDirect({ chunkId: 'd2', bytes, multipart: false });
    for (const ref of ['d1', 'd2']) {
      const row = server.rows.get(ref)!;
      expect(server.objects.get(row.storageKey!)!.equals(bytes)).toBe(true);
      expect(row.contentHash).toBe(createHash('sha512').update(bytes).digest('hex'));
    }
    expect(server.routes('create_symbol_set')[1]!.headers['content-type']).toBe('application/octet-stream');
  });

  it('uses the /api/environments/ prefix when asked', async () => {
    const envClient = createPostHogClient({
      host: `${server.url}/`,
      projectId: 42,
      apiKey: server.apiKey,
      basePath: 'environments',
    });
    await envClient.releases.listPage();
    await envClient.close();
    expect(server.requests[0]!.path).toBe('/api/environments/42/error_tracking/releases/');
  });
});

describe('client errors', () => {
  it('reports a bad key as 401 without ever showing the key', async () => {
    const secret = 'phx_wrong_key_abcdefghijklmnop';
    const bad = createPostHogClient({ host: server.url, projectId: 42, apiKey: secret });
    const error = await bad.releases.listPage().catch((e) => e);
    await bad.close();
    expect(error).toMatchObject({ status: 401, apiCode: 'authentication_failed', retryable: false });
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(secret);
  });

  it('rejects invalid options all at once', () => {
    expect(() => createPostHogClient({ host: 'ftp://x', projectId: '', apiKey: '' })).toThrow(OptionsError);
    const error = (() => {
      try {
        createPostHogClient({ host: 'nope', projectId: 'a/b', apiKey: ' ', retries: -1 });
      } catch (caught) {
        return caught as OptionsError;
      }
    })();
    expect(error?.issues.map((issue) => issue.path)).toEqual(['host', 'projectId', 'apiKey', 'retries']);
  });

  it('sends every request through the proxy when one is set', async () => {
    const tunnels: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (req, socket, head) => {
      tunnels.push(req.url!);
      const [host, port] = req.url!.split(':');
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket).pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as { port: number };
    const proxied = createPostHogClient({
      host: server.url,
      projectId: 42,
      apiKey: server.apiKey,
      proxy: `http://127.0.0.1:${port}`,
    });
    try {
      expect(await proxied.releases.getByHash('nope')).toBeUndefined();
      expect(tunnels).toEqual([new URL(server.url).host]);
    } finally {
      await proxied.close();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('times out a request that gets no answer', async () => {
    const impatient = createPostHogClient({
      host: server.url,
      projectId: 42,
      apiKey: server.apiKey,
      timeout: 200,
      retries: 0,
    });
    server.fault('releases', { hang: true });
    const started = Date.now();
    const error = await impatient.releases.listPage().catch((e) => e);
    await impatient.close();
    expect(error).toMatchObject({ status: 0, retryable: true });
    expect(error.message).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/api\/projects\/42\/error_tracking\/releases\/ failed: .*Headers Timeout/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('retries a dropped connection and counts every attempt', async () => {
    server.fault('releases', { drop: true });
    const page = await client.releases.listPage();
    expect(page.results).toEqual([]);
    expect(client.requests).toBe(2);
  });
});
