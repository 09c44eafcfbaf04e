import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../errors';
import { registerSecret } from '../secrets';
import { createHttp } from './http';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
  withRetries,
} from './retry';

const fast = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, maxRetryAfterMs: 50 };

describe('retry policy', () => {
  it('retries timeouts, throttling and server errors only', () => {
    expect([408, 429, 500, 502, 503].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 405, 409, 413].some(isRetryableStatus)).toBe(false);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('uses full jitter under an exponential, capped ceiling', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 500, maxDelayMs: 3000 };
    expect(backoffDelay(0, policy, () => 0.999)).toBe(499);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(1000);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(2997);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('honours Retry-After over backoff, capped', () => {
    expect(retryDelay(0, DEFAULT_RETRY_POLICY, 2000)).toBe(2000);
    expect(retryDelay(0, DEFAULT_RETRY_POLICY, 3_600_000)).toBe(DEFAULT_RETRY_POLICY.maxRetryAfterMs);
  });

  it('stops after the configured retries and on non-retryable errors', async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new Error('x'));
    };
    await expect(withRetries(failing, { policy: fast, classify: () => ({ retry: true }) })).rejects.toThrow(
      'x',
    );
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetries(failing, { policy: fast, classify: () => ({ retry: false }) })).rejects.toThrow(
      'x',
    );
    expect(calls).toBe(1);
  });
});

describe('http transport retries (MockAgent)', () => {
  const agents: MockAgent[] = [];
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.close()));
  });

  function mock() {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agents.push(agent);
    return { agent, pool: agent.get('http://api.test') };
  }

  it('retries 500 and 429 (waiting Retry-After), rebuilding the body per attempt', async () => {
    const { agent, pool } = mock();
    const bodies: string[] = [];
    const record = (opts: { body?: unknown }) => {
      bodies.push(String(opts.body));
      return '';
    };
    pool.intercept({ path: '/x', method: 'POST' }).reply(500, record);
    pool.intercept({ path: '/x', method: 'POST' }).reply(429, record, { headers: { 'retry-after': '0.04' } });
    pool.intercept({ path: '/x', method: 'POST' }).reply(201, '{"ok":true}');
    let built = 0;
    const http = createHttp({
      dispatcherFor: async () => agent,
      policy: fast,
      timeout: 1000,
      requestTimeout: 60_000,
    });
    const started = Date.now();
    const response = await http.request({
      method: 'POST',
      url: new URL('http://api.test/x'),
      body: () => `attempt ${++built}`,
    });
    expect(response.status).toBe(201);
    expect(bodies).toEqual(['attempt 1', 'attempt 2']);
    expect(built).toBe(3);
    expect(http.attempts).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('never retries other 4xx and maps the error body', async () => {
    const { agent, pool } = mock();
    pool.intercept({ path: '/x', method: 'POST' }).reply(400, {
      type: 'validation_error',
      code: 'content_hash_mismatch',
      detail: 'Symbol set abc already exists with different content.',
      attr: null,
    });
    const http = createHttp({
      dispatcherFor: async () => agent,
      policy: fast,
      timeout: 1000,
      requestTimeout: 60_000,
    });
    const error = await http.request({ method: 'POST', url: new URL('http://api.test/x') }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      apiCode: 'content_hash_mismatch',
      attr: null,
      retryable: false,
    });
    expect(http.attempts).toBe(1);
  });

  it('gives up after retries on persistent 503 and on network errors', async () => {
    const { agent, pool } = mock();
    pool.intercept({ path: '/x', method: 'GET' }).reply(503, 'down').times(3);
    pool.intercept({ path: '/y', method: 'GET' }).replyWithError(new Error('socket hang up')).times(2);
    const http = createHttp({
      dispatcherFor: async () => agent,
      policy: fast,
      timeout: 1000,
      requestTimeout: 60_000,
    });
    await expect(http.request({ method: 'GET', url: new URL('http://api.test/x') })).rejects.toMatchObject({
      status: 503,
      detail: 'down',
    });
    expect(http.attempts).toBe(3);
    const error = await http
      .request({ method: 'GET', url: new URL('http://api.test/y'), retries: 1 })
      .catch((e) => e);
    expect(error).toMatchObject({ status: 0, retryable: true });
    expect(error.message).toMatch(/GET http:\/\/api.test\/y failed: socket hang up/);
    expect(http.attempts).toBe(5);
  });

  it('masks the secret in logged lines and error details', async () => {
    const { agent, pool } = mock();
    const secret = 'phx_abcdefghijklmnopqrstuvwxyz';
    registerSecret(secret, 'api-key');
    pool.intercept({ path: '/x', method: 'GET' }).reply(500, { detail: `bad key ${secret}` });
    pool.intercept({ path: '/x', method: 'GET' }).reply(401, { detail: `bad key ${secret}` });
    const lines: string[] = [];
    const logger = {
      level: 'debug' as const,
      debug: (m: string) => lines.push(m),
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
      child: () => logger,
    };
    const http = createHttp({
      dispatcherFor: async () => agent,
      policy: fast,
      timeout: 1000,
      requestTimeout: 60_000,
      logger,
    });
    const error = await http.request({ method: 'GET', url: new URL('http://api.test/x') }).catch((e) => e);
    expect(error.detail).toBe('bad key phx_…wxyz');
    expect(error.message).not.toContain(secret);
    expect(lines.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).toContain('phx_…wxyz');
  });
});
