import { randomUUID } from 'node:crypto';
import { createLogger, createPostHogClient, type PostHogClient, uploadSymbolSets } from '@hogmaps/core';
import type { RunningServer } from '@hogmaps/server';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { startTempServer } from '../harness/temp-server';

// Item 7 of issue #11: object storage refusing a presigned POST (403 AccessDenied) is retried as
// PostHog's CLI does, then a fresh presigned POST is asked for once before the chunk fails.
let server: RunningServer;
let client: PostHogClient;
let lines: string[];

beforeAll(async () => {
  server = await startTempServer('storage-retry');
});
afterEach(async () => {
  server.faults.clear();
  await client?.close();
});
afterAll(async () => {
  await server.close();
});

function newClient(): PostHogClient {
  lines = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
  client = createPostHogClient({
    host: server.url,
    projectId: server.projectId,
    apiKey: server.apiKey,
    retryBaseDelayMs: 1,
    logger,
  });
  return client;
}

function chunk() {
  const chunkId = randomUUID();
  return {
    chunkId,
    fileName: `${chunkId}.js`,
    load: async () => ({
      minified: `f();\n//# chunkId=${chunkId}\n`,
      map: JSON.stringify({ version: 3, sources: ['f.ts'], names: [], mappings: 'AAAA' }),
    }),
  };
}

function storageRejects(times: number) {
  return server.faults.add({ match: { target: 'storage' }, action: { storageReject: 403 }, times });
}

/** Counts bulk_start_upload requests (a zero delay changes nothing else). */
function countStarts() {
  return server.faults.add({ match: { path: 'bulk_start_upload' }, action: { delayMs: 0 }, times: 1000 });
}

test('one 403 AccessDenied from storage is retried, and the set is uploaded', async () => {
  const rule = storageRejects(1);
  const input = chunk();
  const summary = await uploadSymbolSets(newClient(), [input], {});
  expect(summary.failed).toEqual([]);
  expect(summary.uploaded).toEqual([input.chunkId]);
  expect(rule.hits).toBe(1);
  // A retry is routine: at debug level, never a warning.
  expect(lines.filter((line) => /warn|error/i.test(line.slice(0, 20)))).toEqual([]);
});

test('when every attempt is refused, a fresh presigned POST is asked for once, and then it works', async () => {
  // Three attempts (retries: 2) on the first presigned POST, all refused.
  const rule = storageRejects(3);
  const starts = countStarts();
  const input = chunk();
  const summary = await uploadSymbolSets(newClient(), [input], {});
  expect(summary.uploaded).toEqual([input.chunkId]);
  expect(rule.hits).toBe(3);
  expect(starts.hits).toBe(2);
});

test('a storage that keeps refusing fails the chunk once, with what storage said', async () => {
  const rule = storageRejects(100);
  const starts = countStarts();
  const input = chunk();
  const summary = await uploadSymbolSets(newClient(), [input], {});
  expect(summary.uploaded).toEqual([]);
  expect(summary.failed).toHaveLength(1);
  expect(summary.failed[0]?.error).toMatch(/403.*AccessDenied/);
  // Three attempts on each of the two presigned POSTs, no more.
  expect(rule.hits).toBe(6);
  expect(starts.hits).toBe(2);
});
