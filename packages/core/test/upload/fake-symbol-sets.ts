/**
 * The symbol-set rules of the fake PostHog (posthog-protocol.md 3.5–3.7): validation first, then
 * per-row checks computed in full before anything is written, so a 400 changes nothing.
 */
import { randomUUID } from 'node:crypto';

export interface Row {
  id: string;
  ref: string;
  releaseId: string | null;
  contentHash: string | null;
  storageKey: string | null;
  createdAt: string;
}

export interface Release {
  id: string;
  hash_id: string;
  team_id: number;
  created_at: string;
  metadata: Record<string, unknown> | null;
  version: string;
  project: string;
}

export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

export const fail = (status: number, code: string, detail: string, attr: string | null = null) =>
  new HttpFailure(status, {
    type: status === 404 ? 'invalid_request' : 'validation_error',
    code,
    detail,
    attr,
  });

export interface UploadItem {
  chunk_id: string;
  release_id: string | null;
  content_hash: string | null;
}

export interface StartBody {
  symbol_sets?: UploadItem[];
  chunk_ids?: string[];
  release_id?: string | null;
  force?: boolean;
  skip_on_conflict?: boolean;
}

/** Which items need an upload; throws HttpFailure for whole-request and per-row rejections. */
export function planUploads(
  body: StartBody,
  rows: Map<string, Row>,
  releases: Map<string, Release>,
): { items: UploadItem[]; needed: UploadItem[]; bind: UploadItem[] } {
  const items: UploadItem[] =
    body.symbol_sets ??
    (body.chunk_ids ?? []).map((chunk_id) => ({
      chunk_id,
      release_id: body.release_id ?? null,
      content_hash: null,
    }));
  if (!Array.isArray(items)) throw fail(400, 'invalid_input', 'symbol_sets must be a list', 'symbol_sets');
  if (body.force && body.skip_on_conflict) {
    throw fail(
      400,
      'invalid_conflict_handling',
      'Use either force or skip_on_conflict, not both.',
      'non_field_errors',
    );
  }
  const ids = items.map((item) => item.chunk_id);
  const dupes = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (dupes.length) throw fail(400, 'invalid_chunk_ids', `Duplicate chunk IDs provided: ${dupes.join(', ')}`);
  for (const item of items) {
    if (item.release_id && !releases.has(item.release_id)) {
      throw fail(400, 'invalid_release_id', `Unknown release ID provided: ${item.release_id}`);
    }
  }
  const needed: UploadItem[] = [];
  const bind: UploadItem[] = [];
  for (const item of items) {
    const row = rows.get(item.chunk_id);
    if (!row) {
      needed.push(item);
      continue;
    }
    if (item.release_id && row.releaseId && row.releaseId !== item.release_id) {
      throw fail(400, 'release_id_mismatch', `Symbol set ${row.ref} already has a release ID`);
    }
    if (item.release_id && !row.releaseId) bind.push(item);
    if (item.content_hash === null && row.contentHash !== null) {
      throw fail(
        400,
        'content_hash_required',
        `Symbol set ${row.ref} already has content; provide a content_hash to update it.`,
      );
    }
    if (row.contentHash === null || (row.contentHash !== item.content_hash && body.force)) needed.push(item);
    else if (row.contentHash !== item.content_hash && !body.skip_on_conflict) {
      throw fail(
        400,
        'content_hash_mismatch',
        `Symbol set ${row.ref} already exists with different content.`,
      );
    }
  }
  return { items, needed, bind };
}

/** Applies a start: new pending rows and fresh storage keys for what needs an upload. */
export function applyStart(plan: ReturnType<typeof planUploads>, rows: Map<string, Row>): Row[] {
  for (const item of plan.bind) rows.get(item.chunk_id)!.releaseId = item.release_id;
  return plan.needed.map((item) => {
    const row = rows.get(item.chunk_id) ?? {
      id: randomUUID(),
      ref: item.chunk_id,
      releaseId: item.release_id,
      contentHash: null,
      storageKey: null,
      createdAt: new Date().toISOString(),
    };
    row.releaseId ??= item.release_id;
    row.contentHash = null;
    row.storageKey = `symbolsets/${randomUUID()}`;
    rows.set(row.ref, row);
    return row;
  });
}

export function symbolSetJson(row: Row, releases: Map<string, Release>) {
  return {
    id: row.id,
    ref: row.ref,
    team_id: 42,
    created_at: row.createdAt,
    last_used: null,
    failure_reason: null,
    has_uploaded_file: row.storageKey !== null,
    release: row.releaseId ? (releases.get(row.releaseId) ?? null) : null,
  };
}
