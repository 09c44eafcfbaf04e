import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Manifest, readManifest } from '@hogmaps/core';

export const REPO_DIR = fileURLToPath(new URL('../../../', import.meta.url));
export const EXAMPLES_DIR = path.join(REPO_DIR, 'examples');

export interface BuildOutput {
  /** stdout and stderr, interleaved. */
  output: string;
  /** The lines hogmaps printed (`[hogmaps] …`). */
  hogmapsLines: string[];
  durationMs: number;
}

/**
 * The adapters are used through their dist builds, as users get them; the README's test command
 * builds them first, a direct `vitest run --project e2e` needs `pnpm build` beforehand.
 */
export function assertAdaptersBuilt(adapters: string[]): void {
  const missing = adapters.filter(
    (name) => !existsSync(path.join(REPO_DIR, 'packages', name, 'dist', 'index.js')),
  );
  if (missing.length > 0) {
    throw new Error(`packages ${missing.join(', ')} are not built: run \`pnpm build\` first`);
  }
}

/** Runs an example's `build` script the way a user does (`npm run build`), with `env`. */
export function buildExample(name: string, env: NodeJS.ProcessEnv): Promise<BuildOutput> {
  return runExampleScript(name, 'build', env);
}

/** Runs one of an example's scripts (`npm run <script> -- <args>`), with `env`; rejects on failure. */
export function runExampleScript(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  args: readonly string[] = [],
): Promise<BuildOutput> {
  const started = Date.now();
  const cwd = path.join(EXAMPLES_DIR, name);
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script, ...(args.length > 0 ? ['--', ...args] : [])], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${script} of examples/${name} failed (exit ${code}):\n${output}`));
        return;
      }
      const hogmapsLines = output
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.includes('[hogmaps]'));
      resolve({ output, hogmapsLines, durationMs: Date.now() - started });
    });
  });
}

/** The manifest hogmaps wrote in an output folder. */
export function readBuildManifest(outDir: string): Promise<Manifest> {
  return readManifest(path.join(outDir, 'hogmaps-manifest.json'));
}

/** Every file under `dir`, relative, with forward slashes. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** The 1-based line of the first line containing `marker` in an example's source file. */
export function lineOf(file: string, marker: string): number {
  const index = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(marker));
  if (index < 0) throw new Error(`${file} has no line containing ${JSON.stringify(marker)}`);
  return index + 1;
}
