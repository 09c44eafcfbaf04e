import type { App } from '../app';

/**
 * Which stored objects are still wanted: a finished set's object, and whatever an open start may
 * still upload or finish. Everything else under `blobs/` is an orphan and is deleted, so no start,
 * race or crash leaves files behind.
 */
export function isObjectInUse(app: App, key: string): boolean {
  return app.uploads.get(key) !== undefined || app.symbolSets.holdsFinishedObject(key);
}

/** Deletes the objects of these keys that nothing uses any more (checked now, key by key). */
export async function dropUnusedObjects(app: App, keys: Iterable<string | null>): Promise<void> {
  const unused = [...new Set(keys)].filter((key): key is string => key !== null && !isObjectInUse(app, key));
  await Promise.all(unused.map((key) => app.blobs.remove(key)));
}

/** Forgets starts whose finish window has passed and deletes what they uploaded. */
export async function sweepExpiredUploads(app: App): Promise<void> {
  await dropUnusedObjects(app, app.uploads.takeExpired());
}

/**
 * On start: expired starts are swept, and any object no row and no start refers to (an older server's
 * leftovers, a crash between a write and its bookkeeping) is deleted.
 */
export async function sweepOrphanObjects(app: App): Promise<number> {
  await sweepExpiredUploads(app);
  const referenced = app.symbolSets.allStoragePtrs();
  for (const key of app.uploads.allKeys()) referenced.add(key);
  const orphans = app.blobs.listKeys().filter((key) => !referenced.has(key));
  await Promise.all(orphans.map((key) => app.blobs.remove(key)));
  return orphans.length;
}

/**
 * Deletes a set's row (its starts go with it, so their forms can no longer write) and returns the
 * keys of every object it had, for `dropUnusedObjects` once the transaction is over.
 */
export function removeSymbolSetRow(app: App, teamId: number, id: string): string[] {
  const row = app.symbolSets.get(teamId, id);
  if (!row) return [];
  const keys = app.uploads.ofSet(row.id).map((slot) => slot.storage_key);
  if (row.storage_ptr) keys.push(row.storage_ptr);
  app.symbolSets.remove(teamId, row.id);
  return keys;
}

/**
 * Whether a presigned form or URL may write `key` now: only while the start that handed it out is
 * open. A finished start, a deleted set or a passed finish window refuse, so a replayed form never
 * changes a finished set nor re-creates a deleted one.
 */
export function mayWrite(app: App, key: string): boolean {
  return app.uploads.get(key) !== undefined;
}
