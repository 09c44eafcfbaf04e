// An app outside the workspace that installs the packed tarballs with npm, as a user would: install scripts
// off (`--ignore-scripts`), dependencies from the registry (npm's cache first), every @hogmaps package from
// its tarball. Peer dependencies (the bundlers, which a user already has) are not installed by npm; the
// ones the workspace has installed are linked in instead, so nothing large is downloaded.
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PackedPackage } from './packages';

export interface ScratchApp {
  dir: string;
  /**
   * Runs a command in the app (npm, npx, node), collecting its output; rejects with it on failure, or
   * when it has not finished within `limitMs` (then it and everything it started are killed).
   */
  exec(
    command: string,
    args: string[],
    env?: NodeJS.ProcessEnv,
    limitMs?: number,
  ): Promise<{ stdout: string; stderr: string }>;
  /** Starts a long-running command in the app; resolves once its stdout matches `ready`. */
  start(command: string, args: string[], ready: RegExp, env?: NodeJS.ProcessEnv): Promise<Started>;
  dispose(): Promise<void>;
}

export interface Started {
  /** Its stdout up to the `ready` match. */
  stdout: string;
  /** Stops it and everything it started (npx runs the command in a child process). */
  stop(): Promise<void>;
}

export async function createScratchApp(packages: PackedPackage[]): Promise<ScratchApp> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-scratch-app-'));
  const tarballs = Object.fromEntries(packages.map((pkg) => [pkg.manifest.name, `file:${pkg.tarball}`]));
  // overrides: a package's dependency on another @hogmaps package is served by its tarball too.
  const manifest = {
    name: 'scratch-app',
    version: '1.0.0',
    private: true,
    dependencies: tarballs,
    overrides: tarballs,
  };
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const appEnv = (env: NodeJS.ProcessEnv) => ({
    ...process.env,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    ...env,
  });
  const exec: ScratchApp['exec'] = (command, args, env = {}, limitMs = COMMAND_LIMIT_MS) =>
    execBounded(command, args, { cwd: dir, env: appEnv(env) }, limitMs);

  await exec(
    'npm',
    ['install', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--prefer-offline'],
    {},
    INSTALL_LIMIT_MS,
  );
  for (const pkg of packages) await linkPeers(pkg, dir);
  const started = new Set<Started>();
  const start: ScratchApp['start'] = (command, args, ready, env = {}) =>
    startProcess(command, args, ready, { cwd: dir, env: appEnv(env) }).then((proc) => {
      started.add(proc);
      return proc;
    });
  return {
    dir,
    exec,
    start,
    dispose: async () => {
      await Promise.all([...started].map((proc) => proc.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * How long one command may run: far beyond what it takes on a loaded machine (seconds), so that a
 * command that hangs fails on its own, naming itself and showing what it printed, instead of the
 * test's timeout saying nothing about which of its commands never finished.
 */
const COMMAND_LIMIT_MS = 90_000;
const INSTALL_LIMIT_MS = 240_000;

/**
 * Spawns `command` in its own process group (so killing the group stops what it started), collecting
 * its output; `failure` builds the error that names the command, where it ran and what it printed.
 */
function spawnInGroup(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  onStdout: (stdout: string) => void = () => {},
) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output.stderr += chunk;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output.stdout += chunk;
    onStdout(output.stdout);
  });
  const failure = (reason: string, cause?: unknown) =>
    new Error(
      `${command} ${args.join(' ')} ${reason} in ${options.cwd}:\n${output.stdout}\n${output.stderr}`,
      {
        cause,
      },
    );
  const kill = (signal: NodeJS.Signals) => {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  return { child, output, failure, kill };
}

/** Runs `command` to its end; on failure or past `limitMs` (then killed), rejects with its output. */
function execBounded(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  limitMs: number,
): Promise<{ stdout: string; stderr: string }> {
  const { child, output, failure, kill } = spawnInGroup(command, args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    kill('SIGKILL');
  }, limitMs);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(failure(`could not start (${error.message})`, error));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(failure(`did not finish within ${limitMs / 1000} s (killed)`));
      else if (code === 0) resolve(output);
      else reject(failure(`failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** Starts `command`; resolves once its stdout matches `ready`, with a way to stop it and its children. */
function startProcess(
  command: string,
  args: string[],
  ready: RegExp,
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<Started> {
  return new Promise<Started>((resolve, reject) => {
    const { child, failure, kill } = spawnInGroup(command, args, options, (stdout) => {
      if (ready.test(stdout)) resolve({ stdout, stop });
    });
    const exited = new Promise<void>((done) => child.once('close', () => done()));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) kill('SIGTERM');
      await exited;
    };
    const failed = (reason: string) => {
      void stop();
      reject(failure(reason));
    };
    child.once('error', (error) => failed(`could not start (${error.message})`));
    child.once('close', (code, signal) => failed(`exited (${signal ?? code}) before it was ready`));
  });
}

/** Links each peer dependency the workspace installed for this package into the app's node_modules. */
async function linkPeers(pkg: PackedPackage, appDir: string): Promise<void> {
  for (const peer of Object.keys(pkg.manifest.peerDependencies ?? {})) {
    const installed = path.join(pkg.dir, 'node_modules', peer);
    const target = path.join(appDir, 'node_modules', peer);
    if (!existsSync(installed) || existsSync(target)) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await symlink(realpathSync(installed), target, 'dir');
  }
}
