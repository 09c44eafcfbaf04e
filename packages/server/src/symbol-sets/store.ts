import type { Clock } from '../clock';
import { isoTime } from '../clock';
import type { Database } from '../db/database';
import { uuid7 } from '../db/ids';
import type { PageRequest } from '../http/pagination';
import type { ReleaseJson, ReleaseRow } from '../releases/store';
import { releaseJson } from '../releases/store';

/** One row of PostHog's ErrorTrackingSymbolSet. */
export interface SymbolSetRow {
  id: string;
  team_id: number;
  ref: string;
  created_at: string;
  storage_ptr: string | null;
  failure_reason: string | null;
  content_hash: string | null;
  last_used: string | null;
  release_id: string | null;
}

/** The newest server's symbol-set JSON: never `storage_ptr` or `content_hash`. */
export interface SymbolSetJson {
  id: string;
  ref: string;
  team_id: number;
  created_at: string;
  last_used: string | null;
  failure_reason: string | null;
  has_uploaded_file: boolean;
  release: ReleaseJson | null;
}

export function symbolSetJson(row: SymbolSetRow, release: ReleaseRow | undefined): SymbolSetJson {
  return {
    id: row.id,
    ref: row.ref,
    team_id: row.team_id,
    created_at: row.created_at,
    last_used: row.last_used,
    failure_reason: row.failure_reason,
    has_uploaded_file: row.storage_ptr !== null,
    release: release ? releaseJson(release) : null,
  };
}

export const SYMBOL_SET_ORDERINGS = [
  'created_at',
  '-created_at',
  'ref',
  '-ref',
  'last_used',
  '-last_used',
] as const;
export type SymbolSetOrdering = (typeof SYMBOL_SET_ORDERINGS)[number];

// Postgres puts NULLs last when ascending and first when descending; SQLite needs to be told.
const ORDER_SQL: Record<SymbolSetOrdering, string> = {
  created_at: 's.created_at ASC, s.id ASC',
  '-created_at': 's.created_at DESC, s.id DESC',
  ref: 's.ref ASC, s.id ASC',
  '-ref': 's.ref DESC, s.id DESC',
  last_used: 's.last_used ASC NULLS LAST, s.id ASC',
  '-last_used': 's.last_used DESC NULLS FIRST, s.id DESC',
};

export interface SymbolSetFilter {
  ref?: string;
  /** Only sets bound to this release; null for unbound sets (the inbox's filter, not PostHog's). */
  releaseId?: string | null;
  search?: string;
  status: 'all' | 'valid' | 'invalid';
  orderBy: SymbolSetOrdering;
}

/** `last_used` is bumped at 12 h granularity, like the real server, to spare writes. */
const LAST_USED_GRANULARITY_MS = 12 * 60 * 60 * 1000;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type JoinedRow = SymbolSetRow & { [K in keyof ReleaseRow as `r_${K}`]: ReleaseRow[K] | null };

function splitJoined(row: JoinedRow): { row: SymbolSetRow; release: ReleaseRow | undefined } {
  const { r_id, r_team_id, r_hash_id, r_created_at, r_metadata, r_version, r_project, ...set } = row;
  const release =
    r_id === null
      ? undefined
      : {
          id: r_id,
          team_id: r_team_id!,
          hash_id: r_hash_id!,
          created_at: r_created_at!,
          metadata: r_metadata,
          version: r_version!,
          project: r_project!,
        };
  return { row: set, release };
}

const JOINED_COLUMNS = `s.*, r.id AS r_id, r.team_id AS r_team_id, r.hash_id AS r_hash_id,
  r.created_at AS r_created_at, r.metadata AS r_metadata, r.version AS r_version, r.project AS r_project`;

export function createSymbolSetStore(db: Database, clock: Clock) {
  const byId = db.prepare('SELECT * FROM symbol_sets WHERE team_id = ? AND id = ?');
  const byRef = db.prepare('SELECT * FROM symbol_sets WHERE team_id = ? AND ref = ?');
  const insert = db.prepare(
    `INSERT INTO symbol_sets (id, team_id, ref, created_at, storage_ptr, failure_reason, content_hash, last_used, release_id)
     VALUES (@id, @team_id, @ref, @created_at, @storage_ptr, @failure_reason, @content_hash, @last_used, @release_id)`,
  );
  const remove = db.prepare('DELETE FROM symbol_sets WHERE team_id = ? AND id = ?');
  const finishedPtr = db.prepare(
    'SELECT 1 AS yes FROM symbol_sets WHERE storage_ptr = ? AND content_hash IS NOT NULL LIMIT 1',
  );
  const allPtrs = db.prepare('SELECT storage_ptr FROM symbol_sets WHERE storage_ptr IS NOT NULL');
  const touch = db.prepare(
    'UPDATE symbol_sets SET last_used = @now WHERE id = @id AND (last_used IS NULL OR last_used < @stale)',
  );

  return {
    get(teamId: number, id: string): SymbolSetRow | undefined {
      return byId.get(teamId, id) as SymbolSetRow | undefined;
    },

    getByRef(teamId: number, ref: string): SymbolSetRow | undefined {
      return byRef.get(teamId, ref) as SymbolSetRow | undefined;
    },

    insert(
      teamId: number,
      values: {
        ref: string;
        storagePtr: string | null;
        releaseId: string | null;
        contentHash?: string | null;
      },
    ): SymbolSetRow {
      const row: SymbolSetRow = {
        id: uuid7(),
        team_id: teamId,
        ref: values.ref,
        created_at: isoTime(clock()),
        storage_ptr: values.storagePtr,
        failure_reason: null,
        content_hash: values.contentHash ?? null,
        last_used: null,
        release_id: values.releaseId,
      };
      insert.run(row);
      return row;
    },

    update(
      id: string,
      changes: Partial<Pick<SymbolSetRow, 'storage_ptr' | 'content_hash' | 'release_id' | 'failure_reason'>>,
    ) {
      const columns = Object.keys(changes);
      if (columns.length === 0) return;
      db.prepare(
        `UPDATE symbol_sets SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`,
      ).run({
        ...changes,
        id,
      });
    },

    remove(teamId: number, id: string): boolean {
      return remove.run(teamId, id).changes > 0;
    },

    /** True when a finished set keeps its object under this key. */
    holdsFinishedObject(storageKey: string): boolean {
      return finishedPtr.get(storageKey) !== undefined;
    },

    /** Every key a row points at, finished or pending (all projects). */
    allStoragePtrs(): Set<string> {
      return new Set((allPtrs.all() as { storage_ptr: string }[]).map((r) => r.storage_ptr));
    },

    /** Marks sets as used now, unless they were within the last 12 hours. */
    touchLastUsed(ids: readonly string[]): void {
      const now = clock();
      const stale = isoTime(now - LAST_USED_GRANULARITY_MS);
      for (const id of ids) touch.run({ id, now: isoTime(now), stale });
    },

    /** How many of the project's sets (of one release, or unbound with null) finished, failed or wait. */
    countByStatus(
      teamId: number,
      releaseId?: string | null,
    ): { total: number; finished: number; pending: number; failed: number } {
      return db
        .prepare(
          `SELECT COUNT(*) AS total, COUNT(content_hash) AS finished, COUNT(failure_reason) AS failed,
             COALESCE(SUM(CASE WHEN content_hash IS NULL AND failure_reason IS NULL THEN 1 ELSE 0 END), 0) AS pending
           FROM symbol_sets WHERE team_id = @teamId AND (@any = 1 OR release_id IS @releaseId)`,
        )
        .get({ teamId, any: releaseId === undefined ? 1 : 0, releaseId: releaseId ?? null }) as {
        total: number;
        finished: number;
        pending: number;
        failed: number;
      };
    },

    /** Per release of the project: its bound sets, and how many of them finished uploading. */
    countByRelease(teamId: number): Map<string, { total: number; finished: number }> {
      const rows = db
        .prepare(
          `SELECT release_id, COUNT(*) AS total, COUNT(content_hash) AS finished FROM symbol_sets
           WHERE team_id = ? AND release_id IS NOT NULL GROUP BY release_id`,
        )
        .all(teamId) as { release_id: string; total: number; finished: number }[];
      return new Map(rows.map((row) => [row.release_id, { total: row.total, finished: row.finished }]));
    },

    list(
      teamId: number,
      filter: SymbolSetFilter,
      page: PageRequest,
      includeCount: boolean,
    ): { items: { row: SymbolSetRow; release: ReleaseRow | undefined }[]; count: number | null } {
      const where = ['s.team_id = @teamId'];
      const params: Record<string, unknown> = { teamId };
      if (filter.ref !== undefined) {
        where.push('s.ref = @ref');
        params.ref = filter.ref;
      }
      if (filter.releaseId === null) where.push('s.release_id IS NULL');
      if (typeof filter.releaseId === 'string') {
        where.push('s.release_id = @releaseId');
        params.releaseId = filter.releaseId;
      }
      if (filter.search) {
        params.search = `%${escapeLike(filter.search)}%`;
        where.push(
          `(s.ref LIKE @search ESCAPE '\\' OR r.version LIKE @search ESCAPE '\\' OR r.project LIKE @search ESCAPE '\\'
            OR json_extract(r.metadata, '$.git.commit_id') LIKE @search ESCAPE '\\')`,
        );
      }
      if (filter.status === 'valid') where.push('s.storage_ptr IS NOT NULL');
      if (filter.status === 'invalid') where.push('s.storage_ptr IS NULL');
      const from = `FROM symbol_sets s LEFT JOIN releases r ON r.id = s.release_id WHERE ${where.join(' AND ')}`;
      // Without a count, one extra row tells whether there is a next page.
      const take = includeCount ? page.limit : page.limit + 1;
      const rows = db
        .prepare(
          `SELECT ${JOINED_COLUMNS} ${from} ORDER BY ${ORDER_SQL[filter.orderBy]} LIMIT @take OFFSET @skip`,
        )
        .all({ ...params, take, skip: page.offset }) as JoinedRow[];
      const count = includeCount
        ? (db.prepare(`SELECT COUNT(*) AS n ${from}`).get(params) as { n: number }).n
        : null;
      return { items: rows.map(splitJoined), count };
    },
  };
}

export type SymbolSetStore = ReturnType<typeof createSymbolSetStore>;
