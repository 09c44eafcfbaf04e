import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { NextConfig } from 'next';

/** Which bundler `next build` runs, decided as Next decides it. */
export type NextBundler = 'webpack' | 'turbopack' | 'rspack';

/**
 * Next parses its command line (`--webpack`, `--turbopack`, the default) into `process.env.TURBOPACK`
 * before it loads the config, and next-rspack sets `NEXT_RSPACK`; so the config function sees the
 * decision in the environment (Next 15 and 16 alike).
 */
export function detectBundler(env: NodeJS.ProcessEnv = process.env): NextBundler {
  if (env.NEXT_RSPACK) return 'rspack';
  if (env.TURBOPACK) return 'turbopack';
  return 'webpack';
}

/** The version of the `next` the project resolves, or undefined when it cannot be read. */
export function nextVersion(projectDir: string): string | undefined {
  try {
    const require = createRequire(path.join(projectDir, 'package.json'));
    const file = require.resolve('next/package.json');
    const version = JSON.parse(readFileSync(file, 'utf8')).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/** `compiler.runAfterProductionCompile` exists from Next 15.4.1 on. */
export function hasAfterCompileHook(version: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return true; // unknown (a canary, a fork): assume a current Next
  const [major, minor, patch] = match.slice(1).map(Number) as [number, number, number];
  if (major !== 15) return major > 15;
  return minor > 4 || (minor === 4 && patch >= 1);
}

type FindRoot = {
  findRootDirAndLockFiles?: (dir: string) => { rootDir?: unknown };
  findRootDir?: (dir: string) => unknown;
};

/**
 * The folder Turbopack's `turbopack:///[project]/` stands for, chosen as Next chooses it:
 * `outputFileTracingRoot`, else `turbopack.root`, else `NEXT_PRIVATE_OUTPUT_TRACE_ROOT`, else the root
 * Next's own `next/dist/lib/find-root` finds for the project (lockfiles, workspaces, git boundary).
 * Undefined when none of these can be read (a Next without that module).
 */
export function turbopackRoot(
  projectDir: string,
  config: NextConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const configured = config.outputFileTracingRoot || config.turbopack?.root;
  if (configured) return path.resolve(configured);
  if (env.NEXT_PRIVATE_OUTPUT_TRACE_ROOT) return path.resolve(env.NEXT_PRIVATE_OUTPUT_TRACE_ROOT);
  try {
    const require = createRequire(path.join(projectDir, 'package.json'));
    const findRoot = require('next/dist/lib/find-root') as FindRoot;
    const root = findRoot.findRootDirAndLockFiles?.(projectDir).rootDir ?? findRoot.findRootDir?.(projectDir);
    return typeof root === 'string' ? root : undefined;
  } catch {
    return undefined;
  }
}
