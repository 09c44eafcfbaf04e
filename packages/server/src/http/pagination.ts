import type { IncomingMessage } from 'node:http';
import { validationError } from './errors';

/** PostHog's page envelope (DRF LimitOffsetPagination). */
export interface Page<T> {
  count: number | null;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface PageRequest {
  limit: number;
  offset: number;
}

export const DEFAULT_PAGE_SIZE = 100;

/**
 * DRF's `_positive_int`: anything unparsable (`abc`, `1e23`; 0 when strict) falls back to the default.
 * An integer too large for the database (PostHog's Postgres fails on it with a 500) is a 400 naming
 * the parameter.
 */
function positiveInt(name: string, text: string | null, strict: boolean): number | undefined {
  if (text === null || !/^\s*[+-]?\d+\s*$/.test(text)) return undefined;
  const value = Number.parseInt(text, 10);
  if (value < 0 || (strict && value === 0)) return undefined;
  if (!Number.isSafeInteger(value)) {
    throw validationError('invalid_input', `Ensure ${name} is at most ${Number.MAX_SAFE_INTEGER}.`, name);
  }
  return value;
}

export function readPageRequest(url: URL, maxLimit: number | null): PageRequest {
  let limit = positiveInt('limit', url.searchParams.get('limit'), true) ?? DEFAULT_PAGE_SIZE;
  if (maxLimit !== null) limit = Math.min(limit, maxLimit);
  const offset = positiveInt('offset', url.searchParams.get('offset'), false) ?? 0;
  return { limit, offset };
}

/** The request's own absolute URL, as Django's `build_absolute_uri` makes it. */
export function absoluteUrl(req: IncomingMessage, url: URL): URL {
  const host = req.headers.host ?? url.host;
  return new URL(`${url.pathname}${url.search}`, `http://${host}`);
}

/** DRF's replace_query_param / remove_query_param: the query is re-encoded with its keys sorted. */
function withQuery(base: URL, changes: Record<string, string | null>): string {
  const params = new Map<string, string[]>();
  for (const [key, value] of base.searchParams) params.set(key, [...(params.get(key) ?? []), value]);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) params.delete(key);
    else params.set(key, [value]);
  }
  const query = new URLSearchParams();
  for (const key of [...params.keys()].sort()) for (const value of params.get(key)!) query.append(key, value);
  const search = query.toString();
  return `${base.origin}${base.pathname}${search ? `?${search}` : ''}`;
}

/**
 * Builds the envelope from one page of rows. With `count` null (include_count=false) the caller fetched
 * one row more than `limit`, and that extra row decides `next`.
 */
export function buildPage<T>(base: URL, page: PageRequest, rows: T[], count: number | null): Page<T> {
  const { limit, offset } = page;
  const hasNext = count === null ? rows.length > limit : offset + limit < count;
  const next = hasNext ? withQuery(base, { limit: String(limit), offset: String(offset + limit) }) : null;
  let previous: string | null = null;
  if (offset > 0) {
    previous =
      offset - limit <= 0
        ? withQuery(base, { limit: String(limit), offset: null })
        : withQuery(base, { limit: String(limit), offset: String(offset - limit) });
  }
  return { count, next, previous, results: rows.slice(0, limit) };
}
