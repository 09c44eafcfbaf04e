import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertAdaptersBuilt } from '../../test/harness/examples';
import {
  type AppServer,
  countUploads,
  type DeployedFile,
  downloadSymbolSets,
  type ExceptionJson,
  expectNoHogmapsWarnings,
  expectNoMapsServed,
  expectNothingUploaded,
  expectOneRelease,
  expectOneSnippetEach,
  expectThrowResolved,
  expectUploadsMatchDeployed,
  type FrameworkBuild,
  type LocalServer,
  launchChromium,
  lineOf,
  startLocalServer,
  throwInBrowser,
  throwOnServer,
  waitForExceptions,
} from '../harness';
import {
  buildNext,
  copyNextApp,
  deployedNext,
  distinctContent,
  EXAMPLE,
  type NextBundler,
  nextGlue,
  nextWorthMapping,
  startNext,
} from './next-app';

const CLIENT_THROW = 'card declined for';
const ROUTE_THROW = 'not found in the ledger';
const ACTION_THROW = 'invalid quantity';
const src = (file: string) => path.join(EXAMPLE, file);

/**
 * examples/nextjs-app with `withHogmaps` built by Next 16 with `bundler` on Node 24 against the local
 * server, served by `next start` on 127.0.0.1; a client component's error reported by posthog-js in
 * headless Chromium, a route handler's and a server action's by posthog-node, each resolved by the
 * server to the original `.tsx`/`.ts` line.
 */
export function describeNextBuild(bundler: NextBundler): void {
  describe(`Next.js 16 with ${bundler}`, () => {
    let local: LocalServer;
    let dir: string;
    let distDir: string;
    let first: FrameworkBuild;
    let deployed: DeployedFile[];
    let releaseId: string;
    let site: AppServer | undefined;
    let browser: Browser;

    beforeAll(async () => {
      assertAdaptersBuilt(['core', 'nextjs']);
      local = await startLocalServer();
      dir = copyNextApp(bundler);
      distDir = path.join(dir, '.next');
      first = await buildNext(dir, bundler, local);
      deployed = deployedNext(distDir);
      site = await startNext(dir, local);
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await site?.stop();
      await local?.close();
    });

    it('registers one release in one summary line, with no warning from hogmaps or Next', async () => {
      expect(first.output).toContain(bundler === 'webpack' ? '(webpack)' : '(Turbopack)');
      releaseId = await expectOneRelease(local, first);
      // Client, server and edge compilers (or Turbopack's output) are one build: one line.
      expect(first.summaries).toHaveLength(1);
      expectNoHogmapsWarnings(first);
      expect(first.output).not.toContain('Compiled with warnings');
    });

    it('gives every deployed chunk (browser and server) exactly one snippet', () => {
      const injected = expectOneSnippetEach(distinctContent(deployed), nextGlue(distDir));
      expect(injected.some((file) => file.file.startsWith('static/chunks/'))).toBe(true);
      expect(injected.some((file) => file.file.startsWith('server/'))).toBe(true);
    });

    it('uploads one symbol set per deployed chunk worth mapping, holding the deployed bytes', async () => {
      const sets = await downloadSymbolSets(local);
      expectUploadsMatchDeployed(sets, distinctContent(deployed), nextWorthMapping(distDir));
    });

    it('serves no map: the browser maps were hogmaps’ and are gone', async () => {
      await expectNoMapsServed({
        baseUrl: site!.url,
        publicDir: path.join(distDir, 'static'),
        files: deployed.filter((file) => file.file.startsWith('static/')),
        urlOf: (file) => `/_next/${file}`,
      });
    });

    it('resolves a client component’s error (posthog-js) to its .tsx line', async () => {
      const exception = await throwInBrowser({
        browser,
        local,
        url: `${site!.url}/checkout`,
        selector: '#pay',
        message: CLIENT_THROW,
      });
      expectThrowResolved(exception, {
        message: CLIENT_THROW,
        source: 'app/checkout/pay-buttons.tsx',
        line: lineOf(src('app/checkout/pay-buttons.tsx'), `throw new Error(\`${CLIENT_THROW}`),
        platform: 'web:javascript',
        releaseId,
      });
    });

    /** A posthog-node exception resolved to the line of `source` holding `message`. */
    const expectServerThrow = (exception: ExceptionJson, message: string, source: string) =>
      expectThrowResolved(exception, {
        message,
        source,
        line: lineOf(src(source), message),
        platform: 'node:javascript',
        releaseId,
      });

    it('resolves a route handler’s error (posthog-node) to its line', async () => {
      const url = `${site!.url}/api/orders?id=7`;
      const exception = await throwOnServer({ local, url, message: ROUTE_THROW });
      expectServerThrow(exception, ROUTE_THROW, 'app/api/orders/route.ts');
    });

    it('resolves a server action’s error (posthog-node) to its line', async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${site!.url}/checkout`);
        await page.click('#order');
        await page.waitForFunction(() =>
          document.querySelector('#status')?.textContent?.startsWith('Order failed'),
        );
      } finally {
        await context.close();
      }
      const [exception] = await waitForExceptions(local, 1, (candidate: ExceptionJson) =>
        candidate.exception_list.some((entry) => entry.value.includes(ACTION_THROW)),
      );
      expectServerThrow(exception!, ACTION_THROW, 'lib/pricing.ts');
    });

    it('uploads nothing when the same app is built again', async () => {
      await site?.stop();
      site = undefined;
      const uploads = countUploads(local);
      const second = await buildNext(dir, bundler, local);
      expect(second.summaries).toHaveLength(1);
      expectNothingUploaded(uploads, second);
    });
  });
}
