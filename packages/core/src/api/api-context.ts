import { ApiError, HogmapsError } from '../errors';
import { redactUrl } from './error-body';
import type { Http, HttpMethod } from './http';
import type { ErrorTrackingPaths, Page } from './protocol';

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface CallOptions {
  query?: Query | undefined;
  /** Sent as JSON. */
  json?: unknown;
  /** Non-2xx statuses to return instead of throwing. */
  allow?: readonly number[];
  signal?: AbortSignal | undefined;
}

export interface CallResult<T> {
  status: number;
  /** The parsed JSON body, or undefined when the body was empty. */
  data: T | undefined;
}

/** What the releases and symbol-set endpoint groups share: one authenticated JSON transport. */
export interface ApiContext {
  readonly http: Http;
  readonly paths: ErrorTrackingPaths;
  /** Host plus any path prefix, without a trailing slash. */
  readonly base: string;
  readonly apiHeaders: Readonly<Record<string, string>>;
  readonly userAgent: string;
  url(path: string, query?: Query): URL;
  call<T>(method: HttpMethod, path: string, options?: CallOptions): Promise<CallResult<T>>;
  page<T>(path: string, query?: Query, signal?: AbortSignal): Promise<Page<T>>;
  iterate<T>(path: string, query?: Query, signal?: AbortSignal): AsyncGenerator<T, void, undefined>;
}

/** A 2xx whose body is not what the protocol promises: reported, never silently accepted. */
export function unexpectedResponse(method: string, url: URL | string, what: string): HogmapsError {
  return new HogmapsError('unexpected_response', `${method} ${redactUrl(url)}: unexpected response, ${what}`);
}

export function createApiContext(init: {
  http: Http;
  paths: ErrorTrackingPaths;
  base: string;
  apiHeaders: Record<string, string>;
  userAgent: string;
}): ApiContext {
  const { http, base, apiHeaders } = init;

  const url = (path: string, query: Query = {}) => {
    const result = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) result.searchParams.set(key, String(value));
    }
    return result;
  };

  async function call<T>(
    method: HttpMethod,
    path: string,
    options: CallOptions = {},
  ): Promise<CallResult<T>> {
    const target = url(path, options.query);
    const json = options.json === undefined ? undefined : JSON.stringify(options.json);
    const response = await http.request({
      method,
      url: target,
      headers: { ...apiHeaders },
      body: json === undefined ? undefined : () => json,
      allow: options.allow,
      signal: options.signal,
    });
    const text = response.body.toString('utf8').trim();
    if (!text) return { status: response.status, data: undefined };
    try {
      return { status: response.status, data: JSON.parse(text) as T };
    } catch (cause) {
      if (response.status >= 300) return { status: response.status, data: undefined };
      throw new ApiError({
        status: response.status,
        method,
        url: redactUrl(target),
        retryable: false,
        message: `${method} ${redactUrl(target)}: unexpected response, not JSON: ${text.slice(0, 120)}`,
        cause,
      });
    }
  }

  async function page<T>(path: string, query?: Query, signal?: AbortSignal): Promise<Page<T>> {
    const { data } = await call<Page<T>>('GET', path, { query, signal });
    if (!data || !Array.isArray(data.results)) {
      throw unexpectedResponse('GET', url(path), 'expected a page with `results`');
    }
    return {
      count: data.count ?? null,
      next: data.next ?? null,
      previous: data.previous ?? null,
      results: data.results,
    };
  }

  async function* iterate<T>(path: string, query: Query = {}, signal?: AbortSignal) {
    let current: Query = query;
    for (;;) {
      const { results, next } = await page<T>(path, current, signal);
      yield* results;
      if (!next || results.length === 0) return;
      // Keep only the query of `next`: its origin may be PostHog's internal name, and the
      // Bearer key must go to our host only.
      current = Object.fromEntries(new URL(next, base).searchParams);
    }
  }

  return { http, paths: init.paths, base, apiHeaders, userAgent: init.userAgent, url, call, page, iterate };
}
