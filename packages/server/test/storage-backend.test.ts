import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@hogmaps/core';
import { afterEach, describe, expect, test } from 'vitest';
import { chooseSqliteBackend, SQLITE_ENV } from '../src/db/open';
import { startServer } from '../src/index';
import { fakeContainer, uploadSymbolSet } from './helpers/flow';
import { startTestServer, tempDataDir } from './helpers/server';

const saved = process.env[SQLITE_ENV];
afterEach(() => {
  if (saved === undefined) delete process.env[SQLITE_ENV];
  else process.env[SQLITE_ENV] = saved;
});

/** node:sqlite loads without a flag from Node 22.13 and 23.4 on. */
function nodeHasSqlite(): boolean {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  return major > 23 || (major === 23 && minor >= 4) || (major === 22 && minor >= 13);
}

describe('which SQLite the server uses', () => {
  test('node:sqlite where this Node has it, else node-sqlite3-wasm', async () => {
    delete process.env[SQLITE_ENV];
    const expected = nodeHasSqlite() ? 'node:sqlite' : 'node-sqlite3-wasm';
    expect(chooseSqliteBackend()).toBe(expected);
    expect((await startTestServer()).sqlite).toBe(expected);
  });

  test(`${SQLITE_ENV} forces the fallback, and is checked`, async () => {
    expect(chooseSqliteBackend({ [SQLITE_ENV]: 'node-sqlite3-wasm' })).toBe('node-sqlite3-wasm');
    process.env[SQLITE_ENV] = 'node-sqlite3-wasm';
    expect((await startTestServer()).sqlite).toBe('node-sqlite3-wasm');
    expect(() => chooseSqliteBackend({ [SQLITE_ENV]: 'better-sqlite3' })).toThrow(
      'HOGMAPS_SQLITE must be node:sqlite or node-sqlite3-wasm, got "better-sqlite3"',
    );
    if (nodeHasSqlite()) expect(chooseSqliteBackend({ [SQLITE_ENV]: 'node:sqlite' })).toBe('node:sqlite');
    else {
      expect(() => chooseSqliteBackend({ [SQLITE_ENV]: 'node:sqlite' })).toThrow(
        /has no node:sqlite: it needs Node >= 22\.13/,
      );
    }
  });
});

describe('the fallback holds its data folder (one server at a time)', () => {
  test('a second server on the same folder is refused with the holder named', async () => {
    process.env[SQLITE_ENV] = 'node-sqlite3-wasm';
    const first = await startTestServer();
    await expect(startServer({ dataDir: first.dataDir, quiet: true })).rejects.toThrow(
      `the data folder ${first.dataDir} is in use by another server in this process; stop that server or pass another data folder (--data-dir)`,
    );
    // The refused start took nothing away from the first one.
    expect((await first.api('GET', 'releases')).status).toBe(200);
    await first.close();
    expect(existsSync(join(first.dataDir, 'hogmaps.db.lock'))).toBe(false);
    expect((await startTestServer({ dataDir: first.dataDir })).apiKey).toBe(first.apiKey);
  });

  test('a lock left by a server that died is removed; the data is kept', async () => {
    process.env[SQLITE_ENV] = 'node-sqlite3-wasm';
    const first = await startTestServer();
    const id = await uploadSymbolSet(first, 'kept', fakeContainer('kept'));
    await first.close();
    // What a killed server leaves: the VFS's lock directory with its owner, a process now gone.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const lock = join(first.dataDir, 'hogmaps.db.lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner.json'), JSON.stringify({ pid: dead, host: hostname() }));
    const warnings: string[] = [];
    const logger = createLogger({ level: 'info', write: (line) => void warnings.push(line) });
    const second = await startTestServer({ dataDir: first.dataDir, logger });
    expect(warnings).toEqual([
      expect.stringContaining(
        `removed the database lock of a server that stopped without closing (pid ${dead})`,
      ),
    ]);
    expect((await second.api('GET', `symbol_sets/${id}`)).json.ref).toBe('kept');
  });

  test('a lock without an owner is fresh (a server starting) or left over (old)', async () => {
    process.env[SQLITE_ENV] = 'node-sqlite3-wasm';
    const dataDir = tempDataDir();
    const lock = join(dataDir, 'hogmaps.db.lock');
    mkdirSync(lock, { recursive: true });
    await expect(startServer({ dataDir, quiet: true })).rejects.toThrow(
      'is in use by a hogmaps server that is starting',
    );
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const server = await startTestServer({ dataDir });
    expect(server.sqlite).toBe('node-sqlite3-wasm');
  });
});
