import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../events/helpers/browser';
import { createRelease, uploadSymbolSet } from '../helpers/flow';
import { startTestServer, type TestServer } from '../helpers/server';
import { encodeContainer } from '../symbolication/helpers/container';
import { capture, exceptionEvent } from './helpers';

/**
 * The inbox's pages in headless Chromium, fed over HTTP: an event whose every field is markup (what
 * an attacker who can send events controls), and the login form when login is required.
 * e2e/test/inbox.test.ts runs the inbox against a real app.
 */

const PAYLOAD = (n: number) => `<img src=x onerror="window.__xss=${n}"><script>window.__xss=${n}</script>`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A page that records what would show a script ran or was blocked. */
async function openPage(): Promise<{ page: Page; console: string[] }> {
  const page = await (await browser.newContext()).newPage();
  const console: string[] = [];
  page.on('console', (message) => console.push(message.text()));
  page.on('pageerror', (error) => console.push(error.message));
  page.on('dialog', (dialog) => {
    console.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { page, console };
}

async function expectNothingRan(page: Page): Promise<void> {
  expect(await page.locator('main img, main script, main iframe').count()).toBe(0);
  expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
}

describe('an event made of markup', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    // A symbol set whose original file name and source lines are markup too.
    const code = 'function a(){throw new Error("x")}a();\n';
    const map = {
      version: 3,
      sources: [`${PAYLOAD(1)}.ts`],
      sourcesContent: [`// line 1\n${PAYLOAD(2)} throw here\n// line 3\n`],
      names: [],
      mappings: 'AACA',
    };
    await uploadSymbolSet(server, 'markup-chunk', encodeContainer(code, JSON.stringify(map)));
    const release = await createRelease(server, { project: PAYLOAD(3), version: PAYLOAD(4) });
    await capture(
      server,
      exceptionEvent({
        token: server.projectToken,
        type: PAYLOAD(5),
        value: PAYLOAD(6),
        // Crash site last, as the SDKs send them: the resolved frame is the top one.
        frames: [
          {
            platform: 'web:javascript',
            filename: PAYLOAD(9),
            function: PAYLOAD(10),
            lineno: 1,
            colno: 1,
            in_app: true,
          },
          {
            platform: 'web:javascript',
            filename: `javascript:alert(1)//${PAYLOAD(7)}`,
            function: PAYLOAD(8),
            lineno: 1,
            colno: 1,
            in_app: true,
            chunk_id: 'markup-chunk',
          },
        ],
        properties: {
          $release_id: release.id,
          $current_url: `javascript:alert(1)//${PAYLOAD(11)}`,
          $browser: PAYLOAD(12),
          $environment: PAYLOAD(13),
          anything: { nested: PAYLOAD(14) },
        },
      }),
    );
  });

  it('renders every field as text in the list, the issue page (both frame views) and the raw properties', async () => {
    const { page, console } = await openPage();
    await page.goto(server.inboxUrl);
    const title = page.locator('li.issue .issue-title');
    await title.waitFor();
    expect(await title.textContent()).toBe(`${PAYLOAD(5)}: ${PAYLOAD(6)}`);
    expect(await page.locator('li.issue .issue-meta').textContent()).toContain(PAYLOAD(13));
    await expectNothingRan(page);

    await title.click();
    await page.locator('.frames').waitFor();
    const text = await page.locator('main').textContent();
    for (const n of [2, 5, 6, 9, 10, 11, 12]) expect(text, `payload ${n}`).toContain(PAYLOAD(n));
    // The resolved frame: its source name and highlighted line come from the uploaded map.
    expect(await page.locator('.frames .loc').first().textContent()).toBe(`${PAYLOAD(1)}.ts:2:1`);
    expect(await page.locator('.src-line.hl code').textContent()).toBe(`${PAYLOAD(2)} throw here`);
    await page.click('summary:has-text("All properties")');
    expect(await page.locator('.json').textContent()).toContain(PAYLOAD(14).replaceAll('"', '\\"'));
    await page.click('button:has-text("As shipped")');
    const shipped = await page.locator('.frames.shipped').textContent();
    expect(shipped).toContain(`javascript:alert(1)//${PAYLOAD(7)}`);
    // The minified name, which the mapped frame replaces with its scope's name.
    expect(shipped).toContain(PAYLOAD(8));
    // No link anywhere leads to a javascript: URL.
    const hrefs = await page
      .locator('a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((href) => !href.startsWith('/') && !href.startsWith('?'))).toEqual([]);
    await expectNothingRan(page);

    await page.goto(`${server.url}/releases`);
    await page.locator('table.releases').waitFor();
    expect(await page.locator('table.releases tbody').textContent()).toContain(`${PAYLOAD(3)}@${PAYLOAD(4)}`);
    await expectNothingRan(page);
    expect(console.filter((line) => /dialog|__xss/.test(line))).toEqual([]);
  });
});

describe('with login required', () => {
  it('refuses the pages and their data until the personal API key is entered in the form', async () => {
    const server = await startTestServer({ inboxLogin: true });
    await capture(
      server,
      exceptionEvent({ token: server.projectToken, value: 'behind the login', frames: [] }),
    );
    const { page } = await openPage();

    await page.goto(server.inboxUrl);
    expect(new URL(page.url()).pathname).toBe('/inbox/login');
    expect(await page.locator('main').textContent()).not.toContain('behind the login');
    const refused = await page.evaluate(async () => {
      const answers = await Promise.all(
        ['/inbox/api/issues', '/inbox/api/releases', '/inbox/api/symbol-sets'].map((p) => fetch(p)),
      );
      return answers.map((answer) => answer.status);
    });
    expect(refused).toEqual([401, 401, 401]);

    await page.fill('#key', 'phx_wrong_key_0123456789');
    await page.click('button[type="submit"]');
    expect(await page.locator('.error').textContent()).toContain('not a personal API key');
    expect(await page.inputValue('#key')).toBe('');

    await page.fill('#key', server.apiKey);
    await page.click('button[type="submit"]');
    await page.locator('li.issue', { hasText: 'behind the login' }).waitFor();
    expect(page.url()).toBe(server.inboxUrl);
    expect(page.url()).not.toContain(server.apiKey);
    // The session cookie is HttpOnly: scripts on the page cannot read it.
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie),
    ).toBe('');
    expect(await page.evaluate(async () => (await fetch('/inbox/api/releases')).status)).toBe(200);

    await page.click('.logout button');
    expect(new URL(page.url()).pathname).toBe('/inbox/login');
    expect(await page.evaluate(async () => (await fetch('/inbox/api/issues')).status)).toBe(401);
  });
});
