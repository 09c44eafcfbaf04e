import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isEmptySourceMap, type Manifest, readInjectedChunkId } from '@hogmaps/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../test/harness/browser';
import {
  assertAdaptersBuilt,
  type BuildOutput,
  lineOf,
  listFiles,
  readBuildManifest,
} from '../../test/harness/examples';
import {
  type ExceptionJson,
  type LocalServer,
  startLocalServer,
  waitForExceptions,
} from '../../test/harness/local-server';
import {
  copyNextApp,
  exampleFile,
  type NextBundler,
  type NextServer,
  nextBuild,
  nextEnv,
  nextStart,
  snippetCount,
} from './next-app';

/**
 * examples/nextjs-app built with `withHogmaps` by Next 16 (webpack and Turbopack, each in its own copy
 * of the app), run with `next start`, its errors reported by real posthog-js in headless Chromium (a
 * client component) and real posthog-node (a route handler and a server action), every frame resolved
 * by the local server to the original `.tsx`/`.ts` line.
 */

const BUNDLERS: NextBundler[] = ['webpack', 'turbopack'];
const CLIENT_THROW = 'throw new Error(`card declined';
const ROUTE_THROW = 'not found in the ledger';
const ACTION_THROW = 'throw new RangeError(';

/** Deployed JS: what the browser loads (`static`) and what `next start` runs (`server`). */
function deployedJs(distDir: string): string[] {
  return listFiles(distDir).filter(
    (file) => /\.(?:js|mjs|cjs)$/.test(file) && /^(?:static|server)\//.test(file),
  );
}

describe.each(BUNDLERS)('Next.js 16 with %s', (bundler) => {
  let dir: string;
  let distDir: string;
  let local: LocalServer;
  let first: BuildOutput;
  let manifest: Manifest;
  let uploadedFirst: string[];
  let site: NextServer;
  let browser: Browser;

  beforeAll(async () => {
    assertAdaptersBuilt(['core', 'nextjs']);
    dir = copyNextApp(bundler);
    distDir = path.join(dir, '.next');
    local = await startLocalServer();
    first = await nextBuild(dir, bundler, nextEnv(local.env));
    manifest = await readBuildManifest(distDir);
    uploadedFirst = await local.uploadedChunkIds();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await local?.close();
  });

  it('prints one summary line and no hogmaps warning, and Next compiles without warnings', () => {
    expect(first.output).toContain(bundler === 'webpack' ? '(webpack)' : '(Turbopack)');
    expect(first.hogmapsLines.filter((line) => /warning|error/.test(line))).toEqual([]);
    const summaries = first.hogmapsLines.filter((line) => line.includes('[hogmaps] release '));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatch(/chunks with ids, \d+ symbol sets uploaded/);
    expect(first.output).not.toContain('Compiled with warnings');
  });

  it('registers one release, injects every deployed chunk once and uploads a symbol set for each chunk with code', async () => {
    const releases = await local.get<{ results: { project: string }[] }>(
      `/api/projects/${local.server.projectId}/error_tracking/releases/`,
    );
    expect(releases.results.map((release) => release.project)).toEqual(['example-nextjs-app']);
    expect(manifest.release?.id).toEqual(expect.any(String));

    // Every deployed file carries at most one snippet; every chunk the manifest lists exactly its own.
    const files = deployedJs(distDir);
    for (const file of files) expect(snippetCount(path.join(distDir, file)), file).toBeLessThanOrEqual(1);
    for (const chunk of manifest.chunks) {
      const code = readFileSync(path.join(distDir, chunk.file), 'utf8');
      expect(snippetCount(path.join(distDir, chunk.file)), chunk.file).toBe(1);
      expect(readInjectedChunkId(code), chunk.file).toBe(chunk.chunkId);
      expect(chunk.status).toBe('uploaded');
    }
    // What was uploaded is exactly what the manifest lists (each id once), client and server alike.
    const ids = [...new Set(manifest.chunks.map((chunk) => chunk.chunkId))].sort();
    expect([...uploadedFirst].sort()).toEqual(ids);
    expect(manifest.chunks.some((chunk) => chunk.file.startsWith('static/'))).toBe(true);
    expect(manifest.chunks.some((chunk) => chunk.file.startsWith('server/'))).toBe(true);

    // Code worth mapping: every deployed file holding the app's own code is a listed, uploaded chunk.
    const listed = new Set(manifest.chunks.map((chunk) => chunk.file));
    for (const marker of ['card declined for', 'not found in the ledger', 'invalid quantity']) {
      const holders = files.filter((file) => readFileSync(path.join(distDir, file), 'utf8').includes(marker));
      expect(holders.length, marker).toBeGreaterThan(0);
      for (const file of holders) expect(listed, `${file} (${marker})`).toContain(file);
    }
    // A chunk with a snippet that is not listed had nothing to map: its map, if Next kept one, is empty.
    for (const file of files.filter((f) => !listed.has(f) && snippetCount(path.join(distDir, f)) === 1)) {
      const map = `${path.join(distDir, file)}.map`;
      if (listFiles(path.dirname(map)).includes(path.basename(map))) {
        expect(isEmptySourceMap(JSON.parse(readFileSync(map, 'utf8'))), file).toBe(true);
      }
    }
  });

  it('ships no map in the browser folder and serves none over HTTP', async () => {
    const staticMaps = listFiles(path.join(distDir, 'static')).filter((file) => file.endsWith('.map'));
    expect(staticMaps).toEqual([]);
    site = await nextStart(dir, nextEnv(local.env));
    const clientChunks = deployedJs(distDir).filter((file) => file.startsWith('static/'));
    for (const file of clientChunks) {
      const code = readFileSync(path.join(distDir, file), 'utf8');
      expect(code, file).not.toMatch(/sourceMappingURL=/);
      const url = `${site.url}/_next/${file}`;
      expect((await fetch(url)).status, url).toBe(200);
      expect((await fetch(`${url}.map`)).status, `${url}.map`).toBe(404);
    }
  });

  it('resolves a client component error reported by posthog-js to the .tsx line', async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${site.url}/checkout`);
    await page.waitForSelector('#pay');
    await page.waitForFunction(() => typeof window.onerror === 'function', null, { timeout: 20_000 });
    await page.click('#pay');
    const [exception] = await waitForExceptions(local, 1, (e) => e.properties.$lib === 'web');
    const frames = exception?.exception_list[0]?.stacktrace?.frames ?? [];
    expect(exception?.properties.$release_id).toBe(manifest.release?.id);
    const top = frames.at(-1);
    expect(top).toMatchObject({ resolved: true, source: 'app/checkout/pay-buttons.tsx' });
    expect(top?.line).toBe(lineOf(exampleFile('app/checkout/pay-buttons.tsx'), CLIENT_THROW));
    expect(uploadedFirst).toContain(top?.chunk_id);
    await page.close();
  });

  it.each([
    {
      what: 'a route handler',
      trigger: () => fetch(`${site.url}/api/orders?id=7`),
      file: 'app/api/orders/route.ts',
      marker: ROUTE_THROW,
    },
    {
      what: 'a server action',
      trigger: async () => {
        const page = await browser.newPage();
        await page.goto(`${site.url}/checkout`);
        await page.click('#order');
        await page.waitForFunction(() =>
          document.querySelector('#status')?.textContent?.startsWith('Order failed'),
        );
        await page.close();
      },
      file: 'lib/pricing.ts',
      marker: ACTION_THROW,
    },
  ])(
    'resolves an error in $what reported by posthog-node to the source line',
    async ({ trigger, file, marker }) => {
      const before = (await local.exceptions()).length;
      await trigger();
      const fromNode = (e: ExceptionJson) => e.properties.$lib === 'posthog-node';
      const exceptions = await waitForExceptions(local, 1, (e) => fromNode(e) && frameIn(e, file));
      expect((await local.exceptions()).length).toBeGreaterThan(before);
      const frames = exceptions[0]?.exception_list[0]?.stacktrace?.frames ?? [];
      const top = frames.at(-1);
      expect(top).toMatchObject({ resolved: true, source: file });
      expect(top?.line).toBe(lineOf(exampleFile(file), marker));
      expect(uploadedFirst).toContain(top?.chunk_id);
    },
  );

  it('uploads nothing when the same app is built again', async () => {
    await site.close();
    const again = await nextBuild(dir, bundler, nextEnv(local.env));
    const summary = again.hogmapsLines.find((line) => line.includes('[hogmaps] release '));
    expect(summary).toMatch(/ 0 symbol sets uploaded/);
    expect((await local.uploadedChunkIds()).sort()).toEqual([...uploadedFirst].sort());
  }, 600_000);
});

function frameIn(exception: ExceptionJson, file: string): boolean {
  return exception.exception_list.some((error) => error.stacktrace?.frames.at(-1)?.source === file);
}
