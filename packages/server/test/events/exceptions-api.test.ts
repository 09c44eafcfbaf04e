import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppBundle, buildAppBundle } from '../symbolication/helpers/bundle';
import { runCheckoutInVm, type SdkFrame } from '../symbolication/helpers/v8-frames';
import {
  type EventServer,
  getJson,
  PROJECT_ID,
  READ_KEY,
  startEventServer,
  TOKEN,
} from './helpers/event-server';

const SCRIPT_URL = 'http://127.0.0.1/assets/app.js';
let server: EventServer;
let bundle: AppBundle;
let frames: SdkFrame[];

function exception(uuid: string, timestamp: string, exceptionFrames: unknown[]) {
  return {
    event: '$exception',
    uuid,
    distinct_id: 'user-7',
    timestamp,
    properties: {
      token: TOKEN,
      $exception_list: [
        {
          type: 'Error',
          value: `failure ${uuid}`,
          mechanism: { handled: true, synthetic: false },
          stacktrace: { type: 'raw', frames: exceptionFrames },
        },
      ],
    },
  };
}

beforeAll(async () => {
  server = await startEventServer();
  bundle = await buildAppBundle('vm-entry.js');
  frames = runCheckoutInVm(bundle.code, SCRIPT_URL, -1).filter((frame) => frame.filename === SCRIPT_URL);
  server.symbolSets.set(`${PROJECT_ID}/${bundle.chunkId}`, bundle.container());
  // Three exceptions, sent out of order; the last one's chunk has no symbol set.
  const missing = frames.map((frame) => ({ ...frame, chunk_id: 'chunk-without-set' }));
  const events = [
    exception('e-2', '2026-01-02T00:00:00.000Z', frames),
    exception('e-3', '2026-01-03T00:00:00.000Z', missing),
    exception('e-1', '2026-01-01T00:00:00.000Z', frames),
  ];
  const response = await fetch(`${server.url}/batch/`, {
    method: 'POST',
    body: JSON.stringify({ api_key: TOKEN, batch: events }),
  });
  expect(response.status).toBe(200);
});
afterAll(() => server.close());

const base = `/api/projects/${PROJECT_ID}/hogmaps`;

describe('GET /api/projects/:id/hogmaps/exceptions', () => {
  it('lists exceptions newest first with symbolicated frames', async () => {
    const { status, body } = await getJson(server, `${base}/exceptions`);
    expect(status).toBe(200);
    expect(body.count).toBe(3);
    expect(body.next).toBeNull();
    expect(body.results.map((e: { id: string }) => e.id)).toEqual(['e-3', 'e-2', 'e-1']);
    const [missing, found] = body.results;
    expect(found).toMatchObject({
      id: 'e-2',
      event: '$exception',
      project_id: PROJECT_ID,
      distinct_id: 'user-7',
      timestamp: '2026-01-02T00:00:00.000Z',
    });
    const [item] = found.exception_list;
    expect(item).toMatchObject({ type: 'Error', value: 'failure e-2', mechanism: { handled: true } });
    expect(item.stacktrace.type).toBe('resolved');
    expect(item.stacktrace.frames.at(-1)).toMatchObject({
      resolved: true,
      source: '../checkout.ts',
      line: bundle.throwLine - 1,
      resolved_name: 'submitOrder',
      lineno: frames.at(-1)?.lineno,
    });
    expect(missing.exception_list[0].stacktrace.frames[0]).toMatchObject({
      resolved: false,
      resolve_failure: 'No sourcemap uploaded for chunk id: chunk-without-set',
    });
    expect(found.properties.$exception_list[0].stacktrace.type).toBe('raw');
  });

  it('reads each symbol set once per request, however many exceptions use it', async () => {
    server.symbolSetLoads.length = 0;
    await getJson(server, `${base}/exceptions`);
    expect(server.symbolSetLoads.sort()).toEqual(
      [`${PROJECT_ID}/${bundle.chunkId}`, `${PROJECT_ID}/chunk-without-set`].sort(),
    );
  });

  it('pages with limit and offset', async () => {
    const first = await getJson(server, `${base}/exceptions/?limit=2`);
    expect(first.body.results.map((e: { id: string }) => e.id)).toEqual(['e-3', 'e-2']);
    expect(first.body.previous).toBeNull();
    expect(first.body.next).toBe(`${server.url}${base}/exceptions/?limit=2&offset=2`);
    const second = await getJson(server, `${base}/exceptions/?limit=2&offset=2`);
    expect(second.body.results.map((e: { id: string }) => e.id)).toEqual(['e-1']);
    expect(second.body.next).toBeNull();
    expect(second.body.previous).toBe(`${server.url}${base}/exceptions/?limit=2&offset=0`);
  });

  it.each(['limit=0', 'limit=abc', 'offset=-1'])('rejects %s with 400', async (query) => {
    const { status, body } = await getJson(server, `${base}/exceptions?${query}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({
      type: 'validation_error',
      code: 'invalid_input',
      attr: query.split('=')[0],
    });
  });

  it('needs a read key for the project', async () => {
    const anonymous = await fetch(`${server.url}${base}/exceptions`);
    expect(anonymous.status).toBe(401);
    const other = await getJson(server, '/api/projects/2/hogmaps/exceptions');
    expect(other.status).toBe(403);
  });
});

describe('GET /api/projects/:id/hogmaps/exceptions/:eventId', () => {
  it('returns one exception, symbolicated', async () => {
    const { status, body } = await getJson(server, `${base}/exceptions/e-1/`);
    expect(status).toBe(200);
    expect(body.id).toBe('e-1');
    expect(body.exception_list[0].stacktrace.frames.at(-1).context.line.line).toContain('throw new Error');
  });

  it('answers 404 for an unknown id', async () => {
    const { status, body } = await getJson(server, `${base}/exceptions/nope`);
    expect(status).toBe(404);
    expect(body).toEqual({ type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null });
  });
});

describe('POST /api/projects/:id/hogmaps/symbolicate', () => {
  const symbolicate = (body: string) =>
    fetch(`${server.url}${base}/symbolicate`, {
      method: 'POST',
      body,
      headers: { Authorization: `Bearer ${READ_KEY}`, 'Content-Type': 'application/json' },
    });

  it('resolves frames', async () => {
    const response = await symbolicate(JSON.stringify({ frames }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { frames: Record<string, unknown>[] };
    expect(body.frames).toHaveLength(frames.length);
    expect(body.frames.at(-1)).toMatchObject({ source: '../checkout.ts', line: bundle.throwLine - 1 });
  });

  it.each([
    ['not JSON', '{', /body must be JSON/],
    ['no frames', '{}', /"frames" is required/],
    ['frames that are not objects', '{"frames":[{},"x"]}', /frames\[1\] must be an object/],
  ])('rejects %s with 400', async (_name, body, detail) => {
    const response = await symbolicate(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(detail);
  });

  it('answers 405 to GET', async () => {
    const { status } = await getJson(server, `${base}/symbolicate`);
    expect(status).toBe(405);
  });
});

describe('GET /api/projects/:id/hogmaps/event_counts', () => {
  it('counts events by name', async () => {
    const { body } = await getJson(server, `${base}/event_counts`);
    expect(body.results).toEqual([{ event: '$exception', count: 3, last_seen_at: expect.any(String) }]);
  });
});
