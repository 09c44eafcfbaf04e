import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PACKAGES = path.resolve(import.meta.dirname, '../..');
// The CLI binary imports the built core and server, so all three must be current.
const BUILT = ['core', 'server', 'cli'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function isStale(name: string): boolean {
  try {
    const built = statSync(path.join(PACKAGES, name, 'dist', 'index.js')).mtimeMs;
    return newestSource(path.join(PACKAGES, name, 'src')) > built;
  } catch {
    return true;
  }
}

/**
 * Builds `@hogmaps/cli` and what it depends on when a source file is newer than its build, and makes
 * one temporary folder for all the projects the tests create, removed at the end of the run.
 */
export default function setup(): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'hogmaps-cli-tests-'));
  process.env.HOGMAPS_CLI_TEST_TMP = root;
  const binary = statSync(path.join(PACKAGES, 'cli', 'dist', 'cli.js'), { throwIfNoEntry: false });
  if (!binary || BUILT.some(isStale)) {
    execFileSync('pnpm', ['--filter', '@hogmaps/cli...', 'build'], {
      cwd: PACKAGES,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    });
  }
  return () => rmSync(root, { recursive: true, force: true });
}
