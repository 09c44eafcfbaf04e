import type { Database } from './database';

/**
 * Schema changes, applied in order and recorded in `PRAGMA user_version`. Append only: a data folder
 * made by an older server is upgraded on start.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    api_token TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  );
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    secret TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,        -- JSON array of scope strings
    project_ids TEXT,            -- JSON array of project ids; NULL = every project
    created_at TEXT NOT NULL
  );
  CREATE TABLE releases (
    id TEXT PRIMARY KEY,
    team_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    hash_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    metadata TEXT,               -- JSON or NULL
    version TEXT NOT NULL,
    project TEXT NOT NULL,
    UNIQUE (team_id, hash_id)
  );
  CREATE INDEX releases_team_created ON releases (team_id, created_at);
  CREATE TABLE symbol_sets (
    id TEXT PRIMARY KEY,
    team_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    ref TEXT NOT NULL,
    created_at TEXT NOT NULL,
    storage_ptr TEXT,
    failure_reason TEXT,
    content_hash TEXT,
    last_used TEXT,
    release_id TEXT REFERENCES releases(id) ON DELETE SET NULL,
    UNIQUE (team_id, ref)
  );
  CREATE INDEX symbol_sets_team_created ON symbol_sets (team_id, created_at);
  CREATE INDEX symbol_sets_release ON symbol_sets (release_id);
  `,
  // One row per storage key handed out by a start: an upload may only write to a key whose start is
  // still open, and finish takes the object that its own start's upload wrote.
  `
  CREATE TABLE symbol_set_uploads (
    storage_key TEXT PRIMARY KEY,
    symbol_set_id TEXT NOT NULL REFERENCES symbol_sets(id) ON DELETE CASCADE,
    content_hash TEXT,           -- the hash the start declared; NULL for legacy starts
    uploaded INTEGER NOT NULL,   -- 1 once an object was written under the key
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL     -- after this an unfinished upload is an orphan, and is removed
  );
  CREATE INDEX symbol_set_uploads_set ON symbol_set_uploads (symbol_set_id);
  CREATE INDEX symbol_set_uploads_expiry ON symbol_set_uploads (expires_at);
  CREATE INDEX symbol_sets_storage ON symbol_sets (storage_ptr);
  `,
];

export function migrate(db: Database): void {
  const { user_version: current } = db.prepare('PRAGMA user_version').get() as { user_version: number };
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    })();
  }
}
