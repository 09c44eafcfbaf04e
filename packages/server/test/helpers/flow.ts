import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { TestServer } from './server';
import { uploadToPresigned } from './server';

export function sha512(bytes: Buffer | string): string {
  return createHash('sha512').update(bytes).digest('hex');
}

/** Some bytes standing in for a symbol-set container (the API never opens them). */
export function fakeContainer(label: string, size = 64): Buffer {
  return Buffer.concat([Buffer.from(`posthog_error_tracking:${label}:`), Buffer.alloc(size, label)]);
}

/** The whole current flow for one set: start, presigned POST, finish. Returns the symbol set id. */
export async function uploadSymbolSet(
  server: TestServer,
  chunkId: string,
  bytes: Buffer,
  options: { releaseId?: string | null; projectId?: number; key?: string } = {},
): Promise<string> {
  const { releaseId = null, ...call } = options;
  const start = await server.api('POST', 'symbol_sets/bulk_start_upload', {
    ...call,
    body: { symbol_sets: [{ chunk_id: chunkId, release_id: releaseId, content_hash: sha512(bytes) }] },
  });
  expect(start.status, start.text).toBe(201);
  const entry = start.json.id_map[chunkId];
  const upload = await uploadToPresigned(entry.presigned_url, bytes);
  expect(upload.status, upload.text).toBe(204);
  const finish = await server.api('POST', 'symbol_sets/bulk_finish_upload', {
    ...call,
    body: { content_hashes: { [entry.symbol_set_id]: sha512(bytes) } },
  });
  expect(finish.status, finish.text).toBe(201);
  return entry.symbol_set_id;
}

export async function createRelease(
  server: TestServer,
  body: Record<string, unknown> = { project: 'my-app', version: '1.0.0' },
  options: { projectId?: number; key?: string } = {},
): Promise<{ id: string; hash_id: string }> {
  const response = await server.api('POST', 'releases', { ...options, body });
  expect(response.status, response.text).toBe(201);
  return response.json;
}
