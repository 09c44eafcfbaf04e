import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; hogmaps never downloads a browser (`playwright install`). */
export const CHROMIUM_PATH = process.env.HOGMAPS_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium with a fresh temporary profile. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser end-to-end tests need Chromium at ${CHROMIUM_PATH}: install it (Debian/Ubuntu: ` +
        '`apt-get install chromium`) or point HOGMAPS_CHROMIUM at a Chromium or Chrome binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Opens an example app on its checkout route (a lazily loaded chunk) and waits until the pay buttons
 * are there and posthog-js has installed exception autocapture (it loads its script from the
 * server's /static/, then wraps window.onerror).
 */
export async function openCheckout(browser: Browser, appUrl: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${appUrl}/`);
  await page.click('#checkout-link');
  await page.waitForSelector('#pay-unhandled');
  await page.waitForFunction(() => typeof window.onerror === 'function', null, { timeout: 20_000 });
  return page;
}
