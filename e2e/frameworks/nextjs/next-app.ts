import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { type BuildOutput, EXAMPLES_DIR, runExampleScript } from '../../test/harness/examples';
import { requireNode24, withNode24OnPath } from '../node24';

export type NextBundler = 'webpack' | 'turbopack';

const EXAMPLE = path.join(EXAMPLES_DIR, 'nextjs-app');
const NEXT_BIN = path.join(EXAMPLE, 'node_modules/next/dist/bin/next');
// Next regenerates server action ids (and so the chunks holding them) on every build unless this key is
// fixed; a real deploy across several servers sets it too. Any 32-byte base64 value.
const ACTIONS_KEY = Buffer.alloc(32, 7).toString('base64');

/**
 * A copy of examples/nextjs-app for one bundler (its own `.next`, so the two builds never share an
 * output folder), in `.e2e/<bundler>` inside the example so Node finds the example's dependencies.
 */
export function copyNextApp(bundler: NextBundler): string {
  const dir = path.join(EXAMPLE, '.e2e', bundler);
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

/**
 * `next build <copy>` (`--webpack` for webpack; Turbopack is Next 16's default) through the example's
 * own scripts, on Node 24, from the example's folder: as `next build apps/web` runs in a monorepo.
 */
export function nextBuild(dir: string, bundler: NextBundler, env: NodeJS.ProcessEnv): Promise<BuildOutput> {
  const script = bundler === 'webpack' ? 'build:webpack' : 'build';
  return runExampleScript('nextjs-app', script, withNode24OnPath(env, 'Next.js'), [dir]);
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
    requireNode24('Next.js'),
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
