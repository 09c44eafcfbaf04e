// Throwing in the deployed app (client code in headless Chromium with posthog-js, server code reported by
// posthog-node) and reading back how the local server symbolicated the stack traces.
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import {
  type ExceptionJson,
  type FrameJson,
  type LocalServer,
  waitForExceptions,
} from '../../test/harness/local-server';

/**
 * Opens `url`, waits until posthog-js installed exception autocapture (it wraps `window.onerror` once its
 * script loaded from the server's `/static/`), clicks `selector` (a handler that throws, uncaught), and
 * waits for the exception whose message contains `message`.
 */
export async function throwInBrowser(options: {
  browser: Browser;
  local: LocalServer;
  url: string;
  selector: string;
  message: string;
}): Promise<ExceptionJson> {
  const context = await options.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(options.url);
    await page.waitForSelector(options.selector);
    await page.waitForFunction(() => typeof window.onerror === 'function', null, { timeout: 20_000 });
    await page.click(options.selector);
    return await exceptionWith(options.local, options.message);
  } finally {
    await context.close();
  }
}

/** Requests `url` (whose server code throws and reports with posthog-node); waits for the exception. */
export async function throwOnServer(options: {
  local: LocalServer;
  url: string;
  message: string;
}): Promise<ExceptionJson> {
  const response = await fetch(options.url);
  expect(response.status, options.url).toBeGreaterThanOrEqual(500);
  return exceptionWith(options.local, options.message);
}

async function exceptionWith(local: LocalServer, message: string): Promise<ExceptionJson> {
  const [exception] = await waitForExceptions(local, 1, (candidate) =>
    candidate.exception_list.some((entry) => entry.value.includes(message)),
  );
  return exception!;
}

/** The frames of the exception entry whose message contains `message`, crash site (sent last) first. */
export function framesOf(exception: ExceptionJson, message: string): FrameJson[] {
  const entry = exception.exception_list.find((candidate) => candidate.value.includes(message));
  return (entry?.stacktrace?.frames ?? []).filter((frame) => frame.lineno !== undefined).reverse();
}

/**
 * The exception's top frame (the `throw`) was symbolicated by the server to `source` (a path suffix such
 * as `src/routes/checkout/+page.svelte`) and `line` (1-based, as an editor counts; the server reports
 * PostHog's 0-based line); and the SDK sent the release id the build injected.
 */
export function expectThrowResolved(
  exception: ExceptionJson,
  expected: { message: string; source: string; line: number; platform: string; releaseId: string },
): FrameJson {
  expect(exception.properties.$release_id, 'the release id the build injected').toBe(expected.releaseId);
  const top = framesOf(exception, expected.message)[0];
  expect(top, JSON.stringify(exception.exception_list)).toMatchObject({
    platform: expected.platform,
    resolved: true,
  });
  expect(top?.chunk_id, 'the frame carries its chunk id').toMatch(/^[0-9a-f-]{36}$/);
  expect(`/${top?.source}`).toMatch(new RegExp(`/${expected.source.replace(/[.+$^()[\]]/g, '\\$&')}$`));
  expect(top?.line, `${expected.source} line (0-based)`).toBe(expected.line - 1);
  return top!;
}
