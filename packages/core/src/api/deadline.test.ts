import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../errors';
import { createPostHogClient, type PostHogClient } from './client';
import { DEFAULT_RETRY_POLICY, retryDelay } from './retry';

// Item 9 of issue #11: `timeout` only limits silence, so a server trickling a byte now and then held
// a build for as long as it liked; `requestTimeout` limits each attempt in all.
const servers: Server[] = [];
const clients: PostHogClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Answers 200 at once, then sends one byte of the body every 100 ms, never finishing. */
async function trickleServer(): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((_request, response) => {
    requests++;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{');
    const timer = setInterval(() => response.write(' '), 100);
    response.on('close', () => clearInterval(timer));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

describe('deadlines', () => {
  it('a request that trickles past requestTimeout fails (and is retried) though it is never idle', async () => {
    const server = await trickleServer();
    const client = createPostHogClient({
      host: server.url,
      projectId: '1',
      apiKey: 'phx_deadline_test_key',
      timeout: 2000,
      requestTimeout: 1500,
      retries: 1,
      retryBaseDelayMs: 1,
    });
    clients.push(client);
    const error = await client.releases.getByHash('abc').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toMatch(/did not complete within 1\.5 s \(requestTimeout\)/);
    expect(server.requests()).toBe(2);
  });

  it('rejects a requestTimeout that is not a non-negative integer', () => {
    expect(() =>
      createPostHogClient({
        host: 'http://127.0.0.1:1',
        projectId: '1',
        apiKey: 'phx_x',
        requestTimeout: -1,
      }),
    ).toThrow(/requestTimeout/);
  });

  it('by default a Retry-After of an hour waits 10 s, not a minute', () => {
    expect(retryDelay(0, DEFAULT_RETRY_POLICY, 3_600_000)).toBe(10_000);
  });
});
