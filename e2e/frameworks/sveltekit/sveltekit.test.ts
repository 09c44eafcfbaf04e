import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertAdaptersBuilt, EXAMPLES_DIR } from '../../test/harness/examples';
import {
  type AppServer,
  countUploads,
  type DeployedFile,
  deployedJs,
  downloadSymbolSets,
  expectNoHogmapsWarnings,
  expectNoMapsServed,
  expectOneRelease,
  expectOneSnippetEach,
  expectThrowResolved,
  expectUploadsMatchDeployed,
  type FrameworkBuild,
  framesOf,
  type LocalServer,
  launchChromium,
  lineOf,
  runBuild,
  startAppServer,
  startLocalServer,
  throwInBrowser,
  throwOnServer,
  worthMappingIn,
} from '../harness';

/**
 * examples/sveltekit-app (SvelteKit 3, Vite's environment API, adapter-node) with @hogmaps/vite: built
 * on Node 24 against the local server, served by adapter-node on 127.0.0.1, a click handler in a
 * `.svelte` page throwing in headless Chromium (posthog-js) and a `.svelte` page throwing while it is
 * rendered on the server (posthog-node), both resolved by the server to the `.svelte` line.
 */

const APP = path.join(EXAMPLES_DIR, 'sveltekit-app');
const BUILD = path.join(APP, 'build');
const src = (file: string) => path.join(APP, file);
const CLIENT_THROW = 'sveltekit checkout: total must be positive';
const SSR_THROW = 'sveltekit invoice: bad order number';
const API_THROW = 'sveltekit ledger: order';

/**
 * Files SvelteKit and adapter-node write after Vite's builds: re-exports, the route manifest, the route
 * nodes' import lists and the server wrapper. Generated glue, not minified, with no code of the app's
 * and no map; hogmaps never sees them, so they carry no snippet.
 */
const GLUE =
  /^(?:index|handler|adapter-node)\.js$|^server\/(?:manifest(?:-full)?|server)\.js$|^server\/nodes\/\d+\.js$/;
const isGlue = (file: string) => GLUE.test(file);

async function build(local: LocalServer): Promise<FrameworkBuild> {
  return runBuild({ script: 'node_modules/vite/bin/vite.js', args: ['build'], cwd: APP, env: local.env });
}

describe('SvelteKit 3 with adapter-node', () => {
  let local: LocalServer;
  let first: FrameworkBuild;
  let deployed: DeployedFile[];
  let releaseId: string;
  let site: AppServer | undefined;
  let browser: Browser;

  beforeAll(async () => {
    assertAdaptersBuilt(['core', 'vite']);
    local = await startLocalServer();
    for (const dir of ['build', '.svelte-kit']) await rm(src(dir), { recursive: true, force: true });
    first = await build(local);
    deployed = deployedJs(BUILD);
    site = await startAppServer({ script: 'build/index.js', cwd: APP, env: local.env });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await local?.close();
  });

  it('registers one release for the client and server builds, with no warnings', async () => {
    releaseId = await expectOneRelease(local, first);
    expect(first.summaries).toHaveLength(2);
    expectNoHogmapsWarnings(first);
  });

  it('gives every deployed JS file exactly one snippet (adapter-node output included)', () => {
    const injected = expectOneSnippetEach(deployed, isGlue);
    expect(injected.some((file) => file.file.startsWith('client/'))).toBe(true);
    // The server's route code and adapter-node's own handler went through Vite's SSR build.
    for (const file of ['server/entries/pages/invoice/_page.svelte.js', 'server/adapter-node-handler.js'])
      expect(injected.map((entry) => entry.file)).toContain(file);
  });

  it('uploads one symbol set per deployed chunk with code worth mapping, holding the deployed bytes', async () => {
    expectUploadsMatchDeployed(await downloadSymbolSets(local), deployed, worthMappingIn(BUILD));
  });

  it('serves no map: client maps were hogmaps’ and are gone', async () => {
    await expectNoMapsServed({
      baseUrl: site!.url,
      publicDir: path.join(BUILD, 'client'),
      files: deployed.filter((file) => file.file.startsWith('client/')),
      urlOf: (file) => `/${file.slice('client/'.length)}`,
    });
  });

  it('resolves a click handler’s throw in the browser (posthog-js) to its .svelte line', async () => {
    const exception = await throwInBrowser({
      browser,
      local,
      url: `${site!.url}/checkout`,
      selector: '#pay-unhandled',
      message: CLIENT_THROW,
    });
    expectThrowResolved(exception, {
      message: CLIENT_THROW,
      source: 'src/routes/checkout/+page.svelte',
      line: lineOf(src('src/routes/checkout/+page.svelte'), CLIENT_THROW),
      platform: 'web:javascript',
      releaseId,
    });
  });

  it('resolves a server route’s error (posthog-node) to its line through the uploaded server chunk', async () => {
    const exception = await throwOnServer({
      local,
      url: `${site!.url}/api/invoice?order=x`,
      message: API_THROW,
    });
    expectThrowResolved(exception, {
      message: API_THROW,
      source: 'src/lib/server/ledger.ts',
      line: lineOf(src('src/lib/server/ledger.ts'), API_THROW),
      platform: 'node:javascript',
      releaseId,
    });
  });

  it('reports a throw while a .svelte page renders on the server at its .svelte line', async () => {
    const exception = await throwOnServer({ local, url: `${site!.url}/invoice?order=x`, message: SSR_THROW });
    // SvelteKit applies its own server maps to the stack before handleError sees it: the frame arrives
    // already pointing at the .svelte line (and so carries no chunk id to resolve).
    const top = framesOf(exception, SSR_THROW)[0];
    expect(top).toMatchObject({
      platform: 'node:javascript',
      filename: 'src/routes/invoice/+page.svelte',
      lineno: lineOf(src('src/routes/invoice/+page.svelte'), SSR_THROW),
    });
    expect(exception.properties.$release_id).toBe(releaseId);
  });

  it('uploads, on a second build, only the chunks SvelteKit changes on every build', async () => {
    await site?.stop();
    site = undefined;
    const uploads = countUploads(local);
    const second = await build(local);
    const redeployed = deployedJs(BUILD);
    expect(redeployed.map((file) => file.file)).toEqual(deployed.map((file) => file.file));
    const before = new Map(deployed.map((file) => [file.file, file.code]));
    // SvelteKit writes a build timestamp (its `version.name`) and a global named after it into two server
    // chunks: new code, so new symbol sets. Everything else is byte for byte the same and not sent again.
    const changed = redeployed
      .filter((file) => file.snippetIds.length > 0 && before.get(file.file) !== file.code)
      .map((file) => file.file);
    expect(changed.sort()).toEqual(['server/chunks/instance.js', 'server/chunks/internal.js']);
    expect(uploads.hits, second.summaries.join('\n')).toBe(changed.length);
  });
});
