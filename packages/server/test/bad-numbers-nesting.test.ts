import { describe, expect, test } from 'vitest';
import { http } from './helpers/http';
import { startTestServer, type TestServer, validation } from './helpers/server';

const TWO_TO_63 = '9223372036854775808';

/** `{"a":{"a":…1…}}`, `depth` objects deep, as text (building it as a value would be the test's problem). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

function hogmapsGet(server: TestServer, path: string) {
  return http('GET', `${server.url}/api/projects/${server.projectId}/hogmaps/${path}`, {
    headers: { authorization: `Bearer ${server.apiKey}` },
  });
}

describe('numbers the database cannot hold are a 400, not a 500', () => {
  test.each([
    ['symbol_sets', 'offset'],
    ['symbol_sets', 'limit'],
    ['releases', 'offset'],
    ['releases', 'limit'],
  ])('%s?%s=2^63 names the parameter', async (path, name) => {
    const server = await startTestServer();
    const response = await server.api('GET', `${path}?${name}=${TWO_TO_63}`);
    expect(response.status, response.text).toBe(400);
    expect(response.json).toEqual(
      validation('invalid_input', `Ensure ${name} is at most ${Number.MAX_SAFE_INTEGER}.`, name),
    );
  });

  test('what DRF cannot parse as an integer falls back to the default, as PostHog does', async () => {
    const server = await startTestServer();
    for (const query of ['limit=1e23', 'offset=1e30', 'limit=abc']) {
      const response = await server.api('GET', `releases?${query}`);
      expect(response.status, query).toBe(200);
      expect(response.json.results).toEqual([]);
    }
  });

  test.each(['limit=1e23', 'offset=1e30', `offset=${TWO_TO_63}`, `limit=${TWO_TO_63}`, 'offset=1.5'])(
    'exceptions/?%s is a 400 naming the parameter',
    async (query) => {
      const server = await startTestServer();
      const response = await hogmapsGet(server, `exceptions/?${query}`);
      expect(response.status, response.text).toBe(400);
      expect(response.json).toMatchObject({ type: 'validation_error', attr: query.split('=')[0] });
    },
  );
});

describe('JSON nested 5,000 deep is a 400, and nothing is stored', () => {
  test('release metadata', async () => {
    const server = await startTestServer();
    const body = `{"project":"app","version":"1","metadata":${nested(5000)}}`;
    const response = await server.api('POST', 'releases', {
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status, response.text).toBe(400);
    expect(response.json).toEqual({
      type: 'invalid_request',
      code: 'parse_error',
      detail: 'JSON parse error - JSON nested more than 128 levels deep',
      attr: null,
    });
    expect((await server.api('GET', 'releases')).json.count).toBe(0);
  });

  test('$exception properties', async () => {
    const server = await startTestServer();
    const body = `{"event":"$exception","properties":{"token":"${server.projectToken}","$exception_list":[{"type":"Error","value":"x","stacktrace":{"type":"raw","frames":[${nested(5000)}]}}]}}`;
    const response = await http('POST', `${server.url}/e/`, {
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status, response.text).toBe(400);
    expect(response.json).toMatchObject({ code: 'invalid_payload' });
    expect(response.json.detail).toContain('nested more than 128 levels deep');
    const stored = await hogmapsGet(server, 'exceptions/');
    expect(stored.status).toBe(200);
    expect(stored.json.count).toBe(0);
  });

  test('symbolicate frames', async () => {
    const server = await startTestServer();
    const response = await http(
      'POST',
      `${server.url}/api/projects/${server.projectId}/hogmaps/symbolicate/`,
      {
        body: `{"frames":[${nested(5000)}]}`,
        headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      },
    );
    expect(response.status, response.text).toBe(400);
    expect(response.json.detail).toContain('nested more than 128 levels deep');
  });

  test('128 levels are fine', async () => {
    const server = await startTestServer();
    const response = await server.api('POST', 'releases', {
      body: `{"project":"app","version":"1","metadata":${nested(127)}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status, response.text).toBe(201);
  });
});
