// An app outside the workspace that installs the packed tarballs with npm, as a user would: install scripts
// off (`--ignore-scripts`), dependencies from the registry (npm's cache first), every @hogmaps package from
// its tarball. Peer dependencies (the bundlers, which a user already has) are not installed by npm; the
// ones the workspace has installed are linked in instead, so nothing large is downloaded.
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PackedPackage } from './packages';

const run = promisify(execFile);

export interface ScratchApp {
  dir: string;
  /** Runs a command in the app (npm, npx, node), collecting its output; rejects with it on failure. */
  exec(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }>;
  dispose(): Promise<void>;
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

  const exec: ScratchApp['exec'] = async (command, args, env = {}) => {
    try {
      return await run(command, args, {
        cwd: dir,
        env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', ...env },
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`${command} ${args.join(' ')} failed in ${dir}:\n${stdout}\n${stderr}`, {
        cause: error,
      });
    }
  };

  await exec('npm', ['install', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--prefer-offline']);
  for (const pkg of packages) await linkPeers(pkg, dir);
  return {
    dir,
    exec,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
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
