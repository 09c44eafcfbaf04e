import type { Clock } from '../clock';
import { isoTime } from '../clock';
import type { Database } from '../db/database';

/**
 * One open start (bulk_start_upload or start_upload) and the storage key it handed out: its form may
 * write that key, and a finish may take what it wrote. A key without a row (its start was finished,
 * its set deleted, or its finish window passed) accepts nothing.
 */
export interface UploadSlot {
  storage_key: string;
  symbol_set_id: string;
  content_hash: string | null;
  uploaded: 0 | 1;
  created_at: string;
  expires_at: string;
}

/** How long after its form expires an unfinished upload may still be finished (then it is an orphan). */
export const FINISH_GRACE_SECONDS = 3600;

export function createUploadSlotStore(db: Database, clock: Clock) {
  const insert = db.prepare(
    `INSERT INTO symbol_set_uploads (storage_key, symbol_set_id, content_hash, uploaded, created_at, expires_at)
     VALUES (?, ?, ?, 0, ?, ?)`,
  );
  const byKey = db.prepare('SELECT * FROM symbol_set_uploads WHERE storage_key = ?');
  const ofSet = db.prepare(
    'SELECT * FROM symbol_set_uploads WHERE symbol_set_id = ? ORDER BY created_at DESC, rowid DESC',
  );
  const markUploaded = db.prepare('UPDATE symbol_set_uploads SET uploaded = 1 WHERE storage_key = ?');
  const remove = db.prepare('DELETE FROM symbol_set_uploads WHERE storage_key = ?');
  const expired = db.prepare('SELECT storage_key FROM symbol_set_uploads WHERE expires_at < ?');
  const allKeys = db.prepare('SELECT storage_key FROM symbol_set_uploads');

  return {
    /** Records a key handed out now, whose form expires in `expiresInSeconds`. */
    open(key: string, symbolSetId: string, contentHash: string | null, expiresInSeconds: number): void {
      const now = clock();
      const until = now + (expiresInSeconds + FINISH_GRACE_SECONDS) * 1000;
      insert.run(key, symbolSetId, contentHash, isoTime(now), isoTime(until));
    },

    get(key: string): UploadSlot | undefined {
      return byKey.get(key) as UploadSlot | undefined;
    },

    /** The slots of one set, newest first. */
    ofSet(symbolSetId: string): UploadSlot[] {
      return ofSet.all(symbolSetId) as UploadSlot[];
    },

    markUploaded(key: string): void {
      markUploaded.run(key);
    },

    remove(key: string): void {
      remove.run(key);
    },

    /** Removes the slots past their finish window and returns their keys (their objects are orphans). */
    takeExpired(): string[] {
      const keys = (expired.all(isoTime(clock())) as { storage_key: string }[]).map((r) => r.storage_key);
      for (const key of keys) remove.run(key);
      return keys;
    },

    allKeys(): Set<string> {
      return new Set((allKeys.all() as { storage_key: string }[]).map((r) => r.storage_key));
    },
  };
}

export type UploadSlotStore = ReturnType<typeof createUploadSlotStore>;
