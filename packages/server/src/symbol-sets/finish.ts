import type { App } from '../app';
import { parseUuid } from '../db/ids';
import { detailError, validationError } from '../http/errors';
import { MAX_SYMBOL_SET_BYTES } from '../storage/presign';
import type { SymbolSetRow } from './store';

/**
 * The object-storage HEAD that finishing does: a missing object keeps the row (the client may retry);
 * an empty or oversize one deletes the row and its object.
 */
export async function checkUploadedObject(app: App, row: SymbolSetRow): Promise<void> {
  const size = row.storage_ptr === null ? undefined : await app.blobs.size(row.storage_ptr);
  if (size === undefined) {
    throw validationError('file_not_found', 'No file has been uploaded for the symbol set.');
  }
  if (size === 0 || size > MAX_SYMBOL_SET_BYTES) {
    app.symbolSets.remove(row.team_id, row.id);
    await app.blobs.remove(row.storage_ptr!);
    throw validationError('file_too_large', 'The uploaded symbol set file was too large.');
  }
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
  for (const [row] of rows) await checkUploadedObject(app, row);
  app.db.transaction(() => {
    for (const [row, hash] of rows) {
      // A concurrent delete or re-upload between the HEAD and here must not finish the wrong object.
      const current = app.symbolSets.get(teamId, row.id);
      if (!current) throw validationError('symbol_set_not_found', `Unknown symbol set IDs: ${row.id}`);
      if (current.storage_ptr !== row.storage_ptr) {
        throw validationError('file_not_found', 'No file has been uploaded for the symbol set.');
      }
      app.symbolSets.update(row.id, { content_hash: hash });
    }
  })();
}
