import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureEventTables, listEventCounts, listExceptions } from '../../src/events/store';
import {
  type EventServer,
  OTHER_PROJECT_ID,
  OTHER_TOKEN,
  PROJECT_ID,
  startEventServer,
  storedCounts,
  TOKEN,
} from './helpers/event-server';

let server: EventServer;

beforeAll(async () => {
  server = await startEventServer();
  ensureEventTables(server.db);
});
afterAll(() => server.close());
beforeEach(() => {
  server.db.exec('DELETE FROM exception_events; DELETE FROM event_counts;');
});

function exceptionEvent(uuid: string, extra: Record<string, unknown> = {}) {
  return {
    event: '$exception',
    uuid,
    distinct_id: 'user-1',
    properties: {
      token: TOKEN,
      $exception_list: [
        {
          type: 'Error',
          value: 'boom',
          mechanism: { handled: true, synthetic: false },
          stacktrace: {
            type: 'raw',
            frames: [{ platform: 'web:javascript', filename: 'a.js', lineno: 1, colno: 2 }],
          },
        },
      ],
    },
    ...extra,
  };
}

async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', body, headers });
  const json = (await response.json()) as { detail?: string } & Record<string, unknown>;
  return { status: response.status, body: json, headers: response.headers };
}

const json = { 'Content-Type': 'application/json' };

describe('capture endpoints accept what the SDKs send', () => {
  it('stores a single JSON event on /e/ and answers {"status":1}', async () => {
    const response = await post('/e/', JSON.stringify(exceptionEvent('u-single')), json);
    expect(response).toMatchObject({ status: 200, body: { status: 1 } });
    const { count, results } = listExceptions(server.db, PROJECT_ID, 10, 0);
    expect(count).toBe(1);
    expect(results[0]).toMatchObject({ uuid: 'u-single', distinctId: 'user-1', projectId: PROJECT_ID });
    expect(results[0]?.properties).toEqual(exceptionEvent('u-single').properties);
  });

  it('stores exceptions and counts other events from an array on /i/v0/e/', async () => {
    const events = [
      { event: '$pageview', properties: { token: TOKEN } },
      exceptionEvent('u-a'),
      { event: '$pageview', properties: { token: TOKEN } },
      exceptionEvent('u-b'),
    ];
    expect((await post('/i/v0/e/', JSON.stringify(events), json)).status).toBe(200);
    expect(listExceptions(server.db, PROJECT_ID, 10, 0).count).toBe(2);
    expect(listEventCounts(server.db, PROJECT_ID).map(({ event, count }) => ({ event, count }))).toEqual([
      { event: '$exception', count: 2 },
      { event: '$pageview', count: 2 },
    ]);
  });

  it('takes the token from a {batch, api_key} envelope on /batch/ and corrects client clock skew', async () => {
    // The client clock is a day fast; the event happened 5 s before it was sent.
    const sentAt = new Date(Date.now() + 86_400_000);
    const event = {
      ...exceptionEvent('u-batch'),
      timestamp: new Date(sentAt.getTime() - 5000).toISOString(),
    };
    delete (event.properties as { token?: string }).token;
    const before = Date.now();
    const body = JSON.stringify({ api_key: OTHER_TOKEN, batch: [event], sent_at: sentAt.toISOString() });
    expect((await post('/batch/', body, json)).status).toBe(200);
    const [stored] = listExceptions(server.db, OTHER_PROJECT_ID, 10, 0).results;
    const time = new Date(stored?.timestamp ?? 0).getTime();
    expect(time).toBeGreaterThanOrEqual(before - 5000 - 50);
    expect(time).toBeLessThanOrEqual(Date.now() - 5000 + 50);
  });

  it('gunzips gzip sent as text/plain without a compression parameter (posthog-js)', async () => {
    const body = gzipSync(JSON.stringify({ api_key: TOKEN, batch: [exceptionEvent('u-gzip')] }));
    const response = await post('/e/?ip=0&ver=1.449.2', body, { 'Content-Type': 'text/plain' });
    expect(response.status).toBe(200);
    expect(listExceptions(server.db, PROJECT_ID, 10, 0).results[0]?.uuid).toBe('u-gzip');
  });

  it('gunzips with ?compression=gzip-js and with Content-Encoding: gzip (posthog-node)', async () => {
    const a = gzipSync(JSON.stringify([exceptionEvent('u-gzip-js')]));
    expect((await post('/e/?compression=gzip-js', a, { 'Content-Type': 'text/plain' })).status).toBe(200);
    const b = gzipSync(JSON.stringify({ api_key: TOKEN, batch: [exceptionEvent('u-node')] }));
    expect((await post('/batch/', b, { ...json, 'Content-Encoding': 'gzip' })).status).toBe(200);
    expect(listExceptions(server.db, PROJECT_ID, 10, 0).count).toBe(2);
  });

  it('decodes base64 in a data= form body (sendBeacon) and in GET ?data=', async () => {
    const base64 = Buffer.from(JSON.stringify([exceptionEvent('u-form')])).toString('base64');
    const form = `data=${encodeURIComponent(base64)}&compression=base64`;
    const response = await post('/e/?compression=base64', form, {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(200);
    const get = Buffer.from(JSON.stringify(exceptionEvent('u-get'))).toString('base64');
    const getResponse = await fetch(`${server.url}/capture/?data=${encodeURIComponent(get)}`);
    expect(getResponse.status).toBe(200);
    const plain = `data=${encodeURIComponent(JSON.stringify(exceptionEvent('u-form-json')))}`;
    expect(
      (await post('/track/', plain, { 'Content-Type': 'application/x-www-form-urlencoded' })).status,
    ).toBe(200);
    const uuids = listExceptions(server.db, PROJECT_ID, 10, 0).results.map((e) => e.uuid);
    expect(uuids.sort()).toEqual(['u-form', 'u-form-json', 'u-get']);
  });

  it("takes the token from an old client's top-level $token", async () => {
    const { properties, ...event } = exceptionEvent('u-dollar-token');
    const body = JSON.stringify({
      ...event,
      $token: OTHER_TOKEN,
      properties: { ...properties, token: undefined },
    });
    expect((await post('/e/', body, json)).status).toBe(200);
    expect(listExceptions(server.db, OTHER_PROJECT_ID, 10, 0).results[0]?.uuid).toBe('u-dollar-token');
  });

  it('stores a retried event (same uuid) once', async () => {
    const body = JSON.stringify(exceptionEvent('u-retry'));
    await post('/e/', body, json);
    await post('/e/', body, json);
    expect(listExceptions(server.db, PROJECT_ID, 10, 0).count).toBe(1);
  });

  it('answers CORS preflights and echoes the origin', async () => {
    const preflight = await fetch(`${server.url}/e/`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://app.test',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    const response = await post('/e/', JSON.stringify(exceptionEvent('u-cors')), {
      ...json,
      Origin: 'http://app.test',
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://app.test');
  });
});

describe('capture endpoints reject bad requests and store nothing', () => {
  const bad: [string, string | Buffer, Record<string, string>, RegExp][] = [
    ['invalid JSON', '{"event": ', json, /not valid JSON/],
    ['an empty body', '', json, /empty request body/],
    ['a scalar', '42', json, /must be an event object/],
    ['an empty batch', JSON.stringify({ api_key: TOKEN, batch: [] }), json, /empty batch/],
    ['a batch that is not an array', JSON.stringify({ api_key: TOKEN, batch: {} }), json, /"batch" must be/],
    [
      'an event without a name',
      JSON.stringify([exceptionEvent('x'), { properties: {} }]),
      json,
      /event 1 has no/,
    ],
    ['an event that is not an object', JSON.stringify([exceptionEvent('x'), 'oops']), json, /event 1 is not/],
    [
      'properties that are not an object',
      JSON.stringify({ event: 'e', properties: [] }),
      json,
      /"properties"/,
    ],
    ['gzip declared but absent', '{"event":"x"}', { 'Content-Encoding': 'gzip' }, /declared gzip/],
    ['corrupt gzip', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]), { 'Content-Type': 'text/plain' }, /gunzip/],
    ['an unknown encoding', '{}', { 'Content-Encoding': 'br' }, /Content-Encoding "br"/],
    ['a form without data', 'foo=bar', { 'Content-Type': 'application/x-www-form-urlencoded' }, /no "data"/],
    ['data that is neither JSON nor base64', 'data=%%%not*base64', {}, /neither JSON nor base64/],
  ];

  it.each(bad)('answers 400 for %s', async (_name, body, headers, detail) => {
    const response = await post('/e/', body, headers);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ type: 'validation_error', code: 'invalid_payload', attr: null });
    expect(response.body.detail).toMatch(detail);
    expect(storedCounts(server)).toEqual({ exceptions: 0, events: 0 });
  });

  it('answers 400 for events carrying different tokens', async () => {
    const events = [exceptionEvent('a'), { event: 'x', properties: { token: OTHER_TOKEN } }];
    const response = await post('/e/', JSON.stringify(events), json);
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/different project tokens/);
    expect(storedCounts(server)).toEqual({ exceptions: 0, events: 0 });
  });

  it('answers 401 invalid_api_key for an unknown token', async () => {
    const event = exceptionEvent('u-unknown');
    event.properties.token = 'phc_nobody';
    const response = await post('/e/', JSON.stringify(event), json);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({
      type: 'authentication_error',
      code: 'invalid_api_key',
      attr: null,
    });
    expect(storedCounts(server)).toEqual({ exceptions: 0, events: 0 });
  });

  it('answers 401 missing_api_key when no token is given', async () => {
    const response = await post('/e/', JSON.stringify({ event: '$pageview', properties: {} }), json);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ type: 'authentication_error', code: 'missing_api_key' });
    expect(storedCounts(server)).toEqual({ exceptions: 0, events: 0 });
  });

  it('answers 405 to other methods', async () => {
    const response = await fetch(`${server.url}/batch/`, { method: 'PUT', body: '{}' });
    expect(response.status).toBe(405);
    expect(await response.json()).toMatchObject({ code: 'method_not_allowed' });
  });

  it('leaves unrelated paths to the caller', async () => {
    const response = await fetch(`${server.url}/api/projects/1/error_tracking/releases`);
    expect(response.status).toBe(404);
  });
});
