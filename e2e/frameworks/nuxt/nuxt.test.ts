import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DecodedSymbolSet, Manifest } from '@hogmaps/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openCheckout } from '../../test/harness/browser';
import {
  assertAdaptersBuilt,
  type BuildOutput,
  lineOf,
  listFiles,
  readBuildManifest,
} from '../../test/harness/examples';
import {
  type ExceptionJson,
  type FrameJson,
  type LocalServer,
  startLocalServer,
  waitForExceptions,
} from '../../test/harness/local-server';
import {
  type DeployedFile,
  deployedJs,
  downloadSymbolSets,
  hasSnippet,
  mapsAnything,
} from '../harness/deployed';
import {
  APP_DIR,
  cleanBuild,
  findClientDist,
  type NitroServer,
  nuxtEnv,
  runNuxt,
  startNitro,
  writeVariant,
} from './nuxt-app';

/**
 * examples/nuxt-app (Nuxt 4.5: a Vite client build, a Vite SSR build that Nitro bundles again, and
 * Nitro's rollup build) with @hogmaps/nuxt: built on Node 24 against the local server, served by
 * Nitro's node server on 127.0.0.1, driven in headless Chromium with posthog-js, its server errors
 * reported by posthog-node, and every frame resolved by the server to the original `.vue`/`.ts` line.
 */

const RELEASE = 'example-nuxt-app';
const src = (file: string) => path.join(APP_DIR, file);
const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

function summaryLines(build: BuildOutput): string[] {
  return build.hogmapsLines.filter((line) => line.includes(`release ${RELEASE}@`));
}

/** The uploaded symbol sets against the deployed files: each set is the code of exactly one deployed file. */
function expectUploadsMatchDeployed(sets: Map<string, DecodedSymbolSet>, deployed: DeployedFile[]) {
  const byId = new Map(deployed.map((file) => [file.commentId, file]));
  for (const [chunkId, set] of sets) {
    expect(byId.get(chunkId)?.code, `the deployed file of symbol set ${chunkId}`).toBe(set.minified);
    // Only code worth mapping is uploaded: a map that maps nothing resolves no frame.
    expect(mapsAnything(set.map), `the map of ${byId.get(chunkId)?.file}`).toBe(true);
  }
}

function expectOneSnippetEach(deployed: DeployedFile[]) {
  expect(deployed.length).toBeGreaterThan(0);
  for (const file of deployed) {
    expect(file.snippetIds, file.file).toHaveLength(1);
    expect(file.commentId, file.file).toBe(file.snippetIds[0]);
  }
  expect(new Set(deployed.map((file) => file.commentId)).size).toBe(deployed.length);
}

/** The frames of an exception's `type` entry that have a position, crash site (sent last by the SDK) first. */
function framesOf(exception: ExceptionJson, type: string): FrameJson[] {
  const error = exception.exception_list.find((entry) => entry.type === type);
  return (error?.stacktrace?.frames ?? []).filter((frame) => frame.lineno !== undefined).reverse();
}

/** The first frame below the crash site that resolves into one of `files`. */
function callerIn(frames: FrameJson[], files: string[]): { file: string; frame: FrameJson } | undefined {
  for (const frame of frames.slice(1)) {
    const file = files.find((candidate) => frame.source?.endsWith(candidate));
    if (file) return { file, frame };
  }
  return undefined;
}

describe('nuxt build with Nitro node-server', () => {
  const outputDir = src('.output');
  let local: LocalServer;
  let build: BuildOutput;
  let deployed: DeployedFile[];
  let clientManifest: Manifest;
  let serverManifest: Manifest;
  let nitro: NitroServer | undefined;
  let browser: Browser;

  beforeAll(async () => {
    assertAdaptersBuilt(['nuxt']);
    local = await startLocalServer();
    await cleanBuild(APP_DIR);
    build = await runNuxt('build', local);
    deployed = deployedJs(outputDir);
    clientManifest = await readBuildManifest(src('.nuxt/dist/client'));
    serverManifest = await readBuildManifest(path.join(outputDir, 'server'));
    nitro = await startNitro(outputDir, nuxtEnv(local));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await nitro?.stop();
    await local?.close();
  });

  it('registers one release, shared by the client build and the Nitro build', async () => {
    expect(summaryLines(build)).toHaveLength(2);
    expect(clientManifest.release).toMatchObject({ name: RELEASE, id: expect.any(String) });
    expect(serverManifest.release).toEqual(clientManifest.release);
    const releases = await local.get<{ results: { id: string }[] }>(
      `/api/projects/${local.server.projectId}/error_tracking/releases/`,
    );
    expect(releases.results.map((release) => release.id)).toEqual([clientManifest.release?.id]);
  });

  it('gives every deployed JS file exactly one snippet, and none to the SSR intermediate', () => {
    expectOneSnippetEach(deployed);
    const publicFiles = deployed.filter((file) => file.file.startsWith('public/'));
    const serverFiles = deployed.filter((file) => file.file.startsWith('server/'));
    expect(publicFiles.length).toBeGreaterThan(1);
    expect(serverFiles.length).toBeGreaterThan(1);
    // The manifests name the deployed files (the client's, in the folder Nitro copies to public/).
    const ids = new Map(deployed.map((file) => [file.file, file.commentId]));
    for (const chunk of clientManifest.chunks) expect(ids.get(`public/${chunk.file}`)).toBe(chunk.chunkId);
    for (const chunk of serverManifest.chunks) expect(ids.get(`server/${chunk.file}`)).toBe(chunk.chunkId);
    const intermediate = listFiles(src('.nuxt/dist/server')).filter((file) => /\.m?js$/.test(file));
    expect(intermediate.length).toBeGreaterThan(0);
    for (const file of intermediate) {
      expect(hasSnippet(readFileSync(src(`.nuxt/dist/server/${file}`), 'utf8')), file).toBe(false);
    }
  });

  it('uploads one symbol set per deployed chunk with code worth mapping, and nothing else', async () => {
    const sets = await downloadSymbolSets(local);
    expectUploadsMatchDeployed(sets, deployed);
    // Nuxt keeps its server maps (its default): each chunk whose map maps something was uploaded.
    // The client's maps were hogmaps' and are gone, so every client chunk must have been uploaded.
    const worthMapping = deployed.filter((file) => {
      const map = path.join(outputDir, `${file.file}.map`);
      return file.file.startsWith('public/') || mapsAnything(readFileSync(map, 'utf8'));
    });
    expect(worthMapping.length).toBeLessThan(deployed.length); // Nitro empties library-only maps
    expect([...sets.keys()].sort()).toEqual(worthMapping.map((file) => file.commentId).sort());
  });

  it('ships no map the client can reach: none in the public folder, no sourceMappingURL, 404 over HTTP', async () => {
    expect(listFiles(path.join(outputDir, 'public')).filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(listFiles(src('.nuxt/dist/client')).filter((file) => file.endsWith('.map'))).toEqual([]);
    for (const file of deployed.filter((entry) => entry.file.startsWith('public/'))) {
      expect(file.code).not.toContain('sourceMappingURL');
      const url = `${nitro?.url}/${file.file.slice('public/'.length)}`;
      expect((await fetch(url)).status, url).toBe(200);
      expect((await fetch(`${url}.map`)).status, `${url}.map`).toBe(404);
    }
  });

  it('resolves a browser exception (posthog-js) to the .ts throw and the .vue caller', async () => {
    const page = await openCheckout(browser, nitro!.url);
    await page.click('#pay');
    await page.click('#pay-unhandled');
    const exceptions = await waitForExceptions(local, 2, (e) => e.exception_list[0]?.type === 'RangeError');
    await page.context().close();

    const checkout = src('app/pages/checkout.vue');
    const callers = [lineOf(checkout, 'formatCents(priceCart(cart))'), lineOf(checkout, '= priceCart(cart)')];
    const seen: number[] = [];
    for (const exception of exceptions) {
      expect(exception.properties.$release_id).toBe(clientManifest.release?.id);
      const frames = framesOf(exception, 'RangeError');
      const top = frames[0];
      expect(top).toMatchObject({ platform: 'web:javascript', resolved: true, resolved_name: 'priceCart' });
      expect(top?.source).toMatch(/(^|\/)app\/utils\/pricing\.ts$/);
      expect(top?.line).toBe(lineOf(src('app/utils/pricing.ts'), 'throw new RangeError') - 1); // 0-based
      expect(top?.context?.line.line).toContain('throw new RangeError');
      const caller = callerIn(frames, ['app/pages/checkout.vue']);
      expect(caller, 'a frame in checkout.vue').toBeDefined();
      seen.push(caller!.frame.line! + 1); // PostHog's lines are 0-based
    }
    // The handled error's caller (pay) and the one Vue caught (payUnhandled).
    expect(seen.sort((a, b) => a - b)).toEqual(callers.sort((a, b) => a - b));
  });

  it('resolves server exceptions (posthog-node) from a server route and from SSR of a .vue page', async () => {
    expect((await fetch(`${nitro?.url}/api/invoice`)).status).toBe(500);
    expect((await fetch(`${nitro?.url}/invoice`)).status).toBe(500);
    const exceptions = await waitForExceptions(local, 2, (e) =>
      e.exception_list.some((entry) => entry.type === 'RangeError' && entry.value.startsWith('Order ')),
    );
    const throwLine = lineOf(src('shared/utils/invoice.ts'), 'throw new RangeError');
    const callers: Record<string, number> = {
      'server/api/invoice.get.ts': lineOf(src('server/api/invoice.get.ts'), 'createInvoice(order)'),
      'app/pages/invoice.vue': lineOf(src('app/pages/invoice.vue'), 'createInvoice(order)'),
    };
    const seen: string[] = [];
    for (const exception of exceptions) {
      expect(exception.properties.$release_id).toBe(serverManifest.release?.id);
      const frames = framesOf(exception, 'RangeError');
      const top = frames[0];
      expect(top).toMatchObject({ platform: 'node:javascript', resolved: true });
      expect(top?.source).toMatch(/(^|\/)shared\/utils\/invoice\.ts$/);
      expect(top?.line).toBe(throwLine - 1); // 0-based, as PostHog reports it
      expect(top?.context?.line.line).toContain('throw new RangeError');
      const caller = callerIn(frames, Object.keys(callers));
      expect(caller, 'a frame in the server route or the page').toBeDefined();
      expect(caller?.frame.line).toBe(callers[caller!.file]! - 1);
      seen.push(caller!.file);
    }
    expect(seen.sort()).toEqual(Object.keys(callers).sort());
  });

  it('uploads, on a second build from scratch, only the chunks Nuxt changes on every build', async () => {
    await nitro?.stop();
    nitro = undefined;
    const before = new Map(deployed.map((file) => [file.file, hashOf(file.code)]));
    const uploadedBefore = await local.uploadedChunkIds();
    // From scratch, as CI builds (with `.nuxt` present, Nuxt builds into node_modules/.cache/nuxt/.nuxt
    // instead, and Nitro then prints every server chunk differently).
    await cleanBuild(APP_DIR);
    const second = await runNuxt('build', local);
    const redeployed = deployedJs(outputDir);
    expect(summaryLines(second)).toHaveLength(2);
    expect(redeployed.map((file) => file.file).sort()).toEqual([...before.keys()].sort());
    // Nuxt writes a new build id and the public files' mtimes into Nitro's main chunk, and lists the SSR
    // styles in no fixed order; now and then its SSR build bundles unctx into the server entry instead of
    // importing it (1 in 20 builds without hogmaps here). Those chunks are new code, so new symbol sets.
    // The client is unchanged.
    const changed = redeployed.filter((file) => before.get(file.file) !== hashOf(file.code));
    expect(changed.map((file) => file.file)).toContain('server/chunks/nitro/nitro.mjs');
    const nuxtChanges = [
      'server/chunks/nitro/nitro.mjs',
      'server/chunks/virtual/styles.mjs',
      'server/chunks/virtual/entry.mjs',
    ];
    for (const file of changed) expect(nuxtChanges).toContain(file.file);
    const fresh = (await local.uploadedChunkIds()).filter((id) => !uploadedBefore.includes(id));
    expect(fresh.sort()).toEqual(changed.map((file) => file.commentId).sort());
  });
});

describe('variants: ssr: false and nuxt generate', () => {
  /** A build of a variant against a fresh local server, so its uploads are its own. */
  async function withServer<T>(task: (local: LocalServer) => Promise<T>): Promise<T> {
    const local = await startLocalServer();
    try {
      return await task(local);
    } finally {
      await local.close();
    }
  }

  beforeAll(() => {
    assertAdaptersBuilt(['nuxt']);
  });

  it('ssr: false: one release, one snippet per deployed file, the chunks worth mapping uploaded, no public map', () =>
    withServer(async (local) => {
      const dir = await writeVariant('spa', { ssr: false });
      const build = await runNuxt('build', local, dir);
      const outputDir = path.join(dir, '.output');
      const deployed = deployedJs(outputDir);
      expect(summaryLines(build)).toHaveLength(2);
      const client = await readBuildManifest(findClientDist(dir));
      const server = await readBuildManifest(path.join(outputDir, 'server'));
      expect(client.release?.id).toEqual(expect.any(String));
      expect(server.release).toEqual(client.release);
      expectOneSnippetEach(deployed);
      expect(deployed.some((file) => file.file.startsWith('server/'))).toBe(true);
      expect(listFiles(path.join(outputDir, 'public')).filter((file) => file.endsWith('.map'))).toEqual([]);
      const sets = await downloadSymbolSets(local);
      expectUploadsMatchDeployed(sets, deployed);
      for (const file of deployed.filter((entry) => entry.file.startsWith('public/'))) {
        expect(sets.has(file.commentId!), file.file).toBe(true);
      }
    }));

  it("nuxt generate with Vite's environment API: only the client is deployed and uploaded; the SSR build and the prerenderer get no snippet", () =>
    withServer(async (local) => {
      // The environment API (Nuxt 5's default) builds client and SSR in one Vite builder.
      const dir = await writeVariant('generate', {
        experimental: { viteEnvironmentApi: true },
        nitro: { prerender: { ignore: ['/invoice'] } },
      });
      const build = await runNuxt('generate', local, dir);
      const outputDir = path.join(dir, '.output');
      expect(summaryLines(build)).toHaveLength(1);
      expect(existsSync(path.join(outputDir, 'public/checkout/index.html'))).toBe(true);
      expect(existsSync(path.join(outputDir, 'server'))).toBe(false);
      const deployed = deployedJs(outputDir);
      expectOneSnippetEach(deployed);
      expect(listFiles(outputDir).filter((file) => file.endsWith('.map'))).toEqual([]);
      const sets = await downloadSymbolSets(local);
      expectUploadsMatchDeployed(sets, deployed);
      expect([...sets.keys()].sort()).toEqual(deployed.map((file) => file.commentId).sort());
      // Vite's SSR build, and Nitro's prerenderer (a server build run to render the pages), never deployed.
      const files = listFiles(dir).filter((file) => !file.startsWith('.output/'));
      const intermediates = files.filter((file) => /(^|\/)(dist\/server|prerender)\/.*\.m?js$/.test(file));
      expect(intermediates.some((file) => file.includes('dist/server/'))).toBe(true);
      expect(intermediates.some((file) => file.includes('prerender/'))).toBe(true);
      for (const file of intermediates) {
        expect(hasSnippet(readFileSync(path.join(dir, file), 'utf8')), file).toBe(false);
      }
    }));
});
