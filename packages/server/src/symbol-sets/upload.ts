import type { App } from '../app';
import { parseUuid } from '../db/ids';
import { validationError } from '../http/errors';
import type { PresignedPost } from '../storage/presign';
import { BULK_UPLOAD_EXPIRY_SECONDS, MAX_SYMBOL_SET_BYTES } from '../storage/presign';
import type { SymbolSetRow } from './store';
import type { UploadItem, UploadRequest } from './upload-request';

export interface IdMapEntry {
  symbol_set_id: string;
  presigned_url: PresignedPost;
  presigned_put_url?: string;
}

/** An item whose release id has been checked and normalised to the stored UUID form. */
type CheckedItem = UploadItem & { releaseId: string | null };

function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/**
 * The whole-request checks, in the real server's order (3.6, steps 3 to 6); nothing is written
 * before they all pass.
 */
export function validateUploads(app: App, teamId: number, request: UploadRequest): CheckedItem[] {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const { chunkId } of request.items) {
    if (seen.has(chunkId)) duplicates.push(chunkId);
    seen.add(chunkId);
  }
  if (duplicates.length > 0) {
    throw validationError(
      'invalid_chunk_ids',
      `Duplicate chunk IDs provided: ${uniqueSorted(duplicates).join(', ')}`,
    );
  }
  const malformed = request.items.flatMap((item) =>
    item.releaseId !== null && parseUuid(item.releaseId) === undefined ? [item.releaseId] : [],
  );
  if (malformed.length > 0) {
    throw validationError(
      'invalid_release_id',
      `Invalid release ID provided: ${uniqueSorted(malformed).join(', ')}`,
    );
  }
  const checked = request.items.map((item) => ({
    ...item,
    releaseId: item.releaseId === null ? null : parseUuid(item.releaseId)!,
  }));
  const unknown = checked.flatMap((item) =>
    item.releaseId !== null && !app.releases.get(teamId, item.releaseId) ? [item.releaseId] : [],
  );
  if (unknown.length > 0) {
    throw validationError(
      'invalid_release_id',
      `Unknown release ID provided: ${uniqueSorted(unknown).join(', ')}`,
    );
  }
  const oversize = checked.flatMap((item) =>
    item.contentLength !== null && item.contentLength > MAX_SYMBOL_SET_BYTES ? [item.chunkId] : [],
  );
  if (oversize.length > 0) {
    throw validationError(
      'file_too_large',
      `Symbol sets larger than 100MB cannot be uploaded: ${oversize.join(', ')}`,
    );
  }
  return checked;
}

/** `_binds_release`: true when the row must be bound; throws when it belongs to another release. */
function bindsRelease(row: SymbolSetRow, releaseId: string | null): boolean {
  if (releaseId === null || row.release_id === releaseId) return false;
  if (row.release_id === null) return true;
  throw validationError('release_id_mismatch', `Symbol set ${row.ref} already has a release ID`);
}

/** `_needs_upload`: the content rules for an existing row. */
function needsUpload(
  row: SymbolSetRow,
  contentHash: string | null,
  request: UploadRequest,
): 'upload' | 'unchanged' | 'keep' {
  if (contentHash === null && row.content_hash !== null) {
    throw validationError(
      'content_hash_required',
      `Symbol set ${row.ref} already has content; provide a content_hash to update it.`,
    );
  }
  if (row.content_hash === null) return 'upload';
  if (row.content_hash === contentHash) return 'unchanged';
  if (request.force) return 'upload';
  if (request.skipOnConflict) return 'keep';
  throw validationError(
    'content_hash_mismatch',
    `Symbol set ${row.ref} already exists with different content.`,
  );
}

/** bulk_check_upload: which chunk ids still need bulk_start_upload. Writes only `last_used`. */
export function checkUploads(app: App, teamId: number, request: UploadRequest): string[] {
  const items = validateUploads(app, teamId, request);
  return app.db.transaction(() => {
    const needed: string[] = [];
    const unchanged: string[] = [];
    for (const item of items) {
      const row = app.symbolSets.getByRef(teamId, item.chunkId);
      if (!row) {
        needed.push(item.chunkId);
        continue;
      }
      const binds = bindsRelease(row, item.releaseId);
      const content = needsUpload(row, item.contentHash, request);
      if (content === 'upload' || binds) needed.push(item.chunkId);
      else if (content === 'unchanged') unchanged.push(row.id);
    }
    app.symbolSets.touchLastUsed(unchanged);
    return needed;
  })();
}

/**
 * bulk_start_upload: creates or re-keys rows and hands out presigned POSTs, all in one transaction.
 * Every start gets its own storage key, recorded with the hash it declared, so its finish takes
 * exactly what its own upload wrote. Returns the id map and the keys the rows no longer point at
 * (delete after commit, unless another open start still uploads there).
 */
export function startUploads(
  app: App,
  teamId: number,
  request: UploadRequest,
  origin: string,
): { idMap: Record<string, IdMapEntry>; staleKeys: string[] } {
  const items = validateUploads(app, teamId, request);
  return app.db.transaction(() => {
    const idMap: Record<string, IdMapEntry> = {};
    const staleKeys: string[] = [];
    const touched: string[] = [];
    const handOut = (row: SymbolSetRow, item: CheckedItem, key: string) => {
      app.uploads.open(key, row.id, item.contentHash, BULK_UPLOAD_EXPIRY_SECONDS);
      const entry: IdMapEntry = {
        symbol_set_id: row.id,
        presigned_url: app.presigner.presignPost(origin, key, BULK_UPLOAD_EXPIRY_SECONDS),
      };
      if (item.contentLength !== null) {
        entry.presigned_put_url = app.presigner.presignUrl(
          'PUT',
          origin,
          key,
          BULK_UPLOAD_EXPIRY_SECONDS,
          item.contentLength,
        );
      }
      idMap[item.chunkId] = entry;
    };
    for (const item of items) {
      const existing = app.symbolSets.getByRef(teamId, item.chunkId);
      if (!existing) {
        const key = app.blobs.newKey();
        const row = app.symbolSets.insert(teamId, {
          ref: item.chunkId,
          storagePtr: key,
          releaseId: item.releaseId,
        });
        touched.push(row.id);
        handOut(row, item, key);
        continue;
      }
      touched.push(existing.id);
      if (bindsRelease(existing, item.releaseId))
        app.symbolSets.update(existing.id, { release_id: item.releaseId });
      if (needsUpload(existing, item.contentHash, request) !== 'upload') continue;
      const key = app.blobs.newKey();
      if (existing.storage_ptr) staleKeys.push(existing.storage_ptr);
      // New content starts pending; an old fetch failure no longer applies to it.
      app.symbolSets.update(existing.id, { storage_ptr: key, content_hash: null, failure_reason: null });
      handOut(existing, item, key);
    }
    app.symbolSets.touchLastUsed(touched);
    return { idMap, staleKeys };
  })();
}
