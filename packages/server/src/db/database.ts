/** Which SQLite the server stores its data with (see docs/server-storage.md). */
export type SqliteBackend = 'node:sqlite' | 'node-sqlite3-wasm';

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/**
 * A prepared statement. Parameters are positional values (`?`), or one object whose keys are the
 * names of `@name` parameters without the `@`. Values: null, number, bigint, string, Uint8Array.
 */
export interface Statement {
  run(...params: unknown[]): RunResult;
  /** The first row, or undefined. */
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/**
 * The one database interface the stores use, implemented over `node:sqlite` and over
 * node-sqlite3-wasm. Statements are cached by SQL text for the connection's life, so build SQL only
 * from a fixed set of fragments and pass every value as a parameter.
 */
export interface Database {
  readonly backend: SqliteBackend;
  prepare(sql: string): Statement;
  /** Runs one or more statements without parameters (schema, pragmas). */
  exec(sql: string): void;
  /**
   * Wraps `fn` so each call runs in one transaction (a savepoint when nested): committed when it
   * returns, rolled back when it throws. `fn` must be synchronous.
   */
  transaction<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T;
  close(): void;
}

/** SQLite's extended result code for a UNIQUE constraint violation. */
const SQLITE_CONSTRAINT_UNIQUE = 2067;

/** True for SQLite's UNIQUE violations, which we turn into PostHog's "already in use" answers. */
export function isUniqueViolation(error: unknown): boolean {
  const { errcode, message } = (error ?? {}) as { errcode?: unknown; message?: unknown };
  // node:sqlite gives the extended code; node-sqlite3-wasm only SQLite's message.
  return (
    errcode === SQLITE_CONSTRAINT_UNIQUE ||
    (typeof message === 'string' && message.startsWith('UNIQUE constraint failed'))
  );
}

/** Past this many distinct SQL texts, statements are prepared per call instead of cached. */
const MAX_CACHED_STATEMENTS = 500;

/**
 * What both backends share: the statement cache and better-sqlite3's transaction semantics
 * (BEGIN, or a SAVEPOINT inside another transaction). A backend supplies how to prepare a statement,
 * how to make a one-off statement (prepared, run, released per call), how to run plain SQL and how
 * to close.
 */
export function createDatabase(backend: {
  name: SqliteBackend;
  prepare(sql: string): Statement & { release?(): void };
  oneOff(sql: string): Statement;
  exec(sql: string): void;
  close(): void;
}): Database {
  const cache = new Map<string, Statement & { release?(): void }>();
  let depth = 0;

  const prepare = (sql: string): Statement => {
    let statement = cache.get(sql);
    if (statement) return statement;
    if (cache.size >= MAX_CACHED_STATEMENTS) return backend.oneOff(sql);
    statement = backend.prepare(sql);
    cache.set(sql, statement);
    return statement;
  };

  const transaction =
    <A extends unknown[], T>(fn: (...args: A) => T) =>
    (...args: A): T => {
      const savepoint = `hogmaps_${depth}`;
      backend.exec(depth === 0 ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
      depth += 1;
      let result: T;
      try {
        result = fn(...args);
        if (typeof (result as { then?: unknown } | null)?.then === 'function') {
          throw new TypeError('a transaction function must not return a promise');
        }
      } catch (error) {
        depth -= 1;
        backend.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
        throw error;
      }
      depth -= 1;
      if (depth > 0) {
        backend.exec(`RELEASE ${savepoint}`);
        return result;
      }
      try {
        backend.exec('COMMIT');
      } catch (error) {
        // A failed COMMIT (e.g. the disk is full) can leave the transaction open: never keep it.
        try {
          backend.exec('ROLLBACK');
        } catch {
          // already rolled back by SQLite
        }
        throw error;
      }
      return result;
    };

  return {
    backend: backend.name,
    prepare,
    exec: (sql) => backend.exec(sql),
    transaction,
    close() {
      for (const statement of cache.values()) statement.release?.();
      cache.clear();
      backend.close();
    },
  };
}
