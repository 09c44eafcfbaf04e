import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { RunningServer, StartServerOptions } from '../../src/index';
import { startServer } from '../../src/index';
import { type HttpOptions, type HttpResponse, http } from './http';
import { multipartHeaders, presignedForm } from './multipart';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hogmaps-server-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A movable clock: tests jump ahead to expire presigned URLs. */
export function testClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let now = start;
  const clock = () => now;
  return Object.assign(clock, {
    advance(ms: number) {
      now += ms;
    },
  });
}

export interface TestServer extends RunningServer {
  /** API call on this server's project (path relative to `/api/projects/:id/error_tracking/`). */
  api(
    method: string,
    path: string,
    options?: HttpOptions & { key?: string; projectId?: number },
  ): Promise<HttpResponse>;
}

/** Starts a quiet server on a free port in a fresh data folder; stopped after the test. */
export async function startTestServer(options: StartServerOptions = {}): Promise<TestServer> {
  const server = await startServer({ quiet: true, port: 0, dataDir: tempDataDir(), ...options });
  cleanups.push(() => server.close()); // close() is idempotent, so tests may close early
  return Object.assign(server, {
    api(method: string, path: string, options: HttpOptions & { key?: string; projectId?: number } = {}) {
      const { key = server.apiKey, projectId = server.projectId, ...rest } = options;
      const url = `${server.url}/api/projects/${projectId}/error_tracking/${path}`;
      return http(method, url, { ...rest, headers: { authorization: `Bearer ${key}`, ...rest.headers } });
    },
  });
}

/** A presigned POST upload as the CLI sends it. */
export function uploadToPresigned(
  presigned: { url: string; fields: Record<string, string> },
  file: Buffer,
  filename = 'file',
): Promise<HttpResponse> {
  const body = presignedForm(presigned.fields, file, filename);
  return http('POST', presigned.url, { body, headers: multipartHeaders(body) });
}

export const NOT_FOUND = { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null };

export function validation(code: string, detail: string, attr: string | null = null) {
  return { type: 'validation_error', code, detail, attr };
}
