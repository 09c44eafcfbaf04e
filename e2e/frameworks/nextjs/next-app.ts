// examples/nextjs-app built and served by Next itself (`next build`, `next start`) on Node 24, one copy of
// the app per bundler so that webpack's and Turbopack's `.next` never mix.
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES_DIR } from '../../test/harness/examples';
import {
  type AppServer,
  type DeployedFile,
  deployedJs,
  type FrameworkBuild,
  type LocalServer,
  runBuild,
  startAppServer,
  worthMappingIn,
} from '../harness';

export type NextBundler = 'webpack' | 'turbopack';

export const EXAMPLE = path.join(EXAMPLES_DIR, 'nextjs-app');
const NEXT_BIN = 'node_modules/next/dist/bin/next';
const APP_FILES = [
  'app',
  'lib',
  'instrumentation-client.ts',
  'next.config.ts',
  'package.json',
  'tsconfig.json',
];
// Next gives server actions new ids (so the chunks holding them new code) on every build unless this key
// is fixed, as a deployment over several servers does. Any 32-byte base64 value.
const ACTIONS_KEY = Buffer.alloc(32, 7).toString('base64');

/**
 * A fresh copy of the example for one bundler, in `examples/nextjs-app/.e2e/<bundler>` (git-ignored), so
 * Node resolves the example's dependencies from the copy, and each bundler has its own `.next`.
 */
export function copyNextApp(bundler: NextBundler): string {
  const dir = path.join(EXAMPLE, '.e2e', bundler);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of APP_FILES)
    cpSync(path.join(EXAMPLE, entry), path.join(dir, entry), { recursive: true });
  return dir;
}

/** The local server's environment plus the app's own PostHog settings (read at build time by Next). */
export function nextEnv(local: LocalServer): NodeJS.ProcessEnv {
  return {
    ...local.env,
    NEXT_PUBLIC_POSTHOG_TOKEN: local.env.POSTHOG_PROJECT_TOKEN,
    NEXT_PUBLIC_POSTHOG_HOST: local.env.POSTHOG_API_HOST,
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: ACTIONS_KEY,
  };
}

/**
 * `next build <copy>` run from the example's folder, as `next build apps/web` runs in a monorepo (the
 * release is found in the project folder, not the working directory); `--webpack` for webpack,
 * Turbopack is Next 16's default.
 */
export function buildNext(dir: string, bundler: NextBundler, local: LocalServer): Promise<FrameworkBuild> {
  return runBuild({
    script: NEXT_BIN,
    args: ['build', path.relative(EXAMPLE, dir), ...(bundler === 'webpack' ? ['--webpack'] : [])],
    cwd: EXAMPLE,
    env: nextEnv(local),
  });
}

/** `next start <copy>` on 127.0.0.1 (the port comes from `PORT`). */
export function startNext(dir: string, local: LocalServer): Promise<AppServer> {
  return startAppServer({
    script: NEXT_BIN,
    args: ['start', path.relative(EXAMPLE, dir), '-H', '127.0.0.1'],
    cwd: EXAMPLE,
    env: nextEnv(local),
  });
}

/** What `next start` deploys: the browser's `.next/static` and the server's `.next/server`. */
export function deployedNext(distDir: string): DeployedFile[] {
  return deployedJs(distDir, (file) => /^(?:static|server)\//.test(file));
}

/**
 * JavaScript Next writes itself, outside the bundler: the manifests it writes as JS (`_buildManifest.js`,
 * `*_client-reference-manifest.js`, `server/*-manifest.js`: data, none of the app's code) and the prebuilt
 * polyfills it copies (`polyfillFiles` of `build-manifest.json`: loaded only by browsers without ES
 * modules, with no map). hogmaps leaves them alone.
 */
export function nextGlue(distDir: string): (file: string) => boolean {
  const buildManifest = JSON.parse(readFileSync(path.join(distDir, 'build-manifest.json'), 'utf8')) as {
    polyfillFiles?: string[];
  };
  const polyfills = new Set(
    (buildManifest.polyfillFiles ?? []).map((file) => `static/${file.replace(/^static\//, '')}`),
  );
  return (file) =>
    polyfills.has(file) ||
    /^static\/[^/]+\/_(?:buildManifest|ssgManifest|clientMiddlewareManifest)\.js$/.test(file) ||
    /^server\/(?:.+_client-reference-manifest|[^/]+-manifest)\.js$/.test(file);
}

// What a webpack chunk whose every module is empty (`123:()=>{}`) is, once its snippet and comments are
// gone: Next's per-route client chunks of server-only routes, and server chunks of empty modules.
const SNIPPET = /^!function\(\)\{try\{var e="undefined"[\s\S]*?\}catch\(e\)\{\}\}\(\);?/;
const EMPTY_MODULES = String.raw`\{(?:\d+:\(\)=>\{\},?)*\}`;
const EMPTY_WEBPACK_CHUNK = new RegExp(
  String.raw`^(?:\(self\.webpackChunk_N_E=self\.webpackChunk_N_E\|\|\[\]\)\.push\(\[\[[\d,]+\],${EMPTY_MODULES}` +
    String.raw`|exports\.id=\d+,exports\.ids=\[[\d,]+\],exports\.modules=${EMPTY_MODULES};?$)`,
);

/** A webpack chunk with no module of its own: hogmaps' hidden map of it maps nothing, so no symbol set. */
export function isEmptyWebpackChunk(code: string): boolean {
  const rest = code.replace(SNIPPET, '').replace(/\n\/\/# chunkId=\S+\s*$/, '');
  return EMPTY_WEBPACK_CHUNK.test(rest);
}

/**
 * One file per distinct content. Next's webpack build writes byte-identical client entry chunks for the
 * routes with no client code of their own (the layout, route handlers, the built-in error pages): same
 * bytes, so one chunk id (ids derive from the content) and one symbol set for all of them.
 */
export function distinctContent(files: readonly DeployedFile[]): DeployedFile[] {
  const seen = new Set<string>();
  return files.filter((file) => !seen.has(file.code) && Boolean(seen.add(file.code)));
}

/** Next's chunks worth a symbol set: the harness's rule, less webpack chunks of empty modules. */
export function nextWorthMapping(distDir: string): (file: DeployedFile) => boolean {
  const worth = worthMappingIn(distDir);
  return (file) => worth(file) && !isEmptyWebpackChunk(file.code);
}
