// Framework builds and production servers as child processes on Node 24: a build's output (with the lines
// hogmaps printed), and a server that is up once it answers over HTTP on 127.0.0.1.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { stripVTControlCharacters } from 'node:util';
import { requireNode24, withNode24 } from './node24';

export interface FrameworkBuild {
  /** stdout and stderr, interleaved. */
  output: string;
  /** The lines hogmaps printed (`[hogmaps] …`, also when the framework prefixes its plugins' logs). */
  hogmapsLines: string[];
  /** hogmaps' one-line summaries, one per finished build (`release <name>@…: … chunks with ids, …`). */
  summaries: string[];
}

export interface BuildCommand {
  /** A JavaScript file run with Node 24 (a framework's CLI, e.g. `node_modules/vite/bin/vite.js`). */
  script: string;
  args: readonly string[];
  cwd: string;
  /** The local server's environment (`LocalServer.env`), plus what the app needs. */
  env: NodeJS.ProcessEnv;
}

function collect(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  return () => output;
}

/** Runs a production build with Node 24; rejects with its whole output when it fails. */
export function runBuild(command: BuildCommand): Promise<FrameworkBuild> {
  const child = spawn(requireNode24(), [command.script, ...command.args], {
    cwd: command.cwd,
    env: withNode24(command.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collect(child);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const text = output();
      if (code !== 0) {
        reject(new Error(`${command.script} ${command.args.join(' ')} failed (exit ${code}):\n${text}`));
        return;
      }
      // Framework loggers colour and prefix plugin lines: keep the text from `[hogmaps` on.
      const hogmapsLines = stripVTControlCharacters(text)
        .split('\n')
        .map((line) => line.slice(line.indexOf('[hogmaps')).trim())
        .filter((line) => line.startsWith('[hogmaps'));
      const summaries = hogmapsLines.filter((line) => / chunks? with ids/.test(line));
      resolve({ output: text, hogmapsLines, summaries });
    });
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
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

export interface AppServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** What the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface ServerCommand {
  /** The server's entry, run with Node 24 (e.g. adapter-node's `build/index.js`). */
  script: string;
  args?: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** A path that answers 2xx once the server is up. @default '/' */
  readyPath?: string;
}

/**
 * Starts a production server on 127.0.0.1 and a free port, given as `HOST`/`PORT` (adapter-node, Astro's
 * node adapter, react-router-serve and Nitro all read them); resolves once `readyPath` answers 2xx.
 */
export async function startAppServer(command: ServerCommand): Promise<AppServer> {
  const port = await freePort();
  const child = spawn(requireNode24(), [command.script, ...(command.args ?? [])], {
    cwd: command.cwd,
    env: { ...withNode24(command.env), HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collect(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${command.script} exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${url}${command.readyPath ?? '/'}`)).ok) return { url, output, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`${command.script} did not answer on ${url} within 60 s:\n${output()}`);
}
