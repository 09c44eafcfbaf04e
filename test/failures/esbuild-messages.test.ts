import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunningServer } from '@hogmaps/server';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTempServer } from '../harness/temp-server';
import { buildInSubprocess, writeSmallApp } from './harness';

let server: RunningServer;

beforeAll(async () => {
  server = await startTempServer('esbuild-messages');
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.faults.clear();
});

function credentials() {
  const { id } = server.admin.createProject({ name: 'esbuild-messages' });
  const { key } = server.admin.createApiKey({ projectIds: [id], scopes: ['*'] });
  return { host: server.url, projectId: id, personalApiKey: key, retries: 0 };
}

// esbuild's JS API never prints the warnings and errors a plugin returns from onEnd: hogmaps prints
// its own, so an esbuild build shows the same messages as every other bundler.
describe('an esbuild build script shows what hogmaps says', () => {
  test('the no-credentials warning', async () => {
    const root = await writeSmallApp(randomUUID());
    const result = await buildInSubprocess(root, {});
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('[hogmaps] warning: no PostHog credentials');
  });

  test('a chunk whose upload failed, and the summary', async () => {
    server.faults.add({ match: { target: 'storage' }, action: { status: 500 }, times: 100 });
    const root = await writeSmallApp(randomUUID());
    const result = await buildInSubprocess(root, credentials());
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\[hogmaps\] error: .*main\.js.*HTTP 500/);
    expect(result.stderr).toMatch(/\[hogmaps\] release failures-app@1\.0\.0: 2 chunks with ids, .*2 failed/);
    // The manifest says the same, for `hogmaps upload --manifest`.
    const manifest = JSON.parse(await readFile(path.join(root, 'dist', 'hogmaps-manifest.json'), 'utf8'));
    expect(manifest.chunks.map((chunk: { status: string }) => chunk.status)).toEqual(['failed', 'failed']);
  });

  test('failOnError fails the build script with the reason on stderr', async () => {
    server.faults.add({ match: { target: 'storage' }, action: { status: 500 }, times: 100 });
    const root = await writeSmallApp(randomUUID());
    const result = await buildInSubprocess(root, { ...credentials(), failOnError: true });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('[hogmaps] error: hogmaps upload failed for 2 symbol sets');
  });
});
