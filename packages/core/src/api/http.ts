import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { ApiError, type ApiErrorBody } from '../errors';
import type { Logger } from '../logger';
import { parseErrorBody, redactUrl } from './error-body';
import {
  isRetryableStatus,
  parseRetryAfter,
  type RetryDecision,
  type RetryPolicy,
  withRetries,
} from './retry';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: URL;
  headers?: Record<string, string>;
  /** Built again for every attempt: a stream can be read only once. Parts (an array) are written in order. */
  body?: () => string | Uint8Array | readonly Uint8Array[] | Readable;
  /** Non-2xx statuses to return instead of throwing (404 for a lookup). */
  allow?: readonly number[];
  /** Overrides the policy's retries for this request. */
  retries?: number;
  /** Overrides which HTTP errors are retried (object storage: any but an expired policy). */
  retryStatus?: (status: number, body: ApiErrorBody | undefined) => boolean;
  signal?: AbortSignal | undefined;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpOptions {
  dispatcherFor: (url: URL) => Promise<Dispatcher>;
  policy: RetryPolicy;
  /** Milliseconds without progress before a request fails (headers, then body). */
  timeout: number;
  /** Milliseconds one attempt may take in all, however steadily a slow server trickles bytes. */
  requestTimeout: number;
  logger?: Logger | undefined;
}

export interface Http {
  request(request: HttpRequest): Promise<HttpResponse>;
  /** HTTP attempts made so far (retries included). */
  readonly attempts: number;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function networkError(request: HttpRequest, cause: unknown): ApiError {
  const error = cause as { code?: string; message?: string };
  const reason = [error?.message, error?.code].filter(Boolean).join(' ') || String(cause);
  const url = redactUrl(request.url);
  return new ApiError({
    status: 0,
    method: request.method,
    url,
    retryable: true,
    message: `${request.method} ${url} failed: ${reason}`,
    cause,
  });
}

function deadlineError(request: HttpRequest, requestTimeout: number, cause: unknown): ApiError {
  const url = redactUrl(request.url);
  const seconds = Math.round(requestTimeout / 100) / 10;
  return new ApiError({
    status: 0,
    method: request.method,
    url,
    retryable: true,
    message: `${request.method} ${url} did not complete within ${seconds} s (requestTimeout)`,
    cause,
  });
}

function statusError(request: HttpRequest, response: HttpResponse): ApiError {
  const body = parseErrorBody(response.body.toString('utf8'));
  const { status } = response;
  return new ApiError({
    status,
    method: request.method,
    url: redactUrl(request.url),
    body,
    retryable: request.retryStatus ? request.retryStatus(status, body) : isRetryableStatus(status),
    requestId: header(response.headers, 'x-request-id') ?? header(response.headers, 'x-amz-request-id'),
  });
}

/** The `Retry-After` of the response behind an error, in milliseconds. */
const retryAfterOf = new WeakMap<ApiError, number>();

/** Which failures another attempt may fix, and how long the server asked us to wait. */
export function classifyError(error: unknown): RetryDecision {
  if (!(error instanceof ApiError)) return { retry: false };
  return { retry: error.retryable, retryAfterMs: retryAfterOf.get(error) };
}

export function createHttp(options: HttpOptions): Http {
  let attempts = 0;
  const { logger } = options;

  async function once(request: HttpRequest): Promise<HttpResponse> {
    attempts++;
    const started = Date.now();
    let deadline: AbortSignal | undefined;
    let response: HttpResponse;
    try {
      const dispatcher = await options.dispatcherFor(request.url);
      // The idle timeouts below do not stop a server that sends a byte now and then: this does.
      deadline = AbortSignal.timeout(options.requestTimeout);
      const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
      const { statusCode, headers, body } = await dispatcher.request({
        origin: request.url.origin,
        path: `${request.url.pathname}${request.url.search}`,
        method: request.method,
        headers: request.headers,
        // undici writes an iterable's parts in order (documented; its types leave iterables out).
        body: (request.body?.() ?? null) as string | Uint8Array | Readable | null,
        headersTimeout: options.timeout,
        bodyTimeout: options.timeout,
        signal,
      });
      response = { status: statusCode, headers, body: Buffer.from(await body.arrayBuffer()) };
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason ?? error;
      if (deadline?.aborted) throw deadlineError(request, options.requestTimeout, error);
      throw networkError(request, error);
    }
    logger?.debug(
      `${request.method} ${redactUrl(request.url)} → ${response.status} (${Date.now() - started} ms)`,
    );
    if (response.status < 300 || request.allow?.includes(response.status)) return response;
    const error = statusError(request, response);
    const retryAfter = parseRetryAfter(response.headers['retry-after']);
    if (retryAfter !== undefined) retryAfterOf.set(error, retryAfter);
    throw error;
  }

  return {
    get attempts() {
      return attempts;
    },
    request(request) {
      const policy =
        request.retries === undefined ? options.policy : { ...options.policy, retries: request.retries };
      return withRetries(() => once(request), {
        policy,
        classify: classifyError,
        signal: request.signal,
        // Retries are routine: only a final failure is news (the caller reports it once).
        onRetry: ({ error, attempt, delayMs }) =>
          logger?.debug(
            `${(error as Error).message}; retrying in ${delayMs} ms (attempt ${attempt + 1} of ${policy.retries + 1})`,
          ),
      });
    },
  };
}
