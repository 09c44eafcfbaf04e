import { type Browser, chromium, type Page } from 'playwright-core';

// The system Chromium; never `playwright install`.
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

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** posthog-js options every test page uses. */
export const POSTHOG_TEST_OPTIONS = {
  opt_out_useragent_filter: true, // headless Chromium looks like a bot
  capture_exceptions: true,
  autocapture: false,
  capture_pageview: false,
  disable_session_recording: true,
  persistence: 'memory',
};

/** What fixtures/app/browser-entry.js puts on the page. */
export interface TestWindow {
  hogmapsTest: {
    isAutocaptureReady(): boolean;
    captureHandled(id: string): void;
    throwUncaught(id: string): void;
  };
}

/** An HTML page that configures browser-entry.js and loads the bundle from `scriptPath`. */
export function appPageHtml(
  scriptPath: string,
  config: { token: string; apiHost: string; options: Record<string, unknown> },
): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>hogmaps test</title></head><body>
<script>window.__HOGMAPS_TEST__ = ${JSON.stringify(config)};</script>
<script src="${scriptPath}"></script></body></html>`;
}

/** Opens a page in a fresh context and waits until posthog-js has exception autocapture running. */
export async function openApp(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(url);
  // posthog-js loads /static/.../exception-autocapture.js from its api_host, then wraps onerror.
  await tab.waitForFunction(
    () => (globalThis as unknown as TestWindow).hogmapsTest.isAutocaptureReady(),
    null,
    {
      timeout: 15_000,
    },
  );
  return tab;
}

/** The JSON shape of one exception from our /hogmaps/exceptions API, as far as tests read it. */
export interface ExceptionJson {
  id: string;
  exception_list: {
    value: string;
    mechanism: { handled: boolean };
    stacktrace: { frames: Record<string, unknown>[] };
  }[];
}

/** Polls an exceptions list until one whose message contains `marker` shows up. */
export async function waitForException(
  list: () => Promise<ExceptionJson[]>,
  marker: string,
  timeoutMs = 20_000,
): Promise<ExceptionJson> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await list()).find((e) => e.exception_list[0]?.value.includes(marker));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no exception containing "${marker}" reached the server`);
}
