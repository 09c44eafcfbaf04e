// Every publishable package under packages/ (found by listing the folder, so new packages are covered),
// packed with pnpm exactly as `pnpm publish` would pack it.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** The manifest fields the pack test reads. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  homepage?: string;
  repository?: { type?: string; url?: string; directory?: string };
  bugs?: { url?: string };
  engines?: { node?: string };
  main?: string;
  module?: string;
  types?: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface WorkspacePackage {
  /** Folder name under packages/. */
  folder: string;
  dir: string;
  manifest: Manifest;
}

export interface PackedPackage extends WorkspacePackage {
  tarball: string;
  /** Paths inside the tarball, without the leading `package/`. */
  files: string[];
  /** The package.json as published (publishConfig applied, workspace: ranges replaced). */
  packed: Manifest;
}

export function publishablePackages(): WorkspacePackage[] {
  const dir = path.join(ROOT, 'packages');
  return readdirSync(dir)
    .map((folder) => ({ folder, dir: path.join(dir, folder) }))
    .filter(({ dir }) => existsSync(path.join(dir, 'package.json')))
    .map((pkg) => ({
      ...pkg,
      manifest: JSON.parse(readFileSync(path.join(pkg.dir, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => !manifest.private);
}

/**
 * pnpm itself: the one running this suite when there is one (`npx pnpm@… test` puts it nowhere on PATH
 * for certain), else `pnpm` from PATH.
 */
function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(path.basename(execPath))) return [process.execPath, [execPath]];
  return ['pnpm', []];
}

export async function pack(pkg: WorkspacePackage, destination: string): Promise<PackedPackage> {
  for (const built of [pkg.manifest.main, pkg.manifest.module].filter(Boolean) as string[]) {
    if (!existsSync(path.join(pkg.dir, built))) {
      throw new Error(`${pkg.manifest.name} is not built (${built} is missing): run \`pnpm build\` first`);
    }
  }
  const [command, prefix] = pnpmCommand();
  await run(command, [...prefix, 'pack', '--pack-destination', destination], { cwd: pkg.dir });
  const base = pkg.manifest.name.replace(/^@/, '').replace('/', '-');
  const tarball = path.join(destination, `${base}-${pkg.manifest.version}.tgz`);
  const { stdout } = await run('tar', ['-tzf', tarball]);
  const files = stdout
    .split('\n')
    .filter(Boolean)
    .map((file) => file.replace(/^package\//, ''))
    .sort();
  const packed = JSON.parse((await run('tar', ['-xzOf', tarball, 'package/package.json'])).stdout);
  return { ...pkg, tarball, files, packed };
}

/** Every file a manifest points at: main, module, types, bin and every export target. */
export function referencedFiles(manifest: Manifest): string[] {
  const targets = new Set<string>();
  const walk = (value: unknown) => {
    if (typeof value === 'string') targets.add(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk([manifest.main, manifest.module, manifest.types, manifest.bin, manifest.exports]);
  return [...targets].map((target) => path.posix.normalize(target));
}

/** Every condition name used anywhere in an exports map. */
export function exportConditions(exports: unknown): string[] {
  const names = new Set<string>();
  const walk = (value: unknown) => {
    if (!value || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (!key.startsWith('.')) names.add(key);
      walk(inner);
    }
  };
  walk(exports);
  return [...names];
}

/** The subpaths a package exports for code (`.`, `./foo`), without `./package.json`. */
export function codeSubpaths(manifest: Manifest): string[] {
  const { exports } = manifest;
  if (!exports || typeof exports !== 'object') return ['.'];
  const keys = Object.keys(exports);
  if (!keys.every((key) => key.startsWith('.'))) return ['.'];
  return keys.filter((key) => key !== './package.json' && !key.includes('*'));
}

/** Relative links (`[x](./FILE.md)`) in a README, which must resolve inside the tarball. */
export function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\((?!https?:|#|mailto:)([^)\s#]+)(?:#[^)]*)?\)/g)].map((match) =>
    path.posix.normalize(match[1]!),
  );
}
