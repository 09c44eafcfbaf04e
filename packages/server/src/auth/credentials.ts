import type { Clock } from '../clock';
import { isoTime } from '../clock';
import type { Database } from '../db/database';
import { randomToken, uuid7 } from '../db/ids';

export interface Project {
  id: number;
  name: string;
  /** The `phc_` project token SDKs send with events. */
  token: string;
}

export interface ApiKey {
  id: string;
  label: string;
  /** The `phx_` secret sent as `Authorization: Bearer …`. */
  key: string;
  scopes: string[];
  /** Projects the key may act on; null means every project. */
  projectIds: number[] | null;
}

interface ProjectRow {
  id: number;
  name: string;
  api_token: string;
}

interface ApiKeyRow {
  id: string;
  label: string;
  secret: string;
  scopes: string;
  project_ids: string | null;
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    label: row.label,
    key: row.secret,
    scopes: JSON.parse(row.scopes) as string[],
    projectIds: row.project_ids === null ? null : (JSON.parse(row.project_ids) as number[]),
  };
}

/** Projects and personal API keys. Secrets are kept in clear: this is a local development server. */
export function createCredentialStore(db: Database, clock: Clock) {
  const insertProject = db.prepare('INSERT INTO projects (name, api_token, created_at) VALUES (?, ?, ?)');
  const selectProject = db.prepare('SELECT id, name, api_token FROM projects WHERE id = ?');
  const selectProjectByToken = db.prepare('SELECT id FROM projects WHERE api_token = ?');
  const selectProjects = db.prepare('SELECT id, name, api_token FROM projects ORDER BY id');
  const insertKey = db.prepare(
    'INSERT INTO api_keys (id, label, secret, scopes, project_ids, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const selectKeyBySecret = db.prepare('SELECT * FROM api_keys WHERE secret = ?');
  const selectKeyById = db.prepare('SELECT * FROM api_keys WHERE id = ?');
  const deleteKey = db.prepare('DELETE FROM api_keys WHERE id = ?');

  return {
    createProject(options: { name?: string } = {}): Project {
      const token = randomToken('phc_');
      const name = options.name ?? 'Default project';
      const { lastInsertRowid } = insertProject.run(name, token, isoTime(clock()));
      return { id: Number(lastInsertRowid), name, token };
    },

    getProject(id: number): Project | undefined {
      const row = selectProject.get(id) as ProjectRow | undefined;
      return row && { id: row.id, name: row.name, token: row.api_token };
    },

    listProjects(): Project[] {
      return (selectProjects.all() as ProjectRow[]).map((row) => ({
        id: row.id,
        name: row.name,
        token: row.api_token,
      }));
    },

    projectIdForToken(token: string): number | undefined {
      return (selectProjectByToken.get(token) as { id: number } | undefined)?.id;
    },

    createApiKey(options: {
      scopes?: string[];
      projectIds?: number[] | null;
      label?: string;
      key?: string;
    }): ApiKey {
      const record: ApiKey = {
        id: uuid7(),
        label: options.label ?? 'hogmaps',
        key: options.key ?? randomToken('phx_'),
        scopes: options.scopes ?? ['*'],
        projectIds: options.projectIds ?? null,
      };
      insertKey.run(
        record.id,
        record.label,
        record.key,
        JSON.stringify(record.scopes),
        record.projectIds === null ? null : JSON.stringify(record.projectIds),
        isoTime(clock()),
      );
      return record;
    },

    findApiKey(secret: string): ApiKey | undefined {
      const row = selectKeyBySecret.get(secret) as ApiKeyRow | undefined;
      return row && toApiKey(row);
    },

    getApiKey(id: string): ApiKey | undefined {
      const row = selectKeyById.get(id) as ApiKeyRow | undefined;
      return row && toApiKey(row);
    },

    revokeApiKey(id: string): boolean {
      return deleteKey.run(id).changes > 0;
    },
  };
}

export type CredentialStore = ReturnType<typeof createCredentialStore>;
