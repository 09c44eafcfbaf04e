import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openCheckout } from './harness/browser';
import { assertAdaptersBuilt, EXAMPLES_DIR, lineOf, REPO_DIR, runExampleScript } from './harness/examples';
import { type LocalServer, startLocalServer, waitForExceptions } from './harness/local-server';
import { type StaticServer, serveStatic } from './harness/static-server';

/**
 * The error inbox in a real browser: vite-app built with @hogmaps/vite against the local server
 * (into its own folder inside the app, so this file never races the other e2e files over
 * examples/vite-app/dist, and the maps name the sources with paths relative to the app),
 * its uncaught error reported by real posthog-js from headless Chromium, then found, opened and
 * read in the inbox, which updates itself when the error happens again.
 */

/** Screenshots of the inbox, kept as test artifacts (gitignored). */
export const ARTIFACTS_DIR = path.join(REPO_DIR, 'e2e', 'artifacts');

const THROW_FILE = path.join(EXAMPLES_DIR, 'vite-app', 'src/features/cart/pricing.ts');
const THROW_MARKER = 'throw new RangeError';
const XSS_MESSAGE = `<img src=x onerror="window.__xss=1;document.title='pwned'"><script>window.__xss=2</script>`;

let local: LocalServer;
let outDir: string;
let site: StaticServer;
let browser: Browser;
let app: Page;
let inbox: Page;

beforeAll(async () => {
  assertAdaptersBuilt(['vite']);
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  local = await startLocalServer();
  outDir = path.join(EXAMPLES_DIR, 'vite-app', 'node_modules', '.cache', 'hogmaps-inbox-e2e');
  await runExampleScript('vite-app', 'build', local.env, ['--outDir', outDir, '--emptyOutDir']);
  site = await serveStatic(outDir);
  browser = await launchChromium();
  app = await openCheckout(browser, site.url);
  inbox = await (await browser.newContext({ viewport: { width: 1200, height: 820 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await local?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** The page from its top to the bottom of `selector`, full width. */
async function clipTo(page: Page, selector: string) {
  const box = await page.locator(selector).boundingBox();
  const width = page.viewportSize()?.width ?? 1200;
  return { x: 0, y: 0, width, height: Math.ceil((box?.y ?? 0) + (box?.height ?? 600) + 24) };
}

/** The issue row whose title contains `text`. */
const issueRow = (text: string) => inbox.locator('li.issue', { hasText: text });

describe('the error inbox', () => {
  it('lists the issue, opens it on the symbolicated frame and highlights the throwing line', async () => {
    await app.click('#pay-unhandled');
    await waitForExceptions(local, 1);

    await inbox.goto(local.server.inboxUrl);
    const row = issueRow('RangeError');
    await row.waitFor();
    await expect.poll(() => row.locator('.count').textContent()).toBe('1');
    expect(await row.locator('.issue-title').textContent()).toMatch(
      /^RangeError: Cart cart-1042: quantity of TEE-07 must be positive, got -1$/,
    );
    expect(await row.locator('.issue-frame').textContent()).toContain(
      'priceCart in src/features/cart/pricing.ts',
    );
    expect(await row.locator('.release').textContent()).toMatch(/^example-vite-app@/);

    await row.locator('a.issue-title').click();
    await inbox.waitForURL(/\/issues\/[0-9a-f]{32}$/);
    const top = inbox.locator('.frames > li').first();
    await top.waitFor();
    const line = lineOf(THROW_FILE, THROW_MARKER);
    expect(await top.locator('.fn').textContent()).toBe('priceCart');
    expect(await top.locator('.loc').textContent()).toMatch(
      new RegExp(`^src/features/cart/pricing\\.ts:${line}:\\d+$`),
    );
    const highlighted = top.locator('.context .src-line.hl');
    expect(await highlighted.count()).toBe(1);
    expect(await highlighted.locator('.ln').textContent()).toBe(String(line));
    expect(await highlighted.locator('code').textContent()).toContain(THROW_MARKER);
    // The caller resolves too, and the event says where it came from.
    expect(await inbox.locator('.frames > li .fn').allTextContents()).toContain('submitOrder');
    expect(await inbox.locator('.properties dd').allTextContents()).toContain(`${site.url}/#/checkout`);
    await inbox.screenshot({
      path: path.join(ARTIFACTS_DIR, 'inbox-issue.png'),
      clip: await clipTo(inbox, '.trace'),
    });

    // As shipped: the minified file, its position and chunk id.
    await inbox.click('button:has-text("As shipped")');
    const shipped = inbox.locator('.frames.shipped > li').first();
    expect(await shipped.locator('.loc').textContent()).toMatch(
      new RegExp(`^${site.url}/assets/checkout-[\\w-]+\\.js:\\d+:\\d+$`),
    );
    expect(await shipped.locator('.chunk code').textContent()).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts a second throw of the same error without a reload', async () => {
    await inbox.goto(local.server.inboxUrl);
    const row = issueRow('RangeError');
    await expect.poll(() => row.locator('.count').textContent()).toBe('1');
    await inbox.waitForSelector('#live[data-state="live"]');
    await inbox.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    await app.click('#pay-unhandled');
    await expect.poll(() => row.locator('.count').textContent(), { timeout: 30_000 }).toBe('2');
    expect(await inbox.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    expect(await inbox.locator('li.issue').count()).toBe(1);
    await inbox.screenshot({
      path: path.join(ARTIFACTS_DIR, 'inbox-issues.png'),
      clip: await clipTo(inbox, '#issues'),
    });
  });

  it('shows a message with markup as text and runs nothing from it', async () => {
    await inbox.goto(local.server.inboxUrl);
    await inbox.waitForSelector('#live[data-state="live"]');
    const violations: string[] = [];
    inbox.on('console', (message) => violations.push(message.text()));
    await app.evaluate((text) => {
      setTimeout(() => {
        throw new Error(text);
      });
    }, XSS_MESSAGE);

    const row = issueRow('onerror=');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('.issue-title').textContent()).toBe(`Error: ${XSS_MESSAGE}`);
    await row.locator('a.issue-title').click();
    await inbox.waitForURL(/\/issues\//);
    await inbox.locator('.issue-heading').waitFor();
    expect(await inbox.locator('.issue-heading').textContent()).toBe(`Error: ${XSS_MESSAGE}`);
    expect(await inbox.locator('.events td[data-label="Message"]').first().textContent()).toBe(XSS_MESSAGE);

    expect(await inbox.locator('main img, main script').count()).toBe(0);
    expect(await inbox.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await inbox.title()).not.toBe('pwned');
    expect(violations.filter((text) => /Content.Security.Policy|Trusted Type/i.test(text))).toEqual([]);
  });
});
