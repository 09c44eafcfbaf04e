// examples/nuxt-app as the e2e tests build, run and inspect it: Nuxt 4.5 needs Node >= 22, so its
// builds and its Nitro server run on Node 24 from @hogmaps/node24; everything else stays on this Node.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { type DecodedSymbolSet, decodeSymbolSet } from '@hogmaps/core';
import { node24Binary } from '@hogmaps/node24';
import { decodedMappings, TraceMap } from '@jridgewell/trace-mapping';
import { type BuildOutput, EXAMPLES_DIR, listFiles, runExampleScript } from '../../test/harness/examples';
import type { LocalServer } from '../../test/harness/local-server';

export const APP_DIR = path.join(EXAMPLES_DIR, 'nuxt-app');

/** Node >= 22 for Nuxt, or a clear error naming what to install. */
export function requireNode24(): string {
  const binary = node24Binary();
  if (!binary) {
    throw new Error(
      'The Nuxt tests need Node >= 22: `pnpm install` brings Node 24 in tools/node24 (linux-x64), ' +
        'or set HOGMAPS_NODE24 to a Node >= 22 binary.',
    );
  }
  return binary;
}

/** The local server's environment with Node 24 first on PATH, so `npm run` runs Nuxt on it. */
export function nuxtEnv(local: LocalServer): NodeJS.ProcessEnv {
  const node = requireNode24();
  return {
    ...local.env,
    PATH: `${path.dirname(node)}${path.delimiter}${local.env.PATH ?? ''}`,
    NUXT_TELEMETRY_DISABLED: '1',
  };
}

/** Runs `nuxt build` or `nuxt generate` in the example, for the app itself or a variant folder. */
export function runNuxt(
  command: 'build' | 'generate',
  local: LocalServer,
  variantDir?: string,
): Promise<BuildOutput> {
  return runExampleScript('nuxt-app', command, nuxtEnv(local), variantDir ? [variantDir] : []);
}

/**
 * A variant of the example (e.g. `ssr: false`) in `.e2e/<name>` inside it, so Node finds the example's
 * dependencies: a Nuxt app that extends the example and overrides a few options.
 */
export async function writeVariant(name: string, overrides: Record<string, unknown>): Promise<string> {
  const dir = path.join(APP_DIR, '.e2e', name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const config = { extends: [APP_DIR], ...overrides };
  await writeFile(
    path.join(dir, 'nuxt.config.ts'),
    `export default defineNuxtConfig(${JSON.stringify(config)});\n`,
  );
  return dir;
}

/** Removes a previous build of the example (or of a variant folder). */
export async function cleanBuild(rootDir: string): Promise<void> {
  for (const name of ['.nuxt', '.output', 'node_modules/.cache/nuxt']) {
    await rm(path.join(rootDir, name), { recursive: true, force: true });
  }
}

/** A chunk id registration of the PostHog snippet (its quotes may have been rewritten by a minifier). */
const SNIPPET = /_posthogChunkIds\[\w+\]=["'`]([^"'`]+)["'`]/g;

export interface DeployedFile {
  /** Relative to `.output`, e.g. `public/_nuxt/Bx1.js`, `server/chunks/nitro/nitro.mjs`. */
  file: string;
  code: string;
  /** The chunk ids the snippets in the file register. */
  snippetIds: string[];
  /** The id in the trailing `//# chunkId=` line (before a `//# sourceMappingURL=` line, if any). */
  commentId: string | undefined;
}

/** The JavaScript the build deployed: Nitro's public folder and its server bundle (not its traced node_modules). */
export function deployedJs(outputDir: string): DeployedFile[] {
  return listFiles(outputDir)
    .filter((file) => /\.m?js$/.test(file) && !file.split('/').includes('node_modules'))
    .map((file) => {
      const code = readFileSync(path.join(outputDir, file), 'utf8');
      // The last line, or the one before a trailing sourceMappingURL comment (maps the user keeps).
      const lines = code.trimEnd().split('\n');
      if (/^\/\/# sourceMappingURL=/.test(lines.at(-1) ?? '')) lines.pop();
      const last = lines.at(-1) ?? '';
      return {
        file,
        code,
        snippetIds: [...code.matchAll(SNIPPET)].map((match) => match[1]!),
        commentId: /^\/\/# chunkId=(\S+)$/.exec(last)?.[1],
      };
    });
}

/** Whether a JavaScript file carries a PostHog snippet. */
export function hasSnippet(code: string): boolean {
  return new RegExp(SNIPPET.source).test(code);
}

/** Whether a source map maps at least one position (Nitro empties the maps of library-only chunks). */
export function mapsAnything(mapText: string): boolean {
  return decodedMappings(new TraceMap(mapText)).some((line) => line.length > 0);
}

/** Every symbol set the server holds, downloaded and decoded, by chunk id. */
export async function downloadSymbolSets(local: LocalServer): Promise<Map<string, DecodedSymbolSet>> {
  const base = `/api/projects/${local.server.projectId}/error_tracking/symbol_sets`;
  const page = await local.get<{ results: { id: string; ref: string; has_uploaded_file: boolean }[] }>(
    `${base}/?limit=1000`,
  );
  const sets = new Map<string, DecodedSymbolSet>();
  for (const row of page.results.filter((set) => set.has_uploaded_file)) {
    const { url } = await local.get<{ url: string }>(`${base}/${row.id}/download`);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`downloading symbol set ${row.ref}: ${response.status}`);
    sets.set(row.ref, decodeSymbolSet(new Uint8Array(await response.arrayBuffer())));
  }
  return sets;
}

export interface NitroServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts Nitro's node server (`node .output/server/index.mjs`) on Node 24, on 127.0.0.1 and a free port. */
export function startNitro(outputDir: string, env: NodeJS.ProcessEnv): Promise<NitroServer> {
  const entry = path.join(outputDir, 'server', 'index.mjs');
  if (!existsSync(entry)) throw new Error(`no Nitro server at ${entry}: did the build run?`);
  const child: ChildProcess = spawn(requireNode24(), [entry], {
    env: { ...env, HOST: '127.0.0.1', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Nitro did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const url = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({
        url,
        output: () => output,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Nitro exited (${code}) before listening:\n${output}`));
    });
  });
}

/** The Vite client build's folder (Nuxt's build folder may be `.nuxt` or `node_modules/.cache/nuxt/.nuxt`). */
export function findClientDist(rootDir: string): string {
  const manifest = listFiles(rootDir).find(
    (file) => file.endsWith('dist/client/hogmaps-manifest.json') && !file.startsWith('.output/'),
  );
  if (!manifest) throw new Error(`no client build with a hogmaps manifest under ${rootDir}`);
  return path.dirname(path.join(rootDir, manifest));
}
