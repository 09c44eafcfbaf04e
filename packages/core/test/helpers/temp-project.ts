import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { resetBuildSessions } from '../../src/session/registry';

/**
 * Each test of the file runs in a fresh temporary folder as its working directory (bundlers resolve
 * entries and write outputs relative to it), holding `files`, with no build session left over from
 * the test before. Returns the current folder's path.
 */
export function useTempProject(prefix: string, files: Record<string, string> = {}): () => string {
  let dir = '';
  let cwd = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), prefix));
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    cwd = process.cwd();
    process.chdir(dir);
    resetBuildSessions();
  });
  afterEach(async () => {
    process.chdir(cwd);
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}
