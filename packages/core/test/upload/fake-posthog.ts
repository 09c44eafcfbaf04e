/**
 * A small purpose-built PostHog for upload tests: the releases and symbol-set endpoints, presigned
 * POST object storage, and programmable faults. Real HTTP on 127.0.0.1.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach } from 'vitest';
import { createPostHogClient, type PostHogClient } from '../../src/api/client';
import { parseMultipart } from './fake-multipart';
import {
  type Fault,
  page,
  type RecordedRequest,
  type RequestJson,
  ROUTES,
  type RouteName,
} from './fake-routes';
import {
  applyStart,
  fail,
  HttpFailure,
  planUploads,
  type Release,
  type Row,
  symbolSetJson,
} from './fake-symbol-sets';

export type { Fault, RecordedRequest, RouteName };

const MAX = 104_857_600;

export async function startFakePostHog(options: { apiKey?: string; projectId?: number } = {}) {
  const apiKey = options.apiKey ?? 'phx_fake_key_0123456789abcdef';
  const projectId = options.projectId ?? 42;
  const rows = new Map<string, Row>();
  const releases = new Map<string, Release>();
  const objects = new Map<string, Buffer>();
  const requests: RecordedRequest[] = [];
  const faults = new Map<RouteName, Fault[]>();
  const state = { supportsCheck: true, accelerated: false, url: '' };

  const findRow = (id: string) => [...rows.values()].find((row) => row.id === id);
  const presigned = (row: Row) => ({
    url: `${state.url}/storage/upload`,
    fields: { key: row.storageKey!, policy: 'eyJmYWtlIjp0cnVlfQ==', 'x-amz-signature': 'fake' },
  });
  const entry = (row: Row) => ({
    symbol_set_id: row.id,
    presigned_url: state.accelerated
      ? { ...presigned(row), url: `${state.url}/storage-accelerated/upload` }
      : presigned(row),
    ...(state.accelerated ? { fallback_presigned_url: presigned(row) } : {}),
  });
  const headCheck = (row: Row) => {
    const object = row.storageKey ? objects.get(row.storageKey) : undefined;
    if (!object) throw fail(400, 'file_not_found', 'No file has been uploaded for the symbol set.');
    if (object.length === 0 || object.length > MAX) {
      rows.delete(row.ref);
      throw fail(400, 'file_too_large', 'The uploaded symbol set file was too large.');
    }
  };

  async function handle(
    route: RouteName,
    m: RegExpExecArray,
    req: IncomingMessage,
    url: URL,
    raw: Buffer,
    recorded: RecordedRequest,
  ) {
    const json = recorded.json as RequestJson | undefined;
    const id = decodeURIComponent(m[2] ?? '');
    switch (route) {
      case 'releases':
        return [200, page([...releases.values()].reverse(), url)];
      case 'create_release': {
        if (!json?.version) throw fail(400, 'invalid_input', 'Version is required');
        if (!json?.project) throw fail(400, 'invalid_input', 'Project is required');
        const release: Release = {
          id: randomUUID(),
          hash_id: '',
          team_id: projectId,
          created_at: new Date().toISOString(),
          metadata: json.metadata ?? null,
          version: json.version,
          project: json.project,
        };
        release.hash_id = json.hash_id ?? release.id;
        if ([...releases.values()].some((r) => r.hash_id === release.hash_id)) {
          throw fail(400, 'release_hash_in_use', `Hash id ${release.hash_id} already in use`);
        }
        releases.set(release.id, release);
        return [201, release];
      }
      case 'release_by_hash': {
        const found = [...releases.values()].find((r) => r.hash_id === id);
        if (!found) throw fail(404, 'not_found', 'Not found.');
        return [200, found];
      }
      case 'release': {
        const found = releases.get(id);
        if (!found) throw fail(404, 'not_found', 'Not found.');
        if (req.method === 'GET') return [200, found];
        if (req.method === 'DELETE') {
          releases.delete(id);
          return [204, undefined];
        }
        if (json?.version) found.version = json.version;
        if (json?.project) found.project = json.project;
        if (json?.hash_id) found.hash_id = json.hash_id;
        if (json?.metadata) found.metadata = json.metadata;
        return [204, { ok: true }];
      }
      case 'symbol_sets': {
        const ref = url.searchParams.get('ref');
        const all = [...rows.values()].filter((row) => !ref || row.ref === ref).reverse();
        return [
          200,
          page(
            all.map((row) => symbolSetJson(row, releases)),
            url,
            100,
          ),
        ];
      }
      case 'symbol_set': {
        const row = findRow(id);
        if (!row) throw fail(404, 'not_found', 'Not found.');
        if (req.method === 'DELETE') {
          rows.delete(row.ref);
          return [204, undefined];
        }
        return [200, symbolSetJson(row, releases)];
      }
      case 'bulk_delete': {
        if (!json?.ids) throw new HttpFailure(400, { detail: 'ids is required' });
        if (!Array.isArray(json.ids)) throw new HttpFailure(400, { detail: 'ids must be a list' });
        const doomed = json.ids.map((value) => findRow(String(value))).filter((row) => row !== undefined);
        for (const row of doomed) rows.delete(row.ref);
        return [200, { deleted: doomed.length }];
      }
      case 'download': {
        const row = findRow(id);
        if (!row) throw fail(404, 'not_found', 'Not found.');
        if (!row.storageKey || !objects.has(row.storageKey)) {
          throw new HttpFailure(404, { detail: 'Symbol set has no uploaded file.' });
        }
        return [200, { url: `${state.url}/storage/objects/${row.storageKey}?X-Amz-Signature=fake` }];
      }
      case 'bulk_check_upload': {
        if (!state.supportsCheck) throw fail(404, 'not_found', 'Not found.');
        const plan = planUploads(json ?? {}, rows, releases);
        return [200, { chunk_ids_to_upload: [...plan.needed, ...plan.bind].map((i) => i.chunk_id) }];
      }
      case 'bulk_start_upload': {
        const started = applyStart(planUploads(json ?? {}, rows, releases), rows);
        return [201, { id_map: Object.fromEntries(started.map((row) => [row.ref, entry(row)])) }];
      }
      case 'bulk_finish_upload': {
        if (json?.content_hashes === null)
          throw new HttpFailure(400, { detail: 'content_hashes are required' });
        const hashes: Record<string, string> = json?.content_hashes ?? {};
        const unknown = Object.keys(hashes)
          .filter((key) => !findRow(key))
          .sort();
        if (unknown.length)
          throw fail(400, 'symbol_set_not_found', `Unknown symbol set IDs: ${unknown.join(', ')}`);
        for (const key of Object.keys(hashes)) headCheck(findRow(key)!);
        for (const [key, hash] of Object.entries(hashes)) findRow(key)!.contentHash = hash;
        return [201, { success: true }];
      }
      case 'start_upload': {
        const chunkId = url.searchParams.get('chunk_id');
        if (!chunkId) throw new HttpFailure(400, { detail: 'chunk_id query parameter is required' });
        const plan = {
          items: [],
          bind: [],
          needed: [{ chunk_id: chunkId, release_id: url.searchParams.get('release_id'), content_hash: null }],
        };
        const [row] = applyStart(plan, rows);
        return [201, { presigned_url: presigned(row!), symbol_set_id: row!.id }];
      }
      case 'finish_upload': {
        const row = findRow(id);
        if (!row) throw fail(404, 'not_found', 'Not found.');
        if (!json?.content_hash)
          throw fail(
            400,
            'content_hash_required',
            'A content hash must be provided to complete symbol set upload.',
          );
        headCheck(row);
        row.contentHash ??= json.content_hash;
        return [200, { success: true }];
      }
      case 'create_symbol_set': {
        const chunkId = url.searchParams.get('chunk_id');
        if (!chunkId) throw new HttpFailure(400, { detail: 'chunk_id query parameter is required' });
        const file = url.searchParams.get('multipart')
          ? parseMultipart(raw, req.headers['content-type']).find((part) => part.name === 'file')?.data
          : raw;
        if (!file || file.length > MAX)
          throw fail(400, 'file_too_large', 'Combined source map and symbol set must be less than 100MB');
        const plan = {
          items: [],
          bind: [],
          needed: [{ chunk_id: chunkId, release_id: url.searchParams.get('release_id'), content_hash: null }],
        };
        const [row] = applyStart(plan, rows);
        objects.set(row!.storageKey!, Buffer.from(file));
        row!.contentHash = createHash('sha512').update(file).digest('hex');
        return [201, { ok: true }];
      }
      case 'storage':
      case 'storage_accelerated': {
        if (!req.headers['content-length']) throw new HttpFailure(411, 'MissingContentLength');
        const parts = parseMultipart(raw, req.headers['content-type']);
        recorded.parts = parts.map((p) => ({
          name: p.name,
          filename: p.filename,
          size: p.data.length,
        }));
        const key = parts.find((part) => part.name === 'key')?.data.toString();
        const file = parts.find((part) => part.name === 'file');
        const row = [...rows.values()].find((r) => r.storageKey === key);
        if (!row || !file?.filename || parts.at(-1) !== file) {
          throw new HttpFailure(
            403,
            '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy</Message></Error>',
          );
        }
        if (file.data.length > MAX) throw new HttpFailure(400, '<Error><Code>EntityTooLarge</Code></Error>');
        objects.set(key!, Buffer.from(file.data));
        return [204, undefined];
      }
      case 'object': {
        const object = objects.get(decodeURIComponent(m[1]!));
        if (!object) throw new HttpFailure(404, '<Error><Code>NoSuchKey</Code></Error>');
        return [200, object];
      }
      default:
        throw new HttpFailure(500, { detail: `route ${route} not implemented` });
    }
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', state.url);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const isBytes = Buffer.isBuffer(body);
      const text =
        body === undefined ? '' : isBytes || typeof body === 'string' ? body : JSON.stringify(body);
      const type = isBytes
        ? 'application/octet-stream'
        : typeof body === 'string'
          ? 'application/xml'
          : 'application/json';
      res.writeHead(status, { 'content-type': type, ...headers }).end(text);
    };
    const match = ROUTES.map(
      ([method, pattern, name]) => [method, pattern.exec(url.pathname), name] as const,
    ).find(([method, m]) => m && (method === '*' || method === req.method));
    if (!match) return send(404, fail(404, 'not_found', 'Not found.').body);
    const [, found, route] = match;
    const m = found!;
    const isJson = (req.headers['content-type'] ?? '').startsWith('application/json') && raw.length > 0;
    // This request's own record: others may arrive while a fault holds it.
    const recorded: RecordedRequest = {
      route,
      method: req.method!,
      path: url.pathname + url.search,
      headers: req.headers,
      json: isJson ? JSON.parse(raw.toString()) : undefined,
    };
    requests.push(recorded);
    const queued = faults.get(route);
    const fault = queued?.[0];
    if (fault) {
      if (--fault.times! <= 0) queued.shift();
      if (fault.drop) return req.socket.destroy();
      if (fault.hang) return;
      if (fault.until) {
        for (const started = Date.now(); !fault.until() && Date.now() - started < 10_000; )
          await new Promise((resolve) => setTimeout(resolve, 5));
      } else return send(fault.status ?? 500, fault.body ?? { detail: 'fault' }, fault.headers);
    }
    const isApi = url.pathname.startsWith('/api/');
    if (isApi && req.headers.authorization !== `Bearer ${apiKey}`) {
      return send(401, {
        type: 'authentication_error',
        code: 'authentication_failed',
        detail: 'Invalid personal API key.',
        attr: null,
      });
    }
    if (isApi && Number(m[1]) !== projectId) {
      return send(403, {
        type: 'authentication_error',
        code: 'permission_denied',
        detail: 'You do not have access.',
        attr: null,
      });
    }
    try {
      const [status, body] = await handle(route, m, req, url, raw, recorded);
      send(status as number, body);
    } catch (error) {
      if (error instanceof HttpFailure) send(error.status, error.body);
      else send(500, { type: 'server_error', code: 'error', detail: String(error), attr: null });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    get url() {
      return state.url;
    },
    apiKey,
    projectId,
    rows,
    releases,
    objects,
    requests,
    state,
    /** Queue a fault for the next request(s) to a route. */
    fault(route: RouteName, fault: Fault) {
      const queue = faults.get(route) ?? [];
      queue.push({ times: 1, ...fault });
      faults.set(route, queue);
    },
    routes: (route: RouteName) => requests.filter((r) => r.route === route),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakePostHog = Awaited<ReturnType<typeof startFakePostHog>>;

/**
 * A fake PostHog and a client of it, fresh for each test of the calling suite (read `server` and
 * `client` inside the tests).
 */
export function useFakePostHog() {
  const fake = {} as { server: FakePostHog; client: PostHogClient };
  beforeEach(async () => {
    fake.server = await startFakePostHog();
    const { url: host, projectId, apiKey } = fake.server;
    fake.client = createPostHogClient({ host, projectId, apiKey });
  });
  afterEach(async () => {
    await fake.client.close();
    await fake.server.close();
  });
  return fake;
}
