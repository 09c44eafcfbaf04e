// examples/nuxt-app as the e2e tests build, run and inspect it: Nuxt 4.5 needs Node >= 22, so its
// builds and its Nitro server run on Node 24 from @hogmaps/node24; everything else stays on this Node.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { type BuildOutput, EXAMPLES_DIR, listFiles, runExampleScript } from '../../test/harness/examples';
import type { LocalServer } from '../../test/harness/local-server';
import { requireNode24, withNode24 } from '../harness/node24';

export const APP_DIR = path.join(EXAMPLES_DIR, 'nuxt-app');

/** The local server's environment for Nuxt: Node 24 first on PATH, so `npm run` runs Nuxt on it. */
export function nuxtEnv(local: LocalServer): NodeJS.ProcessEnv {
  return withNode24(local.env);
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
