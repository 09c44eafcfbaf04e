import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { http } from './helpers/http';
import { NOT_FOUND, startTestServer } from './helpers/server';

describe('limits and bad input', () => {
  test('JSON bodies over maxBodyBytes are 413, declared or streamed, and store nothing', async () => {
    const server = await startTestServer({ maxBodyBytes: 1024 });
    const big = {
      symbol_sets: Array.from({ length: 40 }, (_, i) => ({
        chunk_id: `chunk-${i}`,
        content_hash: 'h'.repeat(20),
      })),
    };
    const declared = await server.api('POST', 'symbol_sets/bulk_start_upload', { body: big });
    expect(declared.status).toBe(413);
    expect(declared.json).toEqual({
      type: 'invalid_request',
      code: 'request_too_large',
      detail: 'Request body exceeds the limit of 1024 bytes.',
      attr: null,
    });
    const text = Buffer.from(JSON.stringify(big));
    const streamed = await server.api('POST', 'symbol_sets/bulk_start_upload', {
      stream: [text.subarray(0, 700), text.subarray(700)],
      headers: { 'content-type': 'application/json' },
    });
    expect(streamed.status).toBe(413);
    expect(server.admin.symbolSetRows(1)).toEqual([]);
    const small = await server.api('POST', 'symbol_sets/bulk_start_upload', {
      body: { symbol_sets: [{ chunk_id: 'c' }] },
    });
    expect(small.status).toBe(201);
  });

  test('malformed JSON is a parse_error; a non-JSON content type is 415', async () => {
    const server = await startTestServer();
    const malformed = await server.api('POST', 'releases', {
      body: '{"project": "p", version',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ type: 'invalid_request', code: 'parse_error', attr: null });
    expect(malformed.json.detail).toMatch(/^JSON parse error - /);
    const form = await server.api('POST', 'releases', {
      body: 'project=p&version=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(form.json).toEqual({
      type: 'invalid_request',
      code: 'unsupported_media_type',
      detail: 'Unsupported media type "application/x-www-form-urlencoded" in request.',
      attr: null,
    });
    expect((await server.api('GET', 'releases')).json.count).toBe(0);
  });

  test("unknown routes get PostHog's 404 body, before any auth", async () => {
    const server = await startTestServer();
    for (const path of [
      '/favicon.ico',
      '/nope',
      '/api/projects/1/error_tracking/nope',
      '/api/projects/abc/error_tracking/releases',
      '/api/projects/1/error_tracking/symbol_sets/a/b/c',
      '/api/projects/1/feature_flags/',
    ]) {
      const response = await http('GET', `${server.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.json).toEqual(NOT_FOUND);
    }
  });

  test('a known route with the wrong method is 405 (after authentication)', async () => {
    const server = await startTestServer();
    const anonymous = await http(
      'GET',
      `${server.url}/api/projects/1/error_tracking/symbol_sets/bulk_start_upload`,
    );
    expect(anonymous.status).toBe(401);
    const response = await server.api('GET', 'symbol_sets/bulk_start_upload');
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
    expect(response.json).toEqual({
      type: 'invalid_request',
      code: 'method_not_allowed',
      detail: 'Method "GET" not allowed.',
      attr: null,
    });
    expect((await server.api('POST', 'releases/hash/abc')).status).toBe(405);
  });

  test('paths work with and without a trailing slash', async () => {
    const server = await startTestServer();
    for (const path of ['releases', 'releases/', 'symbol_sets', 'symbol_sets/']) {
      expect((await server.api('GET', path)).status, path).toBe(200);
    }
    for (const path of ['symbol_sets/bulk_check_upload', 'symbol_sets/bulk_check_upload/']) {
      expect((await server.api('POST', path, { body: { symbol_sets: [] } })).status, path).toBe(200);
    }
  });
});

describe('what one capture or symbolicate request may cost', () => {
  const capture = (
    server: Awaited<ReturnType<typeof startTestServer>>,
    body: Buffer | string,
    headers = {},
  ) =>
    http('POST', `${server.url}/batch/`, {
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const counts = async (server: Awaited<ReturnType<typeof startTestServer>>) =>
    (
      await http('GET', `${server.url}/api/projects/${server.projectId}/hogmaps/event_counts/`, {
        headers: { authorization: `Bearer ${server.apiKey}` },
      })
    ).json.results;
  const batch = (token: string, count: number) =>
    JSON.stringify({
      api_key: token,
      batch: Array.from({ length: count }, (_, i) => ({ event: `e${i % 3}` })),
    });

  test('at most 1000 events per capture request; more is 413 and nothing is stored', async () => {
    const server = await startTestServer();
    const tooMany = await capture(server, batch(server.projectToken, 1001));
    expect(tooMany.status).toBe(413);
    expect(tooMany.json).toMatchObject({
      code: 'payload_too_large',
      detail: '1001 events in one request; at most 1000 (send smaller batches)',
    });
    expect(await counts(server)).toEqual([]);
    expect((await capture(server, batch(server.projectToken, 1000))).status).toBe(200);
  });

  test('a gzip body that expands past 20 MiB is 413, before any JSON is parsed', async () => {
    const server = await startTestServer();
    const bomb = gzipSync(Buffer.alloc(21 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const response = await capture(server, bomb, { 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect(response.json.detail).toContain('decompresses to more than 20971520 bytes');
    expect(await counts(server)).toEqual([]);
  });

  test('at most 10,000 frames per symbolicate request', async () => {
    const server = await startTestServer();
    const frames = Array.from({ length: 10_001 }, () => ({ platform: 'web:javascript', function: 'f' }));
    const response = await http(
      'POST',
      `${server.url}/api/projects/${server.projectId}/hogmaps/symbolicate/`,
      {
        body: { frames },
        headers: { authorization: `Bearer ${server.apiKey}` },
      },
    );
    expect(response.status).toBe(400);
    expect(response.json.detail).toBe('10001 frames in one request; at most 10000');
  });
});
