// Failure-path tests: a small app, a real esbuild build in a subprocess (as a user's build script runs
// it), and the local server with faults. The subprocess uses the built packages (`pnpm build` first).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Options } from '@hogmaps/core';
import { afterEach } from 'vitest';

const SCRIPT = path.join(import.meta.dirname, 'fixtures', 'esbuild-build.mjs');
const REPO = path.resolve(import.meta.dirname, '../..');

const roots: string[] = [];

afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

/**
 * A two-chunk app (an entry and a lazy chunk); `seed` makes its chunk ids new to the server. The
 * folder is deleted after the test.
 */
export async function writeSmallApp(seed: string): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'hogmaps-failures-'));
  roots.push(root);
  await mkdir(path.join(root, 'src'));
  await writeFile(
    path.join(root, 'src', 'main.js'),
    `export const seed = ${JSON.stringify(seed)};\nexport const load = () => import('./lazy.js');\n`,
  );
  await writeFile(
    path.join(root, 'src', 'lazy.js'),
    `export function fail() { throw new Error(${JSON.stringify(`boom ${seed}`)}); }\n`,
  );
  await writeFile(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'failures-app', version: '1.0.0' }),
  );
  return root;
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the esbuild build script in a subprocess with a clean PostHog environment. */
export function buildInSubprocess(root: string, options: Options): Promise<ProcessResult> {
  for (const name of ['core', 'esbuild']) {
    if (!existsSync(path.join(REPO, 'packages', name, 'dist', 'index.js'))) {
      throw new Error(`@hogmaps/${name} is not built: run \`pnpm build\` first`);
    }
  }
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: root };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, root, JSON.stringify(options)], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
