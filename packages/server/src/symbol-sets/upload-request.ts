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
 * ErrorTrackingSymbolSetBulkStartUploadSerializer: the current `symbol_sets` shape or the legacy
 * `chunk_ids` + `release_id` one (no hashes), then the force / skip_on_conflict rule.
 */
export function parseUploadRequest(body: unknown, options: { maxItems?: number } = {}): UploadRequest {
  const data = requireObject(body, 'non_field_errors');
  let items: UploadItem[] = [];
  if (data.symbol_sets !== undefined) {
    items = listField(data.symbol_sets, 'symbol_sets', { maxLength: options.maxItems }).map(parseItem);
  } else if (data.chunk_ids !== undefined) {
    const chunkIds = listField(data.chunk_ids, 'chunk_ids', { maxLength: options.maxItems }).map(
      (value, index) => charField(value, `chunk_ids__${index}`)!,
    );
    const releaseId =
      data.release_id === undefined ? null : charField(data.release_id, 'release_id', { allowNull: true });
    items = chunkIds.map((chunkId) => ({ chunkId, releaseId, contentHash: null, contentLength: null }));
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
