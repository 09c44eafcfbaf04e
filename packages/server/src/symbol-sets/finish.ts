import type { App } from '../app';
import { parseUuid } from '../db/ids';
import { detailError, validationError } from '../http/errors';
import { MAX_SYMBOL_SET_BYTES } from '../storage/presign';
import { dropUnusedObjects, removeSymbolSetRow, sweepExpiredUploads } from './objects';
import type { SymbolSetRow } from './store';
import type { UploadSlot } from './uploads';

const FILE_NOT_FOUND = 'No file has been uploaded for the symbol set.';

/**
 * The upload a finish with `hash` completes: the newest open start that declared this hash and whose
 * object was written, else (a legacy start declared no hash) the one the row's key belongs to, as
 * PostHog finishes whatever is at the row's key. Two starts racing on one chunk id thus each finish
 * their own object, the last finish wins, and the stored file always matches the stored hash.
 */
function uploadFor(app: App, row: SymbolSetRow, hash: string): UploadSlot | undefined {
  const written = app.uploads.ofSet(row.id).filter((slot) => slot.uploaded === 1);
  return (
    written.find((slot) => slot.content_hash === hash) ??
    written.find((slot) => slot.content_hash === null && slot.storage_key === row.storage_ptr)
  );
}

/** The object-storage HEAD failed for a set whose object is empty or too large: it is deleted. */
class TooLarge extends Error {
  constructor(readonly row: SymbolSetRow) {
    super('file_too_large');
  }
}

/** An empty or oversize object: its set goes, with every object it had. */
async function rejectTooLarge(app: App, row: SymbolSetRow): Promise<never> {
  await dropUnusedObjects(app, app.db.transaction(() => removeSymbolSetRow(app, row.team_id, row.id))());
  throw validationError('file_too_large', 'The uploaded symbol set file was too large.');
}

/**
 * The HEAD that finishing does, on the object the finish takes: missing keeps the row (the client may
 * retry); empty or oversize deletes the row and its objects (after the transaction).
 */
function checkObject(app: App, row: SymbolSetRow, key: string): void {
  const size = app.blobs.sizeSync(key);
  if (size === undefined) throw validationError('file_not_found', FILE_NOT_FOUND);
  if (size === 0 || size > MAX_SYMBOL_SET_BYTES) throw new TooLarge(row);
}

/**
 * Finishes sets in one synchronous transaction, so no upload, finish or DELETE runs between picking
 * each set's object and storing its hash: every set is checked first (the first failure aborts all),
 * then each points at its own start's object and that start is closed (a replay of its form is
 * refused). A set already finished with the same hash needs nothing. Then the objects nothing uses
 * any more are deleted.
 */
async function finishSets(app: App, wanted: [SymbolSetRow, string][]): Promise<void> {
  let stale: (string | null)[];
  try {
    stale = app.db.transaction(() => {
      const picked: [SymbolSetRow, string, UploadSlot][] = [];
      for (const [listed, hash] of wanted) {
        const row = app.symbolSets.get(listed.team_id, listed.id);
        if (!row) throw validationError('symbol_set_not_found', `Unknown symbol set IDs: ${listed.id}`);
        const slot = uploadFor(app, row, hash);
        if (slot) {
          checkObject(app, row, slot.storage_key);
          picked.push([row, hash, slot]);
        } else if (row.content_hash !== hash) {
          throw validationError('file_not_found', FILE_NOT_FOUND);
        }
      }
      const keys: (string | null)[] = [];
      for (const [row, hash, slot] of picked) {
        keys.push(row.storage_ptr);
        app.symbolSets.update(row.id, {
          storage_ptr: slot.storage_key,
          content_hash: hash,
          failure_reason: null,
        });
        app.uploads.remove(slot.storage_key);
      }
      return keys;
    })();
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    return rejectTooLarge(app, error.row);
  }
  await dropUnusedObjects(app, stale);
  await sweepExpiredUploads(app);
}

/** bulk_finish_upload's `content_hashes`, validated; undefined when there is nothing to do. */
function readContentHashes(body: Record<string, unknown>): Map<string, string> | undefined {
  if (!('content_hashes' in body)) return undefined;
  const hashes = body.content_hashes;
  if (hashes === null) throw detailError(400, 'content_hashes are required');
  if (typeof hashes !== 'object' || Array.isArray(hashes)) {
    throw detailError(400, 'content_hashes must be an object mapping symbol set IDs to content hashes');
  }
  const entries = Object.entries(hashes as Record<string, unknown>);
  for (const [id, hash] of entries) {
    if (typeof hash !== 'string' || hash === '') {
      throw detailError(400, `The content hash of symbol set ${id} must be a non-empty string`);
    }
  }
  return new Map(entries as [string, string][]);
}

/**
 * bulk_finish_upload: every listed set must exist in this project and have its object; then all
 * hashes are stored in one transaction. The first failing set aborts the rest.
 */
export async function finishUploads(app: App, teamId: number, body: Record<string, unknown>): Promise<void> {
  const hashes = readContentHashes(body);
  if (!hashes || hashes.size === 0) return;
  const rows: [SymbolSetRow, string][] = [];
  const unknown: string[] = [];
  for (const [id, hash] of hashes) {
    const uuid = parseUuid(id);
    const row = uuid === undefined ? undefined : app.symbolSets.get(teamId, uuid);
    if (row) rows.push([row, hash]);
    else unknown.push(id);
  }
  if (unknown.length > 0) {
    throw validationError('symbol_set_not_found', `Unknown symbol set IDs: ${unknown.sort().join(', ')}`);
  }
  await finishSets(app, rows);
}

/**
 * The deprecated `finish_upload`: the same HEAD, but the hash is stored only if the set had none (a
 * finished set just has its object checked).
 */
export async function finishOneLegacy(app: App, row: SymbolSetRow, hash: string): Promise<void> {
  if (row.content_hash === null) return finishSets(app, [[row, hash]]);
  if (row.storage_ptr === null) throw validationError('file_not_found', FILE_NOT_FOUND);
  try {
    checkObject(app, row, row.storage_ptr);
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    await rejectTooLarge(app, row);
  }
}
