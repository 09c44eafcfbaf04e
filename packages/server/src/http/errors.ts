import { HogmapsError } from '@hogmaps/core';

/** PostHog's error body (drf-exceptions-hog). */
export interface PostHogErrorBody {
  type: 'validation_error' | 'authentication_error' | 'invalid_request' | 'throttled_error' | 'server_error';
  code: string;
  detail: string;
  attr: string | null;
}

/**
 * A response to send instead of the normal one. Handlers throw it anywhere; the dispatcher turns it into
 * the exact status and body, so every view answers errors the same way.
 */
export class HttpError extends HogmapsError {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    const detail = (body as { detail?: unknown } | null)?.detail;
    super('http_error', `HTTP ${status}${typeof detail === 'string' ? `: ${detail}` : ''}`);
    this.name = 'HttpError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** A request body over the allowed size; the dispatcher answers 413. */
export class BodyTooLargeError extends HogmapsError {
  readonly limitBytes: number;

  constructor(limitBytes: number) {
    super('body_too_large', `Request body exceeds the limit of ${limitBytes} bytes.`);
    this.name = 'BodyTooLargeError';
    this.limitBytes = limitBytes;
  }
}

export const NOT_FOUND_BODY: PostHogErrorBody = {
  type: 'invalid_request',
  code: 'not_found',
  detail: 'Not found.',
  attr: null,
};

export function notFound(): HttpError {
  return new HttpError(404, NOT_FOUND_BODY);
}

/** `ValidationError(code=…, detail=…)` raised in a view; `attr` is set by serializers. */
export function validationError(code: string, detail: string, attr: string | null = null): HttpError {
  return new HttpError(400, { type: 'validation_error', code, detail, attr } satisfies PostHogErrorBody);
}

/** The views that answer a bare `{"detail": …}` instead of the drf-exceptions-hog shape. */
export function detailError(status: number, detail: string): HttpError {
  return new HttpError(status, { detail });
}

export function parseError(detail: string): HttpError {
  return new HttpError(400, { type: 'invalid_request', code: 'parse_error', detail, attr: null });
}

export function methodNotAllowed(method: string, allowed: readonly string[]): HttpError {
  const body: PostHogErrorBody = {
    type: 'invalid_request',
    code: 'method_not_allowed',
    detail: `Method "${method}" not allowed.`,
    attr: null,
  };
  return new HttpError(405, body, { Allow: allowed.join(', ') });
}

export function unsupportedMediaType(contentType: string): HttpError {
  return new HttpError(415, {
    type: 'invalid_request',
    code: 'unsupported_media_type',
    detail: `Unsupported media type "${contentType}" in request.`,
    attr: null,
  } satisfies PostHogErrorBody);
}

export const SERVER_ERROR_BODY: PostHogErrorBody = {
  type: 'server_error',
  code: 'error',
  detail: 'A server error occurred.',
  attr: null,
};

/** What PostHog answers when a view raises something unhandled (kept where the real server does, too). */
export function serverError(): HttpError {
  return new HttpError(500, SERVER_ERROR_BODY);
}

export function bodyTooLargeBody(limitBytes: number): PostHogErrorBody {
  return {
    type: 'invalid_request',
    code: 'request_too_large',
    detail: `Request body exceeds the limit of ${limitBytes} bytes.`,
    attr: null,
  };
}
