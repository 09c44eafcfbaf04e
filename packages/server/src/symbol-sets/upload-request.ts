import { validationError } from '../http/errors';
import { booleanField, charField, integerField, listField, required, requireObject } from '../http/fields';

/** One symbol set named in a check or start request. */
export interface UploadItem {
  chunkId: string;
  releaseId: string | null;
  contentHash: string | null;
  contentLength: number | null;
}

export interface UploadRequest {
  items: UploadItem[];
  force: boolean;
  skipOnConflict: boolean;
}

function parseItem(value: unknown, index: number): UploadItem {
  const at = `symbol_sets__${index}`;
  const item = requireObject(value, `${at}__non_field_errors`);
  const chunkId = charField(required(item.chunk_id, `${at}__chunk_id`), `${at}__chunk_id`)!;
  const releaseId =
    item.release_id === undefined
      ? null
      : charField(item.release_id, `${at}__release_id`, { allowNull: true });
  const contentHash =
    item.content_hash === undefined
      ? null
      : charField(item.content_hash, `${at}__content_hash`, { allowNull: true });
  const contentLength =
    item.content_length === undefined
      ? null
      : integerField(item.content_length, `${at}__content_length`, { allowNull: true, minValue: 0 });
  return { chunkId, releaseId, contentHash, contentLength };
}

/**
 * At most this many symbol sets per check or start request. PostHog caps bulk_check_upload at 1,000;
 * its start has no cap, but each set costs a row, a key and a signed policy, so the same cap keeps one
 * request from blocking the server (its CLI sends 50 per start).
 */
export const MAX_UPLOAD_ITEMS = 1000;

/**
 * ErrorTrackingSymbolSetBulkStartUploadSerializer: the current `symbol_sets` and the legacy `chunk_ids`
 * (all with the one `release_id`, no hashes), merged as PostHog's `bulk_start_upload` merges them
 * (symbol sets first), then the force / skip_on_conflict rule.
 */
export function parseUploadRequest(body: unknown): UploadRequest {
  const data = requireObject(body, 'non_field_errors');
  const maxLength = MAX_UPLOAD_ITEMS;
  const items: UploadItem[] =
    data.symbol_sets === undefined
      ? []
      : listField(data.symbol_sets, 'symbol_sets', { maxLength }).map(parseItem);
  if (data.chunk_ids !== undefined && data.chunk_ids !== null) {
    const chunkIds = listField(data.chunk_ids, 'chunk_ids', { maxLength }).map(
      (value, index) => charField(value, `chunk_ids__${index}`)!,
    );
    const releaseId =
      data.release_id === undefined ? null : charField(data.release_id, 'release_id', { allowNull: true });
    for (const chunkId of chunkIds)
      items.push({ chunkId, releaseId, contentHash: null, contentLength: null });
  }
  if (items.length > MAX_UPLOAD_ITEMS) {
    throw validationError(
      'max_length',
      `Ensure symbol_sets and chunk_ids together have no more than ${MAX_UPLOAD_ITEMS} elements.`,
      'non_field_errors',
    );
  }
  const force = data.force === undefined ? false : booleanField(data.force, 'force');
  const skipOnConflict =
    data.skip_on_conflict === undefined ? false : booleanField(data.skip_on_conflict, 'skip_on_conflict');
  if (force && skipOnConflict) {
    throw validationError(
      'invalid_conflict_handling',
      'Use either force or skip_on_conflict, not both.',
      'non_field_errors',
    );
  }
  return { items, force, skipOnConflict };
}
