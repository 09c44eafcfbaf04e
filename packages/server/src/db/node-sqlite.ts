import { createDatabase, type Database, type RunResult } from './database';

// The part of node:sqlite we use (the project's @types/node is Node 20's, which has no node:sqlite).
interface StatementSync {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface DatabaseSync {
  prepare(sql: string): StatementSync;
  exec(sql: string): void;
  close(): void;
}
interface NodeSqlite {
  DatabaseSync: new (path: string) => DatabaseSync;
}

/**
 * node:sqlite when this Node has it without a flag (>= 22.13, 23.4), else undefined. Node 22 and 23
 * print an ExperimentalWarning when it loads: the server chose it on purpose, so that one warning is
 * dropped (every other warning still goes through).
 */
export function loadNodeSqlite(): NodeSqlite | undefined {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if ((type ?? (warning as Error).name) === 'ExperimentalWarning' && /\bSQLite\b/.test(text)) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return process.getBuiltinModule('node:sqlite') as NodeSqlite | undefined;
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** Opens `file` with Node's own SQLite (WAL: other processes may read and write it too). */
export function openNodeSqlite(sqlite: NodeSqlite, file: string): Database {
  const db = new sqlite.DatabaseSync(file);
  const database = createDatabase({
    name: 'node:sqlite',
    // Rows come with a null prototype; the stores only read their fields.
    prepare: (sql) => db.prepare(sql),
    oneOff: (sql) => db.prepare(sql), // garbage-collected like any statement
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  });
  database.exec('PRAGMA journal_mode = WAL');
  return database;
}
