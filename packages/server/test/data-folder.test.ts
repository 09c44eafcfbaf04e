import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLogger } from '@hogmaps/core';
import { describe, expect, test } from 'vitest';
import { fakeContainer, uploadSymbolSet } from './helpers/flow';
import { startTestServer, tempDataDir } from './helpers/server';

/** Every entry under `root` with its permission bits, e.g. `{ 'blobs': 0o700, 'hogmaps.db': 0o600 }`. */
function modes(root: string): Record<string, number> {
  const found: Record<string, number> = { '.': statSync(root).mode & 0o777 };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      found[relative(root, path)] = statSync(path).mode & 0o777;
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(root);
  return found;
}

function recordingLogger() {
  const warnings: string[] = [];
  const logger = createLogger({ level: 'warn', write: (line) => warnings.push(line) });
  return Object.assign(logger, { warnings });
}

describe.skipIf(process.platform === 'win32')('the data folder is private to its owner', () => {
  test('a new folder is 0700 and everything in it 0700 (folders) or 0600 (files)', async () => {
    const dataDir = join(tempDataDir(), 'nested', 'data');
    const server = await startTestServer({ dataDir });
    await uploadSymbolSet(server, 'chunk-1', fakeContainer('one'));
    const found = modes(dataDir);
    expect(Object.keys(found)).toEqual(
      expect.arrayContaining(['hogmaps.db', 'hogmaps.db-wal', 'blobs/symbolsets']),
    );
    for (const [path, mode] of Object.entries(found)) {
      const isDir = statSync(join(dataDir, path)).isDirectory();
      expect({ path, mode: mode.toString(8) }).toEqual({ path, mode: isDir ? '700' : '600' });
    }
  });

  test('a folder made by an older server (0755 and 0644) is narrowed on start', async () => {
    const dataDir = join(tempDataDir(), 'old');
    const first = await startTestServer({ dataDir });
    await uploadSymbolSet(first, 'chunk-1', fakeContainer('one'));
    await first.close();
    for (const [path] of Object.entries(modes(dataDir))) {
      const full = join(dataDir, path);
      chmodSync(full, statSync(full).isDirectory() ? 0o755 : 0o644);
    }
    const second = await startTestServer({ dataDir });
    await uploadSymbolSet(second, 'chunk-2', fakeContainer('two'));
    for (const [path, mode] of Object.entries(modes(dataDir))) {
      const isDir = statSync(join(dataDir, path)).isDirectory();
      expect({ path, mode: mode.toString(8) }).toEqual({ path, mode: isDir ? '700' : '600' });
    }
  });

  test("a user's own non-empty folder keeps its mode, with a warning; the files are still 0600", async () => {
    const dataDir = join(tempDataDir(), 'shared');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    const logger = recordingLogger();
    await startTestServer({ dataDir, logger });
    expect(statSync(dataDir).mode & 0o777).toBe(0o755);
    expect(logger.warnings.join('\n')).toContain(`data folder ${dataDir} is readable by other users`);
    expect(statSync(join(dataDir, 'hogmaps.db')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'blobs')).mode & 0o777).toBe(0o700);
  });
});
