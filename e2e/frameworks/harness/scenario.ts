// The standard end-to-end scenario of a framework example, as one `describe`: build once, serve once,
// then every assertion of issue #10, with the second build last. A framework's test file gives its
// specifics (commands, folders, where it throws) and may add tests of its own.
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../test/harness/browser';
import { assertAdaptersBuilt, lineOf } from '../../test/harness/examples';
import { type LocalServer, startLocalServer } from '../../test/harness/local-server';
import {
  countUploads,
  expectNoHogmapsWarnings,
  expectNoMapsServed,
  expectOneRelease,
  expectOneSnippetEach,
  expectUploadsMatchDeployed,
  worthMappingIn,
} from './checks';
import { type DeployedFile, deployedJs, downloadSymbolSets } from './deployed';
import { expectThrowResolved, throwInBrowser, throwOnServer } from './exceptions';
import { type AppServer, type FrameworkBuild, runBuild, startAppServer } from './processes';

/** Where the app throws, and the original line the server must resolve it to. */
export interface ThrowSpec {
  /** The page (browser) or route (server) path, e.g. `/checkout`. */
  path: string;
  /** Part of the error message, unique to this throw; also the marker of its line in `source`. */
  message: string;
  /** The original file, relative to the app (e.g. `src/routes/checkout/+page.svelte`). */
  source: string;
}

export interface FrameworkAppSpec {
  /** The `describe` title, e.g. `SvelteKit 3 with adapter-node`. */
  title: string;
  /** The example's folder. */
  app: string;
  /** Folders of the app removed before the first build (earlier output and caches). */
  clean: readonly string[];
  /** The production build: a JavaScript CLI in the app, run with Node 24. */
  build: { script: string; args: readonly string[] };
  /** How many hogmaps summaries the build prints (one per bundler build it finishes). */
  summaries: number;
  /** What the build deploys, relative to the app (e.g. `build`, `dist`). */
  deployDir: string;
  /** Files a framework writes after the bundler, which carry no snippet (see expectOneSnippetEach). */
  glue?: (file: string) => boolean;
  /**
   * For a file a framework rewrites after hogmaps uploaded it, in a part holding none of the app's code
   * (Astro's route manifest): the code with that rewrite undone, as hogmaps uploaded it. Identity for
   * every other file.
   */
  asUploaded?: (file: string, code: string) => string;
  /** Deployed files (relative to `deployDir`) that must have a snippet: the adapter's, the server's. */
  mustInject?: readonly string[];
  /** The production server, run with Node 24 in the app with HOST and PORT. */
  start: { script: string; args?: readonly string[]; readyPath?: string };
  /** The folder (relative to `deployDir`) served at the site's root, e.g. `client`. */
  publicDir: string;
  clientThrow: ThrowSpec & { selector: string };
  /** Server code that throws and reports with posthog-node, resolved through the uploaded server chunks. */
  serverThrows: readonly ThrowSpec[];
  /**
   * Deployed files (relative to `deployDir`) a framework changes on every build: the second build uploads
   * exactly these again. @default [] (a second build uploads nothing)
   */
  changedOnRebuild?: readonly string[];
  /** More tests, run after the standard ones and before the second build. */
  more?: (context: () => ScenarioContext) => void;
}

export interface ScenarioContext {
  local: LocalServer;
  build: FrameworkBuild;
  deployed: DeployedFile[];
  releaseId: string;
  site: AppServer;
  browser: Browser;
}

/** Registers the standard scenario of a framework example as one `describe` block. */
export function describeFrameworkApp(spec: FrameworkAppSpec): void {
  const deployDir = path.join(spec.app, spec.deployDir);
  const publicDir = path.join(deployDir, spec.publicDir);
  const build = (local: LocalServer) =>
    runBuild({ script: spec.build.script, args: spec.build.args, cwd: spec.app, env: local.env });
  const asUploaded = (files: DeployedFile[]) =>
    spec.asUploaded
      ? files.map((file) => ({ ...file, code: spec.asUploaded!(file.file, file.code) }))
      : files;
  const context: Partial<ScenarioContext> = {};
  const ready = () => context as ScenarioContext;

  describe(spec.title, () => {
    beforeAll(async () => {
      assertAdaptersBuilt(['core', 'vite']);
      context.local = await startLocalServer();
      for (const dir of spec.clean) await rm(path.join(spec.app, dir), { recursive: true, force: true });
      context.build = await build(context.local);
      context.deployed = deployedJs(deployDir);
      context.site = await startAppServer({ ...spec.start, cwd: spec.app, env: context.local.env });
      context.browser = await launchChromium();
    });

    afterAll(async () => {
      await context.browser?.close();
      await context.site?.stop();
      await context.local?.close();
    });

    it('registers one release for all of its builds, with no hogmaps warning', async () => {
      const { local, build } = ready();
      context.releaseId = await expectOneRelease(local, build);
      expect(build.summaries, build.hogmapsLines.join('\n')).toHaveLength(spec.summaries);
      expectNoHogmapsWarnings(build);
    });

    it('gives every deployed JavaScript file exactly one snippet', () => {
      const injected = expectOneSnippetEach(ready().deployed, spec.glue);
      const names = injected.map((file) => file.file);
      expect(names.some((file) => file.startsWith(`${spec.publicDir}/`))).toBe(true);
      for (const file of spec.mustInject ?? []) expect(names).toContain(file);
    });

    it('uploads one symbol set per deployed chunk worth mapping, holding the deployed bytes', async () => {
      const { local, deployed } = ready();
      const sets = await downloadSymbolSets(local);
      expectUploadsMatchDeployed(sets, asUploaded(deployed), worthMappingIn(deployDir));
    });

    it('serves no source map', async () => {
      await expectNoMapsServed({
        baseUrl: ready().site.url,
        publicDir,
        files: ready().deployed.filter((file) => file.file.startsWith(`${spec.publicDir}/`)),
        urlOf: (file) => `/${file.slice(spec.publicDir.length + 1)}`,
      });
    });

    it(`resolves a browser throw (posthog-js) to ${spec.clientThrow.source}`, async () => {
      const { browser, local, site, releaseId } = ready();
      const { path: page, selector, message, source } = spec.clientThrow;
      const exception = await throwInBrowser({
        browser,
        local,
        url: `${site.url}${page}`,
        selector,
        message,
      });
      const line = lineOf(path.join(spec.app, source), message);
      expectThrowResolved(exception, { message, source, line, platform: 'web:javascript', releaseId });
    });

    for (const thrown of spec.serverThrows) {
      it(`resolves a server throw (posthog-node) to ${thrown.source}`, async () => {
        const { local, site, releaseId } = ready();
        const exception = await throwOnServer({
          local,
          url: `${site.url}${thrown.path}`,
          message: thrown.message,
        });
        const line = lineOf(path.join(spec.app, thrown.source), thrown.message);
        expectThrowResolved(exception, {
          message: thrown.message,
          source: thrown.source,
          line,
          platform: 'node:javascript',
          releaseId,
        });
      });
    }

    spec.more?.(ready);

    it('uploads, on a second build of the same sources, only what the framework changes on every build', async () => {
      const { local, site, deployed } = ready();
      await site.stop();
      const uploads = countUploads(local);
      const second = await build(local);
      const redeployed = deployedJs(deployDir);
      expect(redeployed.map((file) => file.file)).toEqual(deployed.map((file) => file.file));
      const before = new Map(asUploaded(deployed).map((file) => [file.file, file.code]));
      const changed = asUploaded(redeployed)
        .filter((file) => file.snippetIds.length > 0 && before.get(file.file) !== file.code)
        .map((file) => file.file);
      expect(changed.sort()).toEqual([...(spec.changedOnRebuild ?? [])].sort());
      expect(uploads.hits, second.summaries.join('\n')).toBe(changed.length);
    });
  });
}
