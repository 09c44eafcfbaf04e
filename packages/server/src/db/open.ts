import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, SqliteBackend } from './database';
import { migrate } from './migrations';
import { loadNodeSqlite, openNodeSqlite } from './node-sqlite';
import { loadWasmSqlite, openWasmSqlite } from './wasm-sqlite';

export { isUniqueViolation } from './database';

export const DATABASE_FILE = 'hogmaps.db';

/** Forces a backend: `node:sqlite` or `node-sqlite3-wasm` (e.g. to compare them on Node >= 22). */
export const SQLITE_ENV = 'HOGMAPS_SQLITE';

const BACKENDS: readonly SqliteBackend[] = ['node:sqlite', 'node-sqlite3-wasm'];

/**
 * The SQLite this process uses: Node's own `node:sqlite` where it has one without a flag
 * (>= 22.13), else node-sqlite3-wasm (WebAssembly: nothing compiled, nothing downloaded).
 */
export function chooseSqliteBackend(env: NodeJS.ProcessEnv = process.env): SqliteBackend {
  const wanted = env[SQLITE_ENV] || undefined;
  if (wanted !== undefined && !BACKENDS.includes(wanted as SqliteBackend)) {
    throw new Error(
      `${SQLITE_ENV} must be ${BACKENDS.join(' or ')}, got ${JSON.stringify(wanted.slice(0, 40))}`,
    );
  }
  if (wanted === 'node-sqlite3-wasm') return wanted;
  if (loadNodeSqlite()) return 'node:sqlite';
  if (wanted === 'node:sqlite') {
    throw new Error(
      `${SQLITE_ENV}=node:sqlite, but this Node (${process.version}) has no node:sqlite: it needs Node >= 22.13`,
    );
  }
  return 'node-sqlite3-wasm';
}

export interface OpenDatabaseOptions {
  /** Told when a lock left by a server that died (pid, 0 if unknown) was removed. */
  onStaleLock?: (pid: number) => void;
}

/** Opens (creating if needed) the server's database in `dataDir`, schema up to date. */
export async function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, DATABASE_FILE);
  const nodeSqlite = chooseSqliteBackend() === 'node:sqlite' ? loadNodeSqlite() : undefined;
  const db = nodeSqlite
    ? openNodeSqlite(nodeSqlite, file)
    : openWasmSqlite(await loadWasmSqlite(), file, dataDir, options.onStaleLock ?? (() => {}));
  try {
    db.exec('PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL');
    // A second server (or `sqlite3`) on the same folder waits for the lock instead of failing at once.
    db.exec('PRAGMA busy_timeout = 5000');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export function getMeta(db: Database, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Database, key: string, value: string): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
