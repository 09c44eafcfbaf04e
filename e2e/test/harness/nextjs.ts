import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { node24Binary } from '@hogmaps/node24';
import { EXAMPLES_DIR, REPO_DIR } from './examples';

export type NextBundler = 'webpack' | 'turbopack';

const EXAMPLE = path.join(EXAMPLES_DIR, 'nextjs-app');
const NEXT_BIN = path.join(EXAMPLE, 'node_modules/next/dist/bin/next');
// Next regenerates server action ids (and so the chunks holding them) on every build unless this key is
// fixed; a real deploy across several servers sets it too. Any 32-byte base64 value.
const ACTIONS_KEY = Buffer.alloc(32, 7).toString('base64');

/** Node 24 for Next 16 (which needs Node >= 20.9, and whose tests the suite runs on Node 24). */
export function nodeForNext(): string {
  const binary = node24Binary();
  if (!binary) {
    throw new Error(
      'Next.js end-to-end tests need Node 24: run `pnpm install` (tools/node24) or set HOGMAPS_NODE24',
    );
  }
  return binary;
}

/**
 * A copy of examples/nextjs-app for one bundler (its own `.next`, so the two builds never share an
 * output folder), using the example's installed node_modules. Inside the repository, so Next and
 * Turbopack find the same workspace root as in the example itself.
 */
export function copyNextApp(bundler: NextBundler): string {
  const dir = path.join(REPO_DIR, 'e2e', '.apps', `nextjs-${bundler}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of [
    'app',
    'lib',
    'instrumentation-client.ts',
    'next.config.ts',
    'package.json',
    'tsconfig.json',
  ]) {
    cpSync(path.join(EXAMPLE, entry), path.join(dir, entry), { recursive: true });
  }
  symlinkSync(path.join(EXAMPLE, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** The environment of a build and of `next start`: the local server's, plus the app's PostHog settings. */
export function nextEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...env,
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_PUBLIC_POSTHOG_TOKEN: env.POSTHOG_PROJECT_TOKEN,
    NEXT_PUBLIC_POSTHOG_HOST: env.POSTHOG_API_HOST,
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: ACTIONS_KEY,
  };
}

export interface NextBuild {
  output: string;
  hogmapsLines: string[];
}

/** `next build` (`--webpack` for webpack; Turbopack is Next 16's default) with Node 24. */
export function nextBuild(dir: string, bundler: NextBundler, env: NodeJS.ProcessEnv): Promise<NextBuild> {
  const args = [NEXT_BIN, 'build', ...(bundler === 'webpack' ? ['--webpack'] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(nodeForNext(), args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`next build (${bundler}) failed (exit ${code}):\n${output}`));
      const hogmapsLines = output.split('\n').filter((line) => line.includes('[hogmaps]'));
      resolve({ output, hogmapsLines });
    });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface NextServer {
  url: string;
  close(): Promise<void>;
}

/** `next start` on 127.0.0.1, once it answers. */
export async function nextStart(dir: string, env: NodeJS.ProcessEnv): Promise<NextServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    nodeForNext(),
    [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)],
    {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('close', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/`)).ok) return { url, close };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await close();
  throw new Error(`next start did not answer within 60 s:\n${output}`);
}

/** How many PostHog snippets (chunk id registrations) a file carries. */
export function snippetCount(file: string): number {
  return readFileSync(file, 'utf8').match(/_posthogChunkIds\[\w+\]=/g)?.length ?? 0;
}

export function exampleFile(relative: string): string {
  const file = path.join(EXAMPLE, relative);
  if (!existsSync(file)) throw new Error(`examples/nextjs-app/${relative} does not exist`);
  return file;
}
