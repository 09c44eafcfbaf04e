import type { App } from '../app';
import { getMeta, setMeta } from '../db/open';
import { getExceptionBySeq, listExceptionsAfter, type StoredException } from '../events/store';
import type { SymbolicatedFrame } from '../symbolication/resolve-frame';
import { computeFingerprint, FINGERPRINT_VERSION, type Fingerprint } from './fingerprint';
import { exceptionTitle, releaseIdOf } from './views';

type Db = App['db'];

/** The first exception of an event (the one an issue is named after), its frames symbolicated. */
export interface MainException {
  type: string;
  value: string;
  frames: SymbolicatedFrame[];
}

export interface IssueIndexDeps {
  db: Db;
  /** Symbolicates one event's frames with the project's symbol sets as they are now. */
  symbolicate(projectId: number, frames: readonly unknown[]): SymbolicatedFrame[];
  /** True when the project has no finished symbol set for the chunk id. */
  isSymbolSetMissing(projectId: number, chunkId: string): boolean;
}

/** One issue of the list, before the latest event is read. */
export interface IssueRow {
  fingerprint: string;
  count: number;
  first_seen: string;
  last_seen: string;
  latest_seq: number;
}

/** How one event is grouped: its issue, the frame that decided it (JSON), the chunk it waits for. */
export interface IndexEntry {
  fingerprint: string;
  frame: string | null;
  pending_chunk: string | null;
}

export interface IssueQuery {
  /** Case-insensitive text in the type, message, function or file of any event of the issue. */
  search?: string;
  /** Only events of this release count (and only issues that have some). */
  releaseId?: string;
  limit: number;
  offset: number;
}

const BATCH = 200;
const initialized = new WeakSet<Db>();

function ensureTables(db: Db): void {
  if (initialized.has(db)) return;
  db.exec(`
    CREATE TABLE IF NOT EXISTS inbox_fingerprints (
      event_seq INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL,
      fingerprint TEXT NOT NULL,
      timestamp TEXT NOT NULL,
      release_id TEXT,
      search_text TEXT NOT NULL,
      frame TEXT,
      pending_chunk TEXT
    );
    CREATE INDEX IF NOT EXISTS inbox_fingerprints_issue ON inbox_fingerprints (project_id, fingerprint, timestamp);
    CREATE INDEX IF NOT EXISTS inbox_fingerprints_time ON inbox_fingerprints (project_id, timestamp);
    CREATE INDEX IF NOT EXISTS inbox_fingerprints_pending ON inbox_fingerprints (project_id, pending_chunk);
  `);
  // Fingerprints from another version of the rules are computed again.
  if (getMeta(db, 'inbox_fingerprint_version') !== String(FINGERPRINT_VERSION)) {
    db.transaction(() => {
      db.exec('DELETE FROM inbox_fingerprints');
      setMeta(db, 'inbox_fingerprint_version', String(FINGERPRINT_VERSION));
    })();
  }
  initialized.add(db);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Issues are groups of exceptions with one fingerprint (see fingerprint.ts). Symbolication happens
 * when exceptions are read, so an exception captured before its symbol set was uploaded resolves
 * later. The fingerprint is therefore computed when the inbox first reads a new exception and kept
 * in `inbox_fingerprints` (indexed, so listing issues is one grouped query), with the chunk id it
 * still waits for; when that chunk's symbol set has finished uploading, the fingerprint is computed
 * again and the exception moves to its final issue.
 */
export function createIssueIndex(deps: IssueIndexDeps) {
  const { db } = deps;
  ensureTables(db);
  const insert = `INSERT OR REPLACE INTO inbox_fingerprints
    (event_seq, project_id, fingerprint, timestamp, release_id, search_text, frame, pending_chunk)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

  function mainException(exception: StoredException): MainException {
    const { type, value, frames } = exceptionTitle(exception.properties);
    return { type, value, frames: deps.symbolicate(exception.projectId, frames) };
  }

  function fingerprintOf(exception: StoredException, main: MainException): Fingerprint {
    return computeFingerprint(
      {
        type: main.type,
        value: main.value,
        frames: main.frames,
        custom: exception.properties.$exception_fingerprint,
      },
      (chunkId) => deps.isSymbolSetMissing(exception.projectId, chunkId),
    );
  }

  function index(exception: StoredException): void {
    const main = mainException(exception);
    const fingerprint = fingerprintOf(exception, main);
    const search = [main.type, main.value, fingerprint.frame?.name, fingerprint.frame?.file]
      .filter(Boolean)
      .join('\n')
      .toLowerCase();
    db.prepare(insert).run(
      exception.seq,
      exception.projectId,
      fingerprint.id,
      exception.timestamp,
      releaseIdOf(exception.properties),
      search,
      fingerprint.frame ? JSON.stringify(fingerprint.frame) : null,
      fingerprint.pendingChunk,
    );
  }

  return {
    mainException,

    /**
     * Fingerprints the project's exceptions that arrived since the last call, and again those
     * whose awaited symbol set has finished uploading since.
     */
    refresh(projectId: number): void {
      const last = db
        .prepare('SELECT MAX(event_seq) AS seq FROM inbox_fingerprints WHERE project_id = ?')
        .get(projectId) as { seq: number | null };
      let after = last.seq ?? 0;
      for (;;) {
        const batch = listExceptionsAfter(db, projectId, after, BATCH);
        if (batch.length === 0) break;
        db.transaction(() => batch.forEach(index))();
        after = batch.at(-1)!.seq;
      }
      const arrived = db
        .prepare(
          `SELECT f.event_seq AS seq FROM inbox_fingerprints f
           JOIN symbol_sets s ON s.team_id = f.project_id AND s.ref = f.pending_chunk
           WHERE f.project_id = ? AND f.pending_chunk IS NOT NULL AND s.content_hash IS NOT NULL`,
        )
        .all(projectId) as { seq: number }[];
      db.transaction(() => {
        for (const { seq } of arrived) {
          const exception = getExceptionBySeq(db, projectId, seq);
          if (exception) index(exception);
        }
      })();
    },

    /** Issues, newest last occurrence first. */
    list(projectId: number, query: IssueQuery): { count: number; rows: IssueRow[] } {
      const where = ['f.project_id = @projectId'];
      const params: Record<string, unknown> = { projectId };
      if (query.releaseId !== undefined) {
        where.push('f.release_id = @releaseId');
        params.releaseId = query.releaseId;
      }
      if (query.search) {
        where.push(`f.fingerprint IN (SELECT m.fingerprint FROM inbox_fingerprints m
          WHERE m.project_id = @projectId AND m.search_text LIKE @search ESCAPE '\\')`);
        params.search = `%${escapeLike(query.search.toLowerCase())}%`;
      }
      const from = `FROM inbox_fingerprints f WHERE ${where.join(' AND ')}`;
      const { n } = db.prepare(`SELECT COUNT(DISTINCT f.fingerprint) AS n ${from}`).get(params) as {
        n: number;
      };
      const rows = db
        .prepare(
          `SELECT f.fingerprint AS fingerprint, COUNT(*) AS count, MIN(f.timestamp) AS first_seen,
             MAX(f.timestamp) AS last_seen, MAX(f.event_seq) AS latest_seq
           ${from} GROUP BY f.fingerprint ORDER BY last_seen DESC, latest_seq DESC LIMIT @limit OFFSET @offset`,
        )
        .all({ ...params, limit: query.limit, offset: query.offset }) as IssueRow[];
      return { count: n, rows };
    },

    /** One issue's totals over all its events, or undefined when no event has this fingerprint. */
    get(projectId: number, fingerprint: string): IssueRow | undefined {
      const row = db
        .prepare(
          `SELECT fingerprint, COUNT(*) AS count, MIN(timestamp) AS first_seen, MAX(timestamp) AS last_seen,
             MAX(event_seq) AS latest_seq
           FROM inbox_fingerprints WHERE project_id = ? AND fingerprint = ? GROUP BY fingerprint`,
        )
        .get(projectId, fingerprint) as IssueRow | undefined;
      return row;
    },

    /** An issue's events, newest first. */
    eventSeqs(projectId: number, fingerprint: string, limit: number): number[] {
      const rows = db
        .prepare(
          `SELECT event_seq AS seq FROM inbox_fingerprints WHERE project_id = ? AND fingerprint = ?
           ORDER BY timestamp DESC, event_seq DESC LIMIT ?`,
        )
        .all(projectId, fingerprint, limit) as { seq: number }[];
      return rows.map((row) => row.seq);
    },

    /** How an event of the project is grouped, if the index has it. */
    entry(projectId: number, seq: number): IndexEntry | undefined {
      return db
        .prepare(
          'SELECT fingerprint, frame, pending_chunk FROM inbox_fingerprints WHERE project_id = ? AND event_seq = ?',
        )
        .get(projectId, seq) as IndexEntry | undefined;
    },

    /** Events per issue and UTC day (`YYYY-MM-DD`) from `sinceDay` on. */
    dailyCounts(projectId: number, sinceDay: string, releaseId?: string): Map<string, Map<string, number>> {
      const rows = db
        .prepare(
          `SELECT fingerprint, substr(timestamp, 1, 10) AS day, COUNT(*) AS n FROM inbox_fingerprints
           WHERE project_id = @projectId AND timestamp >= @since AND (@releaseId IS NULL OR release_id = @releaseId)
           GROUP BY fingerprint, day`,
        )
        .all({ projectId, since: sinceDay, releaseId: releaseId ?? null }) as {
        fingerprint: string;
        day: string;
        n: number;
      }[];
      const byIssue = new Map<string, Map<string, number>>();
      for (const row of rows) {
        const days = byIssue.get(row.fingerprint) ?? new Map<string, number>();
        days.set(row.day, row.n);
        byIssue.set(row.fingerprint, days);
      }
      return byIssue;
    },

    /** Exceptions per release id. */
    countByRelease(projectId: number): Map<string, number> {
      const rows = db
        .prepare(
          `SELECT release_id, COUNT(*) AS n FROM inbox_fingerprints
           WHERE project_id = ? AND release_id IS NOT NULL GROUP BY release_id`,
        )
        .all(projectId) as { release_id: string; n: number }[];
      return new Map(rows.map((row) => [row.release_id, row.n]));
    },
  };
}

export type IssueIndex = ReturnType<typeof createIssueIndex>;
