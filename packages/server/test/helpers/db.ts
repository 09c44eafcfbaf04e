import { join } from 'node:path';
import Database from 'better-sqlite3';

/** A second connection to a running server's database (WAL allows it), for states no API can make. */
export function openTestDb(dataDir: string): { db: Database.Database } {
  const db = new Database(join(dataDir, 'hogmaps.db'));
  db.pragma('busy_timeout = 5000');
  return { db };
}
