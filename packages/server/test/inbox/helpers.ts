import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { type HttpResponse, http } from '../helpers/http';
import type { TestServer } from '../helpers/server';

/** One `$exception` event as posthog-js sends it (first exception of the list only). */
export function exceptionEvent(options: {
  token: string;
  type?: string;
  value: string;
  frames: unknown[];
  timestamp?: string;
  properties?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    event: '$exception',
    uuid: randomUUID(),
    distinct_id: 'user-7',
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
    properties: {
      token: options.token,
      $lib: 'web',
      $browser: 'Chrome',
      $browser_version: 140,
      $os: 'Linux',
      $current_url: 'http://127.0.0.1:5173/#/checkout',
      ...options.properties,
      $exception_list: [
        {
          type: options.type ?? 'Error',
          value: options.value,
          mechanism: { handled: true, synthetic: false },
          stacktrace: { type: 'raw', frames: options.frames },
        },
      ],
    },
  };
}

/** Sends events through the capture endpoint, as an SDK does. */
export async function capture(server: TestServer, ...events: Record<string, unknown>[]): Promise<void> {
  const response = await http('POST', `${server.url}/batch/`, {
    body: { api_key: server.projectToken, batch: events },
  });
  expect(response.status, response.text).toBe(200);
}

/** GET on the inbox (path with its leading slash), optionally with a session cookie. */
export function inboxGet(server: TestServer, path: string, cookie?: string): Promise<HttpResponse> {
  return http('GET', `${server.url}${path}`, cookie ? { headers: { cookie } } : {});
}

/** Logs in through the form; returns the `name=value` of the session cookie and the raw answer. */
export async function login(
  server: TestServer,
  key: string,
  headers: Record<string, string> = {},
): Promise<{ response: HttpResponse; cookie: string | undefined }> {
  const response = await http('POST', `${server.url}/inbox/login`, {
    body: new URLSearchParams({ key, next: '/releases' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
  const setCookie = response.headers['set-cookie']?.[0];
  return { response, cookie: setCookie?.split(';')[0] };
}
