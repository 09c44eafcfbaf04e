import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/index';
import { type AppBundle, buildAppBundle } from '../symbolication/helpers/bundle';
import {
  appPageHtml,
  type ExceptionJson,
  launchChromium,
  openApp,
  POSTHOG_TEST_OPTIONS,
  type TestWindow,
  waitForException,
} from './helpers/browser';

/**
 * THE end-to-end check through the whole local server: a real esbuild bundle with an injected chunk
 * id, its symbol set uploaded through startServer's real HTTP API (bulk_start_upload → presigned
 * POST → bulk_finish_upload), the app served from another origin and run in headless Chromium with
 * real posthog-js reporting to startServer, and the crash frame resolved to the original `throw`.
 */

let server: RunningServer;
let site: Server;
let siteUrl: string;
let dataDir: string;
let bundle: AppBundle;
let browser: Browser;

async function api(
  method: string,
  apiPath: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary response JSON
): Promise<{ status: number; json: any }> {
  const response = await fetch(`${server.url}/api/projects/${server.projectId}${apiPath}`, {
    method,
    headers: { Authorization: `Bearer ${server.apiKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

/** Uploads a container the way posthog-cli does. */
async function uploadSymbolSet(chunkId: string, container: Buffer): Promise<void> {
  const contentHash = createHash('sha512').update(container).digest('hex');
  const start = await api('POST', '/error_tracking/symbol_sets/bulk_start_upload', {
    symbol_sets: [{ chunk_id: chunkId, release_id: null, content_hash: contentHash }],
    force: false,
    skip_on_conflict: false,
  });
  expect(start.status).toBe(201);
  const { presigned_url: presigned, symbol_set_id: symbolSetId } = start.json.id_map[chunkId];
  const form = new FormData();
  for (const [name, value] of Object.entries(presigned.fields as Record<string, string>))
    form.append(name, value);
  form.append('file', new Blob([container]), 'file');
  const put = await fetch(presigned.url, { method: 'POST', body: form });
  expect(put.status).toBeGreaterThanOrEqual(200);
  expect(put.status).toBeLessThan(300);
  const finish = await api('POST', '/error_tracking/symbol_sets/bulk_finish_upload', {
    content_hashes: { [symbolSetId]: contentHash },
  });
  expect(finish.status).toBe(201);
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'hogmaps-e2e-'));
  server = await startServer({ dataDir, quiet: true });
  bundle = await buildAppBundle('browser-entry.js');
  await uploadSymbolSet(bundle.chunkId, bundle.container({ compression: 1 }));

  // The app lives on its own origin, so posthog-js talks to the server cross-origin.
  const html = appPageHtml('/assets/app.js', {
    token: server.projectToken,
    apiHost: server.url,
    options: { ...POSTHOG_TEST_OPTIONS, disable_compression: true },
  });
  site = createServer((req, res) => {
    if (req.url === '/assets/app.js')
      res.writeHead(200, { 'Content-Type': 'application/javascript' }).end(bundle.code);
    else if (req.url === '/') res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (site) await new Promise((resolve) => site.close(resolve));
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const exceptions = async () => (await api('GET', '/hogmaps/exceptions')).json.results as ExceptionJson[];

describe('startServer with posthog-js in headless Chromium', () => {
  it('resolves handled and uncaught exceptions to the original throw with the uploaded symbol set', async () => {
    const tab = await openApp(browser, `${siteUrl}/`);
    await tab.evaluate(() => (globalThis as unknown as TestWindow).hogmapsTest.captureHandled('e2e-handled'));
    await tab.evaluate(() => (globalThis as unknown as TestWindow).hogmapsTest.throwUncaught('e2e-uncaught'));
    for (const [marker, handled] of [
      ['e2e-handled', true],
      ['e2e-uncaught', false],
    ] as const) {
      const exception = await waitForException(exceptions, marker);
      expect(exception.exception_list[0]?.mechanism.handled).toBe(handled);
      const crash = exception.exception_list[0]?.stacktrace.frames.at(-1);
      expect(crash).toMatchObject({
        filename: `${siteUrl}/assets/app.js`,
        chunk_id: bundle.chunkId,
        resolved: true,
        source: '../checkout.ts',
        line: bundle.throwLine - 1,
        resolved_name: 'submitOrder',
        in_app: true,
      });
      expect((crash?.context as { line: { line: string } } | undefined)?.line.line).toContain(
        'throw new Error',
      );
    }
    await tab.context().close();
  });
});
