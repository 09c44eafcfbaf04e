import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { type EventServer, getJson, PROJECT_ID, startEventServer, TOKEN } from './helpers/event-server';

/**
 * THE end-to-end check, on the events routes alone: a real esbuild bundle (posthog-js + app code,
 * chunk id injected), its symbol set on the server, an exception thrown by that bundle in real
 * headless Chromium and captured by real posthog-js, and the server resolving the crash frame to
 * the original `throw`. browser-start-server.test.ts runs the same through startServer.
 */

let server: EventServer;
let bundle: AppBundle;
let browser: Browser;

beforeAll(async () => {
  server = await startEventServer();
  bundle = await buildAppBundle('browser-entry.js');
  server.symbolSets.set(`${PROJECT_ID}/${bundle.chunkId}`, bundle.container({ compression: 1 }));
  server.files.set('/assets/app.js', { contentType: 'application/javascript', body: bundle.code });
  const page = (options: Record<string, unknown>) => ({
    contentType: 'text/html',
    body: appPageHtml('/assets/app.js', { token: TOKEN, apiHost: server.url, options }),
  });
  server.files.set('/json.html', page({ ...POSTHOG_TEST_OPTIONS, disable_compression: true }));
  server.files.set('/gzip.html', page(POSTHOG_TEST_OPTIONS));
  const { capture_exceptions: _, ...remoteOnly } = POSTHOG_TEST_OPTIONS;
  server.files.set('/remote.html', page(remoteOnly));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const exceptions = async () =>
  (await getJson(server, `/api/projects/${PROJECT_ID}/hogmaps/exceptions`)).body.results as ExceptionJson[];

function expectCrashFrameAtThrow(exception: ExceptionJson): void {
  const frames = exception.exception_list[0]?.stacktrace.frames ?? [];
  const crash = frames.at(-1);
  expect(crash).toMatchObject({
    platform: 'web:javascript',
    filename: `${server.url}/assets/app.js`,
    chunk_id: bundle.chunkId,
    resolved: true,
    source: '../checkout.ts',
    line: bundle.throwLine - 1,
    resolved_name: 'submitOrder',
    in_app: true,
  });
  expect((crash?.context as { line: { line: string } } | undefined)?.line.line).toContain('throw new Error');
  // The caller is resolved too, to the enclosing function's original name.
  expect(
    frames.some((frame) => frame.resolved_name === 'checkoutAll' && frame.source === '../checkout.ts'),
  ).toBe(true);
}

describe('posthog-js in headless Chromium', () => {
  it('captures a handled and an uncaught exception that resolve to the original throw', async () => {
    const tab = await openApp(browser, `${server.url}/json.html`);
    expect(server.requests.some((r) => /^\/static\/.*exception-autocapture\.js/.test(r.path))).toBe(true);
    await tab.evaluate(() =>
      (globalThis as unknown as TestWindow).hogmapsTest.captureHandled('handled-json'),
    );
    await tab.evaluate(() =>
      (globalThis as unknown as TestWindow).hogmapsTest.throwUncaught('uncaught-json'),
    );

    const handled = await waitForException(exceptions, 'handled-json');
    expect(handled.exception_list[0]?.mechanism.handled).toBe(true);
    expectCrashFrameAtThrow(handled);

    const uncaught = await waitForException(exceptions, 'uncaught-json');
    expect(uncaught.exception_list[0]?.mechanism.handled).toBe(false);
    expectCrashFrameAtThrow(uncaught);

    // The remote config sends posthog-js to /i/v0/e/, as PostHog Cloud does.
    const captures = server.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/i/v0/e/'));
    expect(captures.length).toBeGreaterThan(0);
    expect(captures.every((r) => r.contentType?.startsWith('application/json'))).toBe(true);
    await tab.context().close();
  });

  it('accepts posthog-js gzip bodies (text/plain, no compression parameter)', async () => {
    const tab = await openApp(browser, `${server.url}/gzip.html`);
    await tab.evaluate(() =>
      (globalThis as unknown as TestWindow).hogmapsTest.captureHandled('handled-gzip'),
    );
    expectCrashFrameAtThrow(await waitForException(exceptions, 'handled-gzip'));
    const gzipped = server.requests.filter((r) => r.body?.[0] === 0x1f && r.body[1] === 0x8b);
    expect(gzipped.length).toBeGreaterThan(0);
    expect(gzipped[0]?.contentType).toMatch(/^text\/plain/);
    expect(gzipped[0]?.path).not.toContain('compression=');
    await tab.context().close();
  });

  it('captures uncaught exceptions with no capture_exceptions option, enabled by the remote config', async () => {
    const tab = await openApp(browser, `${server.url}/remote.html`);
    await tab.evaluate(() =>
      (globalThis as unknown as TestWindow).hogmapsTest.throwUncaught('uncaught-remote'),
    );
    const uncaught = await waitForException(exceptions, 'uncaught-remote');
    expect(uncaught.exception_list[0]?.mechanism.handled).toBe(false);
    expectCrashFrameAtThrow(uncaught);
    await tab.context().close();
  });
});
