import type { BindValues, Statement as WasmStatement } from 'node-sqlite3-wasm';
import { createDatabase, type Database, type Statement } from './database';
import { clearStaleLock, recordLockOwner, removeLockOwner } from './folder-lock';

type WasmSqlite = typeof import('node-sqlite3-wasm');

/** The fallback for a Node without node:sqlite: SQLite compiled to WebAssembly, on real files. */
export async function loadWasmSqlite(): Promise<WasmSqlite> {
  try {
    const module = (await import('node-sqlite3-wasm')) as WasmSqlite & { default?: WasmSqlite };
    return module.default ?? module;
  } catch (error) {
    throw new Error(
      `this Node (${process.version}) has no node:sqlite, and its fallback node-sqlite3-wasm cannot be loaded (${(error as Error).message}); reinstall @hogmaps/server, or use Node >= 22.13`,
    );
  }
}

const NAMED_PARAMETER = /[@:$]([A-Za-z_][A-Za-z0-9_]*)/g;

function isNamedValues(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** node-sqlite3-wasm wants named parameters with their prefix (`@id`) and positional ones in an array. */
function bindings(sql: string): (params: unknown[]) => BindValues {
  const names = new Map<string, string>();
  for (const match of sql.matchAll(NAMED_PARAMETER)) names.set(match[1]!, match[0]);
  return (params) => {
    if (params.length !== 1 || !isNamedValues(params[0])) return params as BindValues;
    const named: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(params[0])) {
      const name = names.get(key);
      if (name !== undefined) named[name] = value;
    }
    return named as BindValues;
  };
}

function wrap(statement: Pick<WasmStatement, 'run' | 'get' | 'all'>, sql: string): Statement {
  const bind = bindings(sql);
  return {
    run: (...params) => statement.run(bind(params)),
    get: (...params) => statement.get(bind(params)) ?? undefined,
    all: (...params) => statement.all(bind(params)),
  };
}

/**
 * Opens `file` in exclusive locking mode, which lets this VFS (it has no shared memory) use WAL:
 * one process has the database while it runs. A lock left by a server that died is removed first.
 */
export function openWasmSqlite(
  sqlite: WasmSqlite,
  file: string,
  dataDir: string,
  onStaleLock: (pid: number) => void,
): Database {
  const stalePid = clearStaleLock(file, dataDir);
  if (stalePid !== undefined) onStaleLock(stalePid);
  const db = new sqlite.Database(file);
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('PRAGMA journal_mode = WAL'); // reads the file, so the lock is taken from here on
    recordLockOwner(file);
  } catch (error) {
    db.close();
    throw error;
  }
  return createDatabase({
    name: 'node-sqlite3-wasm',
    prepare(sql) {
      const statement = db.prepare(sql);
      return Object.assign(wrap(statement, sql), { release: () => statement.finalize() });
    },
    // The Database methods prepare and finalize per call: nothing is left in WebAssembly memory.
    oneOff: (sql) =>
      wrap(
        {
          run: (values) => db.run(sql, values),
          get: (values) => db.get(sql, values),
          all: (values) => db.all(sql, values),
        },
        sql,
      ),
    exec: (sql) => db.exec(sql),
    close() {
      removeLockOwner(file);
      db.close();
    },
  });
}
