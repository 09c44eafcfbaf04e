/** Routes, request shapes and pagination of the fake PostHog. */
import type { IncomingMessage } from 'node:http';
import type { StartBody } from './fake-symbol-sets';

export type RouteName =
  | 'releases'
  | 'release'
  | 'release_by_hash'
  | 'create_release'
  | 'symbol_sets'
  | 'symbol_set'
  | 'create_symbol_set'
  | 'download'
  | 'bulk_delete'
  | 'bulk_check_upload'
  | 'bulk_start_upload'
  | 'bulk_finish_upload'
  | 'start_upload'
  | 'finish_upload'
  | 'storage'
  | 'storage_accelerated'
  | 'object';

export interface Fault {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Destroy the socket instead of answering. */
  drop?: boolean;
  /** Never answer (until the server closes). */
  hang?: boolean;
  /** Answer normally, but only once this holds (polled; at most 10 s). */
  until?: () => boolean;
  /** How many requests it affects. @default 1 */
  times?: number;
}

export interface RecordedRequest {
  route: RouteName;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  json: unknown;
  /** Storage uploads: part names in order, the file part's filename and its size. */
  parts?: Array<{ name: string; filename: string | undefined; size: number }>;
}

/** Every JSON body field the fake reads. */
export interface RequestJson extends StartBody {
  version?: string;
  project?: string;
  hash_id?: string;
  metadata?: Record<string, unknown>;
  ids?: unknown;
  content_hashes?: Record<string, string> | null;
  content_hash?: string;
}
const R = '/api/(?:projects|environments)/(\\d+)/error_tracking';
export const ROUTES: Array<[string, RegExp, RouteName]> = [
  ['GET', new RegExp(`^${R}/releases/?$`), 'releases'],
  ['POST', new RegExp(`^${R}/releases/?$`), 'create_release'],
  ['GET', new RegExp(`^${R}/releases/hash/([^/.]+)/?$`), 'release_by_hash'],
  ['*', new RegExp(`^${R}/releases/([^/]+)/?$`), 'release'],
  ['GET', new RegExp(`^${R}/symbol_sets/?$`), 'symbol_sets'],
  ['POST', new RegExp(`^${R}/symbol_sets/?$`), 'create_symbol_set'],
  ['POST', new RegExp(`^${R}/symbol_sets/(bulk_check_upload)/?$`), 'bulk_check_upload'],
  ['POST', new RegExp(`^${R}/symbol_sets/(bulk_start_upload)/?$`), 'bulk_start_upload'],
  ['POST', new RegExp(`^${R}/symbol_sets/(bulk_finish_upload)/?$`), 'bulk_finish_upload'],
  ['POST', new RegExp(`^${R}/symbol_sets/(bulk_delete)/?$`), 'bulk_delete'],
  ['POST', new RegExp(`^${R}/symbol_sets/(start_upload)/?$`), 'start_upload'],
  ['PUT', new RegExp(`^${R}/symbol_sets/([^/]+)/finish_upload/?$`), 'finish_upload'],
  ['GET', new RegExp(`^${R}/symbol_sets/([^/]+)/download/?$`), 'download'],
  ['*', new RegExp(`^${R}/symbol_sets/([^/]+)/?$`), 'symbol_set'],
  ['POST', /^\/storage\/upload$/, 'storage'],
  ['POST', /^\/storage-accelerated\/upload$/, 'storage_accelerated'],
  ['GET', /^\/storage\/objects\/(.+)$/, 'object'],
];

/** DRF LimitOffsetPagination over a list, newest first as given. */
export function page<T>(all: T[], url: URL, maxLimit?: number) {
  const limit = Math.min(Number(url.searchParams.get('limit') ?? 100), maxLimit ?? Infinity);
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const link = (at: number) => {
    // An origin other than ours, as behind PostHog's proxies: clients must keep only the query.
    const next = new URL(url.pathname, 'http://posthog-internal.invalid');
    for (const [key, value] of url.searchParams) next.searchParams.set(key, value);
    next.searchParams.set('limit', String(limit));
    next.searchParams.set('offset', String(at));
    return next.href;
  };
  return {
    count: url.searchParams.get('include_count') === 'false' ? null : all.length,
    next: offset + limit < all.length ? link(offset + limit) : null,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    results: all.slice(offset, offset + limit),
  };
}
