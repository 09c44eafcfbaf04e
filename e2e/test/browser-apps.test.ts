import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Manifest } from '@hogmaps/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openCheckout } from './harness/browser';
import {
  assertAdaptersBuilt,
  type BuildOutput,
  buildExample,
  EXAMPLES_DIR,
  lineOf,
  listFiles,
  readBuildManifest,
} from './harness/examples';
import {
  type ExceptionJson,
  type LocalServer,
  startLocalServer,
  waitForExceptions,
} from './harness/local-server';
import { type StaticServer, serveStatic } from './harness/static-server';

/**
 * The whole loop in a real browser: an example app built with its hogmaps adapter against the local
 * server, served on 127.0.0.1, driven in headless Chromium, its errors reported by real posthog-js,
 * and their frames resolved by the server with the symbol sets the build uploaded.
 */

const APPS = [
  { name: 'vite-app', adapter: 'vite', release: 'example-vite-app' },
  { name: 'esbuild-app', adapter: 'esbuild', release: 'example-esbuild-app' },
];

const THROW_MARKER = 'throw new RangeError';

describe.each(APPS)('$name in headless Chromium with posthog-js', (app) => {
  const appDir = path.join(EXAMPLES_DIR, app.name);
  const outDir = path.join(appDir, 'dist');
  const throwFile = path.join(appDir, 'src/features/cart/pricing.ts');
  let local: LocalServer;
  let build: BuildOutput;
  let manifest: Manifest;
  let site: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    assertAdaptersBuilt([app.adapter]);
    local = await startLocalServer();
    build = await buildExample(app.name, local.env);
    manifest = await readBuildManifest(outDir);
    site = await serveStatic(outDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await local?.close();
  });

  /** The manifest's chunk for a frame's URL on the app's origin. */
  function chunkForUrl(url: string) {
    const file = url.startsWith(`${site.url}/`) ? url.slice(site.url.length + 1) : undefined;
    return manifest.chunks.find((chunk) => chunk.file === file);
  }

  it('registers a release, injects every JS chunk and uploads one symbol set per chunk, shipping no maps', async () => {
    expect(build.hogmapsLines.join('\n')).toMatch(/symbol sets uploaded/);
    expect(manifest.release).toMatchObject({ name: app.release });
    expect(manifest.release?.id).toEqual(expect.any(String));

    const allJs = listFiles(outDir).filter((file) => file.endsWith('.js'));
    // Vite: the page sets the release with a script of its own, the first it loads, so no chunk carries
    // it (the exception test below sees it arrive as $release_id).
    const releaseScripts = allJs.filter((file) => /^assets\/hogmaps-release-[\w-]+\.js$/.test(file));
    if (app.adapter === 'vite') {
      expect(releaseScripts).toHaveLength(1);
      const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
      expect(html).toMatch(/<head>\s*<script src="\/assets\/hogmaps-release-[\w-]+\.js" defer><\/script>/);
    } else {
      expect(releaseScripts).toEqual([]);
    }
    const jsFiles = allJs.filter((file) => !releaseScripts.includes(file));
    // An entry and at least the lazily loaded checkout chunk.
    expect(jsFiles.length).toBeGreaterThanOrEqual(2);
    expect(manifest.chunks.map((chunk) => chunk.file).sort()).toEqual(jsFiles.sort());
    for (const chunk of manifest.chunks) {
      const code = readFileSync(path.join(outDir, chunk.file), 'utf8');
      // The snippet registers the id (a minifier may have rewritten its quotes).
      expect(code).toMatch(new RegExp(`_posthogChunkIds\\[\\w+\\]=["'\`]${chunk.chunkId}["'\`]`));
      expect(code.trimEnd().split('\n').at(-1)).toBe(`//# chunkId=${chunk.chunkId}`);
      expect(chunk.status).toBe('uploaded');
    }
    expect((await local.uploadedChunkIds()).sort()).toEqual(manifest.chunks.map((c) => c.chunkId).sort());
    expect(listFiles(outDir).filter((file) => file.endsWith('.map'))).toEqual([]);
  });

  it('reports a handled and an uncaught exception whose frames carry the uploaded ids and resolve to the throw', async () => {
    const page = await openCheckout(browser, site.url);
    await page.click('#pay');
    await page.click('#pay-unhandled');
    const exceptions = await waitForExceptions(local, 2);
    await page.context().close();

    const handled = exceptions.find((e) => e.exception_list[0]?.mechanism.handled === true);
    const uncaught = exceptions.find((e) => e.exception_list[0]?.mechanism.handled === false);
    expect(handled, 'the handled exception').toBeDefined();
    expect(uncaught, 'the uncaught exception').toBeDefined();

    const uploaded = await local.uploadedChunkIds();
    const entryFile = /src="\.?\/?([^"]+\.js)"/.exec(
      readFileSync(path.join(outDir, 'index.html'), 'utf8'),
    )?.[1];
    expect(entryFile).toMatch(/^assets\/.+\.js$/);
    for (const exception of [handled, uncaught] as ExceptionJson[]) {
      const [error] = exception.exception_list;
      expect(error?.type).toBe('RangeError');
      expect(error?.value).toMatch(/quantity of .* must be positive/);
      // posthog-js reads the release id the snippet injected.
      expect(exception.properties.$release_id).toBe(manifest.release?.id);

      const frames = error?.stacktrace?.frames ?? [];
      const appFrames = frames.filter((frame) => frame.filename.startsWith(`${site.url}/`));
      expect(appFrames.length).toBeGreaterThan(0);
      for (const frame of appFrames) {
        const chunk = chunkForUrl(frame.filename);
        expect(chunk, `a manifest chunk for ${frame.filename}`).toBeDefined();
        expect(frame.chunk_id).toBe(chunk?.chunkId);
        expect(uploaded).toContain(frame.chunk_id);
      }

      // The crash site (the SDK sends it last) is in the lazily loaded chunk, not the entry.
      const top = frames.at(-1);
      expect(chunkForUrl(top?.filename ?? '')?.file).not.toBe(entryFile);
      expect(top).toMatchObject({ platform: 'web:javascript', resolved: true });
      expect(top?.source).toMatch(/(^|\/)src\/features\/cart\/pricing\.ts$/);
      expect(top?.line).toBe(lineOf(throwFile, THROW_MARKER) - 1); // 0-based, as PostHog reports it
      expect(top?.resolved_name).toBe('priceCart');
      expect(top?.context?.line.line).toContain(THROW_MARKER);
    }
  });
});
