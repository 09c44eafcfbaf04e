import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Manifest } from '@hogmaps/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertAdaptersBuilt,
  buildExample,
  EXAMPLES_DIR,
  lineOf,
  listFiles,
  readBuildManifest,
} from './harness/examples';
import { type LocalServer, startLocalServer, waitForExceptions } from './harness/local-server';

/**
 * The Node loop: examples/node-service bundled by esbuild with hogmaps, run by Node, its errors
 * reported by real posthog-node, and their frames resolved by the local server.
 */

const appDir = path.join(EXAMPLES_DIR, 'node-service');
const outDir = path.join(appDir, 'dist');
const throwFile = path.join(appDir, 'src/orders/line-total.ts');
const THROW_MARKER = 'throw new RangeError';

let local: LocalServer;
let manifest: Manifest;
let service: ChildProcess | undefined;

beforeAll(async () => {
  assertAdaptersBuilt(['esbuild']);
  local = await startLocalServer();
  await buildExample('node-service', local.env);
  manifest = await readBuildManifest(outDir);
});

afterAll(async () => {
  if (service?.exitCode === null) service.kill();
  await local?.close();
});

/** Starts the built service on a free port and resolves with its URL. */
function startService(): Promise<{ url: string; exited: Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, ['dist/server.mjs'], {
    cwd: appDir,
    env: { ...local.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  service = child;
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node-service did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, exited, output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`node-service exited (${code}) before listening:\n${output}`)),
    );
  });
}

describe('node-service with posthog-node', () => {
  it('injects the bundle and uploads its symbol set', async () => {
    expect(manifest.release).toMatchObject({ name: 'example-node-service' });
    expect(manifest.chunks.map((chunk) => chunk.file)).toEqual(['server.mjs']);
    const [chunk] = manifest.chunks;
    expect(chunk?.status).toBe('uploaded');
    expect(readFileSync(path.join(outDir, 'server.mjs'), 'utf8').trimEnd()).toMatch(
      new RegExp(`//# chunkId=${chunk?.chunkId}$`),
    );
    expect(await local.uploadedChunkIds()).toEqual([chunk?.chunkId]);
    expect(listFiles(outDir).filter((file) => file.endsWith('.map'))).toEqual([]);
  });

  it('reports a handled and an uncaught exception whose frames carry the uploaded id and resolve to the throw', async () => {
    const running = await startService();
    const invoice = await fetch(`${running.url}/orders/1002/invoice`);
    expect(invoice.status).toBe(500);
    const job = await fetch(`${running.url}/jobs/nightly-invoices`);
    expect(job.status).toBe(202);
    // posthog-node reports the uncaught exception, flushes, and ends the process with code 1.
    expect(await running.exited).toBe(1);

    const exceptions = await waitForExceptions(local, 2);
    const handled = exceptions.find((e) => e.exception_list[0]?.mechanism.handled === true);
    const uncaught = exceptions.find((e) => e.exception_list[0]?.mechanism.handled === false);
    expect(handled, 'the handled exception').toBeDefined();
    expect(uncaught, 'the uncaught exception').toBeDefined();

    const chunkId = manifest.chunks[0]?.chunkId;
    for (const exception of [handled, uncaught]) {
      const [error] = exception?.exception_list ?? [];
      expect(error?.value).toMatch(/Order 1002: quantity of TEE-07 must be a positive integer/);
      expect(exception?.properties.$release_id).toBe(manifest.release?.id);
      const frames = error?.stacktrace?.frames ?? [];
      const bundleFrames = frames.filter((frame) => frame.filename.endsWith('server.mjs'));
      expect(bundleFrames.length).toBeGreaterThan(0);
      for (const frame of bundleFrames) expect(frame.chunk_id).toBe(chunkId);

      const top = frames.at(-1);
      expect(top).toMatchObject({ platform: 'node:javascript', chunk_id: chunkId, resolved: true });
      expect(top?.source).toMatch(/(^|\/)src\/orders\/line-total\.ts$/);
      expect(top?.line).toBe(lineOf(throwFile, THROW_MARKER) - 1); // 0-based, as PostHog reports it
      expect(top?.resolved_name).toBe('lineTotal');
      expect(top?.context?.line.line).toContain(THROW_MARKER);
    }
  });
});
