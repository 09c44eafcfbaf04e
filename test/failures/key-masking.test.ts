import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunningServer } from '@hogmaps/server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTempServer } from '../harness/temp-server';
import { buildInSubprocess, writeSmallApp } from './harness';

let server: RunningServer;

beforeAll(async () => {
  server = await startTempServer('key-masking');
});
afterAll(async () => {
  await server.close();
});

test('a server that echoes the key in `code`, `attr` and an S3 <Code> never gets it into the build log or the manifest', async () => {
  const { id } = server.admin.createProject({ name: 'key-masking' });
  const { key } = server.admin.createApiKey({ projectIds: [id], scopes: ['*'] });
  const masked = `phx_…${key.slice(-4)}`;
  // The first batch's start is refused with the key in every field; the second batch's storage
  // upload is refused with the key in S3's XML.
  server.faults.add({
    match: { path: 'bulk_start_upload' },
    action: { status: 400, body: { type: 'validation_error', code: key, detail: `bad ${key}`, attr: key } },
    times: 1,
  });
  server.faults.add({
    match: { target: 'storage' },
    action: {
      status: 403,
      body: `<?xml version="1.0"?><Error><Code>${key}</Code><Message>no ${key}</Message></Error>`,
    },
    times: 100,
  });
  const root = await writeSmallApp(randomUUID());
  const result = await buildInSubprocess(root, {
    host: server.url,
    projectId: id,
    personalApiKey: key,
    retries: 0,
    logLevel: 'debug',
    sourcemaps: { batchSize: 1 },
  });

  expect(result.code).toBe(0);
  const output = result.stdout + result.stderr;
  expect(output).not.toContain(key);
  // Both failures are reported, with the echoed values masked.
  expect(result.stderr).toContain(`(${masked} on ${masked}): bad ${masked}`);
  expect(result.stderr).toContain(`HTTP 403 (${masked}): no ${masked}`);
  const manifest = await readFile(path.join(root, 'dist', 'hogmaps-manifest.json'), 'utf8');
  expect(manifest).not.toContain(key);
  expect(manifest).toContain(masked);
});
