import { spawn } from 'node:child_process';
import path from 'node:path';

/** The built binary, as `npx hogmaps` would run it. */
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
}

/** Runs `node dist/cli.js …args` as a subprocess and collects its output and exit code. */
export function hogmaps(args: readonly string[], options: CliOptions): Promise<CliResult> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: options.cwd, CI: '1' };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.cliPath ?? CLI_PATH, ...args], { cwd: options.cwd, env });
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
