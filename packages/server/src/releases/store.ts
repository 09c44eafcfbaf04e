import type { Clock } from '../clock';
import { isoTime } from '../clock';
import type { Database } from '../db/database';
import { uuid7 } from '../db/ids';
import type { PageRequest } from '../http/pagination';

/** PostHog's release JSON (contracts.ErrorTrackingRelease), field order included. */
export interface ReleaseJson {
  id: string;
  hash_id: string;
  team_id: number;
  created_at: string;
  metadata: unknown;
  version: string;
  project: string;
}

export interface ReleaseRow {
  id: string;
  team_id: number;
  hash_id: string;
  created_at: string;
  metadata: string | null;
  version: string;
  project: string;
}

export function releaseJson(row: ReleaseRow): ReleaseJson {
  return {
    id: row.id,
    hash_id: row.hash_id,
    team_id: row.team_id,
    created_at: row.created_at,
    metadata: row.metadata === null ? null : JSON.parse(row.metadata),
    version: row.version,
    project: row.project,
  };
}

export interface NewRelease {
  hashId: string | undefined;
  version: string;
  project: string;
  metadata: unknown;
}

export interface ReleaseChanges {
  hashId?: string;
  version?: string;
  project?: string;
  metadata?: unknown;
}

export function createReleaseStore(db: Database, clock: Clock) {
  const byId = db.prepare('SELECT * FROM releases WHERE team_id = ? AND id = ?');
  const byHash = db.prepare('SELECT * FROM releases WHERE team_id = ? AND hash_id = ?');
  const count = db.prepare('SELECT COUNT(*) AS n FROM releases WHERE team_id = ?');
  const page = db.prepare(
    'SELECT * FROM releases WHERE team_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?',
  );
  const insert = db.prepare(
    `INSERT INTO releases (id, team_id, hash_id, created_at, metadata, version, project)
     VALUES (@id, @team_id, @hash_id, @created_at, @metadata, @version, @project)`,
  );
  const remove = db.prepare('DELETE FROM releases WHERE team_id = ? AND id = ?');

  return {
    get(teamId: number, id: string): ReleaseRow | undefined {
      return byId.get(teamId, id) as ReleaseRow | undefined;
    },

    getByHash(teamId: number, hashId: string): ReleaseRow | undefined {
      return byHash.get(teamId, hashId) as ReleaseRow | undefined;
    },

    list(teamId: number, request: PageRequest): { rows: ReleaseRow[]; count: number } {
      const total = (count.get(teamId) as { n: number }).n;
      return { rows: page.all(teamId, request.limit, request.offset) as ReleaseRow[], count: total };
    },

    /** Inserts a release; a taken hash_id surfaces as SQLite's UNIQUE violation. */
    insert(teamId: number, release: NewRelease): ReleaseRow {
      const id = uuid7();
      const row: ReleaseRow = {
        id,
        team_id: teamId,
        hash_id: release.hashId ?? id, // PostHog uses the new release's UUID when no hash is given
        created_at: isoTime(clock()),
        metadata:
          release.metadata === null || release.metadata === undefined
            ? null
            : JSON.stringify(release.metadata),
        version: release.version,
        project: release.project,
      };
      insert.run(row);
      return row;
    },

    update(teamId: number, id: string, changes: ReleaseChanges): void {
      const sets: string[] = [];
      const values: unknown[] = [];
      const add = (column: string, value: unknown) => {
        sets.push(`${column} = ?`);
        values.push(value);
      };
      if (changes.hashId !== undefined) add('hash_id', changes.hashId);
      if (changes.version !== undefined) add('version', changes.version);
      if (changes.project !== undefined) add('project', changes.project);
      if (changes.metadata !== undefined) add('metadata', JSON.stringify(changes.metadata));
      if (sets.length === 0) return;
      db.prepare(`UPDATE releases SET ${sets.join(', ')} WHERE team_id = ? AND id = ?`).run(
        ...values,
        teamId,
        id,
      );
    },

    /** Symbol sets of a deleted release become unbound (ON DELETE SET NULL). */
    remove(teamId: number, id: string): boolean {
      return remove.run(teamId, id).changes > 0;
    },
  };
}

export type ReleaseStore = ReturnType<typeof createReleaseStore>;
