import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreateReleaseRequest, ReleaseJson } from '../api/protocol';
import { ApiError, type ApiErrorBody, HogmapsError } from '../errors';
import { computeReleaseHashId } from './hash';
import type { ReleaseIdentity } from './identity';
import { fetchOrCreateRelease, type ReleaseApi } from './resolve';

/** What fetchOrCreateRelease sends: always with a hash. */
type CreateReleaseBody = CreateReleaseRequest & { hash_id: string };

const PREFIX = '/api/environments/1/error_tracking/releases';

interface Recorded {
  method: string;
  path: string;
  body?: unknown;
}

/** A tiny stand-in for PostHog's two release endpoints, with hooks to script races and failures. */
const state = {
  releases: new Map<string, ReleaseJson>(),
  requests: [] as Recorded[],
  /** When set, answers the next GET with this status and body instead. */
  getOverride: undefined as { status: number; body: ApiErrorBody } | undefined,
  /** When set, runs instead of a normal create. */
  onCreate: undefined as ((body: CreateReleaseBody) => { status: number; body: unknown }) | undefined,
};

function release(body: CreateReleaseBody): ReleaseJson {
  return {
    id: `0190a0a0-0000-7000-8000-${String(state.releases.size + 1).padStart(12, '0')}`,
    hash_id: body.hash_id,
    team_id: 1,
    created_at: '2025-01-01T00:00:00Z',
    metadata: (body.metadata as Record<string, unknown> | undefined) ?? null,
    version: body.version,
    project: body.project,
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const path = req.url ?? '';
  state.requests.push({ method: req.method ?? '', path, ...(text ? { body: JSON.parse(text) } : {}) });
  const hash = /\/hash\/([^/]+)\/?$/.exec(path)?.[1];
  if (req.method === 'GET' && hash) {
    if (state.getOverride) {
      const { status, body } = state.getOverride;
      state.getOverride = undefined;
      return send(res, status, body);
    }
    const found = state.releases.get(hash);
    return found
      ? send(res, 200, found)
      : send(res, 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.' });
  }
  if (req.method === 'POST' && path === `${PREFIX}/`) {
    const body = JSON.parse(text) as CreateReleaseBody;
    if (state.onCreate) {
      const scripted = state.onCreate(body);
      return send(res, scripted.status, scripted.body);
    }
    const created = release(body);
    state.releases.set(body.hash_id, created);
    return send(res, 201, created);
  }
  send(res, 404, { detail: 'no route' });
}

let server: Server;
let api: ReleaseApi;

async function failure(res: Response, method: string, url: string): Promise<ApiError> {
  const body = (await res.json().catch(() => undefined)) as ApiErrorBody | undefined;
  return new ApiError({ status: res.status, method, url, body, retryable: false });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { detail: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PREFIX}`;
  // The shape the real upload client gives: undefined on 404, ApiError for other failures.
  api = {
    async getByHash(hashId) {
      const url = `${base}/hash/${hashId}/`;
      const res = await fetch(url);
      if (res.status === 404) return undefined;
      if (!res.ok) throw await failure(res, 'GET', url);
      return (await res.json()) as ReleaseJson;
    },
    async create(body) {
      const url = `${base}/`;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw await failure(res, 'POST', url);
      return (await res.json()) as ReleaseJson;
    },
  };
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

beforeEach(() => {
  state.releases.clear();
  state.requests = [];
  state.getOverride = undefined;
  state.onCreate = undefined;
});

function identity(
  metadata: ReleaseIdentity['metadata'] | null = { git: { commit_id: 'abc', branch: 'main' } },
): ReleaseIdentity {
  return {
    name: 'web',
    version: '1.0.0+3',
    hashId: computeReleaseHashId('web', '1.0.0+3'),
    metadata: metadata ?? undefined,
    sources: { name: 'option', version: 'option' },
  };
}

const methods = () => state.requests.map((request) => request.method);

describe('fetchOrCreateRelease', () => {
  it('creates the release after a 404', async () => {
    const id = identity();
    const result = await fetchOrCreateRelease(api, id);
    expect(methods()).toEqual(['GET', 'POST']);
    expect(state.requests[0]?.path).toBe(`${PREFIX}/hash/${id.hashId}/`);
    expect(state.requests[1]?.body).toEqual({
      hash_id: id.hashId,
      version: '1.0.0+3',
      project: 'web',
      metadata: { git: { commit_id: 'abc', branch: 'main' } },
    });
    expect(result).toMatchObject({ hash_id: id.hashId, version: '1.0.0+3', project: 'web', team_id: 1 });
    expect(state.releases.get(id.hashId)).toEqual(result);
  });

  it('omits metadata when there is none', async () => {
    await fetchOrCreateRelease(api, identity(null));
    expect(state.requests[1]?.body).not.toHaveProperty('metadata');
  });

  it('uses an existing release without creating one', async () => {
    const id = identity();
    const existing = release({ hash_id: id.hashId, version: id.version, project: id.name });
    state.releases.set(id.hashId, existing);
    expect(await fetchOrCreateRelease(api, id)).toEqual(existing);
    expect(methods()).toEqual(['GET']);
  });

  it('fetches again when a concurrent build created it first (release_hash_in_use)', async () => {
    const id = identity();
    state.onCreate = (body) => {
      // The other build wins the race between our GET and our POST.
      state.releases.set(body.hash_id, release({ ...body, project: 'web' }));
      return {
        status: 400,
        body: {
          type: 'validation_error',
          code: 'release_hash_in_use',
          detail: `Hash id ${body.hash_id} already in use`,
          attr: null,
        },
      };
    };
    const result = await fetchOrCreateRelease(api, id);
    expect(methods()).toEqual(['GET', 'POST', 'GET']);
    expect(result).toEqual(state.releases.get(id.hashId));
  });

  it('recognises older servers by the "already in use" detail', async () => {
    const id = identity();
    state.onCreate = (body) => {
      state.releases.set(body.hash_id, release(body));
      return {
        status: 400,
        body: {
          type: 'validation_error',
          code: 'invalid_input',
          detail: `Hash id ${body.hash_id} already in use`,
        },
      };
    };
    expect((await fetchOrCreateRelease(api, id)).hash_id).toBe(id.hashId);
    expect(methods()).toEqual(['GET', 'POST', 'GET']);
  });

  it('fails with a clear error when the hash is in use but still cannot be fetched', async () => {
    state.onCreate = () => ({
      status: 400,
      body: { code: 'release_hash_in_use', detail: 'Hash id x already in use' },
    });
    const error = await fetchOrCreateRelease(api, identity()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HogmapsError);
    expect((error as HogmapsError).code).toBe('release_conflict');
    expect((error as Error).message).toContain('web@1.0.0+3');
    expect((error as Error).cause).toBeInstanceOf(ApiError);
  });

  it('does not retry other 400s', async () => {
    state.onCreate = () => ({
      status: 400,
      body: { type: 'validation_error', code: 'invalid_input', detail: 'Project is required' },
    });
    const error = await fetchOrCreateRelease(api, identity()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, apiCode: 'invalid_input', detail: 'Project is required' });
    expect(methods()).toEqual(['GET', 'POST']);
  });

  it('propagates a failed lookup without creating', async () => {
    state.getOverride = {
      status: 403,
      body: { type: 'authentication_error', code: 'permission_denied', detail: 'nope' },
    };
    await expect(fetchOrCreateRelease(api, identity())).rejects.toMatchObject({
      status: 403,
      apiCode: 'permission_denied',
    });
    expect(methods()).toEqual(['GET']);
  });
});
