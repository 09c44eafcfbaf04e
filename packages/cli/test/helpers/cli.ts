import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';

/** The built binary, as the installed `hogmaps` command (or `npx @hogmaps/cli`) runs it. */
export const CLI_PATH = path.resolve(import.meta.dirname, '../../dist/cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  /** Added to a minimal environment (PATH, HOME, CI), so no POSTHOG_* variable leaks in from outside. */
  env?: Record<string, string | undefined>;
  /** Written to standard input, then closed. */
  input?: string;
  timeoutMs?: number;
  /** Another copy of the binary (e.g. one installed in a scratch app). @default CLI_PATH */
  cliPath?: string;
  /** Node's own flags, before the script (e.g. a V8 trace). */
  nodeArgs?: readonly string[];
}

/** Runs `node dist/cli.js …args` as a subprocess and collects its output and exit code. */
export function hogmaps(args: readonly string[], options: CliOptions): Promise<CliResult> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: options.cwd, CI: '1' };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), options.cliPath ?? CLI_PATH, ...args],
      {
        cwd: options.cwd,
        env,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export interface ServeOptions {
  cwd: string;
  /** The Node binary to run it with. @default process.execPath */
  node?: string;
  /** Another copy of the binary (e.g. one installed in a scratch app). @default CLI_PATH */
  cliPath?: string;
}

export interface Served {
  child: ChildProcessWithoutNullStreams;
  /** Standard output up to the banner's last line. */
  stdout: string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Spawns `hogmaps …args` (a `serve` command) and resolves once the server printed its banner. */
export async function spawnServe(args: readonly string[], options: ServeOptions): Promise<Served> {
  const child = spawn(options.node ?? process.execPath, [options.cliPath ?? CLI_PATH, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: options.cwd },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 30_000);
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, stdout, stderr: () => stderr, exited };
}

/** The POSTHOG_CLI_* variables that point the CLI at a server from its banner. */
export function serverEnv(stdout: string): Record<string, string> {
  const value = (pattern: RegExp) => {
    const match = pattern.exec(stdout)?.[1];
    if (match === undefined) throw new Error(`no ${pattern} in the banner:\n${stdout}`);
    return match;
  };
  return {
    POSTHOG_CLI_HOST: value(/listening on (http:\/\/127\.0\.0\.1:\d+)/),
    POSTHOG_CLI_API_KEY: value(/personal API key:\s+(phx_\S+)/),
    POSTHOG_CLI_PROJECT_ID: value(/project id:\s+(\d+)/),
  };
}
