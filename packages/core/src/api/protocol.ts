/**
 * Wire types and endpoint paths of PostHog's error-tracking releases and symbol-sets API
 * (posthog-protocol.md sections 3.5, 3.7, 4.3 and 5). Field names are PostHog's, snake_case.
 */
import type { ApiErrorBody } from '../errors';

export type { ApiErrorBody };

/** Largest symbol set PostHog accepts (100 MiB), container bytes. */
export const MAX_SYMBOL_SET_BYTES = 104_857_600;
/** Most symbol sets in one bulk_check_upload request. */
export const MAX_CHECK_BATCH = 1000;
export const DEFAULT_BATCH_SIZE = 50;
export const DEFAULT_CONCURRENCY = 10;

/** `projects` is what current CLIs use; `environments` is the older prefix for the same views. */
export type ApiBasePath = 'projects' | 'environments';

export type JsonObject = Record<string, unknown>;

export interface ReleaseJson {
  id: string;
  hash_id: string;
  team_id: number;
  created_at: string;
  metadata: JsonObject | null;
  version: string;
  project: string;
}

export interface SymbolSetJson {
  id: string;
  ref: string;
  team_id: number;
  created_at: string;
  last_used?: string | null;
  failure_reason?: string | null;
  /** Newest servers; older ones send `storage_ptr` instead. */
  has_uploaded_file?: boolean;
  storage_ptr?: string | null;
  release?: ReleaseJson | null;
}

/** DRF LimitOffsetPagination envelope. `count` is null when `include_count=false`. */
export interface Page<T> {
  count: number | null;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface PageQuery {
  limit?: number;
  offset?: number;
}

export type SymbolSetOrder = 'created_at' | '-created_at' | 'ref' | '-ref' | 'last_used' | '-last_used';

export interface SymbolSetListQuery extends PageQuery {
  /** Exact chunk id. */
  ref?: string;
  /** Case-insensitive match on ref, release version/project and git commit. */
  search?: string;
  status?: 'all' | 'valid' | 'invalid';
  order_by?: SymbolSetOrder;
  include_count?: boolean;
}

export interface CreateReleaseRequest {
  version: string;
  /** The release name (PostHog calls it `project`). */
  project: string;
  hash_id?: string;
  metadata?: JsonObject;
}

export type UpdateReleaseRequest = Partial<CreateReleaseRequest>;

/** An S3-style presigned POST: send every field as a text part, then the `file` part. */
export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

export interface SymbolSetUploadItem {
  chunk_id: string;
  release_id: string | null;
  content_hash: string | null;
  /** Newest servers only: also returns a presigned PUT URL. */
  content_length?: number | null;
}

export interface ConflictHandling {
  /** Replace stored content that differs. */
  force?: boolean;
  /** Keep stored content that differs. Not with `force`. */
  skip_on_conflict?: boolean;
}

export interface BulkCheckUploadRequest extends ConflictHandling {
  symbol_sets: SymbolSetUploadItem[];
}

export interface BulkCheckUploadResponse {
  chunk_ids_to_upload: string[];
}

export interface BulkStartUploadRequest extends ConflictHandling {
  symbol_sets: SymbolSetUploadItem[];
}

/** The shape CLIs up to about 0.4 sent: no content hashes. */
export interface LegacyBulkStartUploadRequest {
  chunk_ids: string[];
  release_id: string | null;
}

export interface BulkStartUploadEntry {
  symbol_set_id: string;
  presigned_url: PresignedPost;
  /** Only when the primary URL uses S3 transfer acceleration. */
  fallback_presigned_url?: PresignedPost;
  presigned_put_url?: string;
  fallback_presigned_put_url?: string;
}

export interface BulkStartUploadResponse {
  /** Chunks that need no upload are absent. */
  id_map: Record<string, BulkStartUploadEntry>;
}

export interface BulkFinishUploadRequest {
  /** symbol_set_id → content hash. */
  content_hashes: Record<string, string>;
}

export interface SuccessResponse {
  success: boolean;
}

export interface StartUploadResponse {
  presigned_url: PresignedPost;
  symbol_set_id: string;
}

export interface DownloadResponse {
  url: string;
}

export interface BulkDeleteResponse {
  deleted: number;
}

/** Builds the path (no host) of every error-tracking endpoint for one project. */
export function errorTrackingPaths(projectId: string | number, basePath: ApiBasePath = 'projects') {
  const root = `/api/${basePath}/${encodeURIComponent(String(projectId))}/error_tracking`;
  const id = (value: string) => encodeURIComponent(value);
  // Trailing slashes follow PostHog's CLI: none on actions, one on list and detail routes.
  return {
    releases: () => `${root}/releases/`,
    createRelease: () => `${root}/releases`,
    release: (releaseId: string) => `${root}/releases/${id(releaseId)}/`,
    releaseByHash: (hashId: string) => `${root}/releases/hash/${id(hashId)}`,
    symbolSets: () => `${root}/symbol_sets/`,
    createSymbolSet: () => `${root}/symbol_sets`,
    symbolSet: (symbolSetId: string) => `${root}/symbol_sets/${id(symbolSetId)}/`,
    download: (symbolSetId: string) => `${root}/symbol_sets/${id(symbolSetId)}/download/`,
    bulkDelete: () => `${root}/symbol_sets/bulk_delete`,
    bulkCheckUpload: () => `${root}/symbol_sets/bulk_check_upload`,
    bulkStartUpload: () => `${root}/symbol_sets/bulk_start_upload`,
    bulkFinishUpload: () => `${root}/symbol_sets/bulk_finish_upload`,
    startUpload: () => `${root}/symbol_sets/start_upload`,
    finishUpload: (symbolSetId: string) => `${root}/symbol_sets/${id(symbolSetId)}/finish_upload`,
  };
}

export type ErrorTrackingPaths = ReturnType<typeof errorTrackingPaths>;
