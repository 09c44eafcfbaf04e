import { maskError, maskSecrets } from './secrets';

/**
 * The one error hierarchy of hogmaps. Every error we throw is a HogmapsError with a stable `code`,
 * so adapters, the CLI and tests can branch on codes instead of message text. Its message and cause
 * never hold a configured secret (a server may echo the key back).
 */
export class HogmapsError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(
      maskSecrets(message),
      options && 'cause' in options ? { cause: maskError(options.cause) } : undefined,
    );
    this.name = 'HogmapsError';
    this.code = code;
  }
}

export interface OptionIssue {
  /** Dotted option path, e.g. `sourcemaps.batchSize`. */
  path: string;
  /** What was expected, e.g. `expected a positive integer, got -1`. */
  message: string;
}

/** Thrown once by resolveOptions with every invalid option listed. */
export class OptionsError extends HogmapsError {
  readonly issues: readonly OptionIssue[];

  constructor(issues: readonly OptionIssue[]) {
    const list = issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n');
    super(
      'invalid_options',
      `Invalid hogmaps options (${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}):\n${list}`,
    );
    this.name = 'OptionsError';
    this.issues = issues.map((issue) => ({ path: issue.path, message: maskSecrets(issue.message) }));
  }
}

/** PostHog's error body: `{type, code, detail, attr}` (drf-exceptions-hog), or a bare `{detail}`. */
export interface ApiErrorBody {
  type?: string;
  code?: string;
  detail?: string;
  attr?: string | null;
}

/** An HTTP request to PostHog (or to object storage) that failed for good. */
export class ApiError extends HogmapsError {
  /** HTTP status, or 0 when no response arrived (network error, timeout). */
  readonly status: number;
  /** PostHog's error `code` (`content_hash_mismatch`, `not_found`, …) when the body had one. */
  readonly apiCode: string | undefined;
  readonly detail: string | undefined;
  readonly attr: string | null | undefined;
  readonly method: string;
  /** The URL without query string (presigned URLs carry signatures in it). */
  readonly url: string;
  readonly retryable: boolean;
  readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    method: string;
    url: string;
    body?: ApiErrorBody | undefined;
    retryable: boolean;
    requestId?: string | undefined;
    message?: string;
    cause?: unknown;
  }) {
    const { status, method, url, body } = init;
    const what = status === 0 ? 'network error' : `HTTP ${status}`;
    const detail = body?.detail ? `: ${body.detail}` : '';
    const code = body?.code ? ` (${body.code}${body.attr ? ` on ${body.attr}` : ''})` : '';
    super('api_error', init.message ?? `${method} ${url} failed with ${what}${code}${detail}`, {
      cause: init.cause,
    });
    this.name = 'ApiError';
    this.status = status;
    // Whatever the server sent back: it may echo the key.
    this.apiCode = body?.code === undefined ? undefined : maskSecrets(body.code);
    this.detail = body?.detail === undefined ? undefined : maskSecrets(body.detail);
    this.attr = typeof body?.attr === 'string' ? maskSecrets(body.attr) : body?.attr;
    this.method = method;
    this.url = url;
    this.retryable = init.retryable;
    this.requestId = init.requestId;
  }
}

/** A problem with one input file (malformed map, missing map, non-UTF-8 JS, oversize payload). */
export class FileError extends HogmapsError {
  readonly file: string;

  constructor(code: string, file: string, message: string, options?: { cause?: unknown }) {
    super(code, `${file}: ${message}`, options);
    this.name = 'FileError';
    this.file = file;
  }
}

export function isHogmapsError(value: unknown): value is HogmapsError {
  return value instanceof HogmapsError;
}

/**
 * The error policy, in one place: invalid options always throw; upload, network and server
 * failures are reported and only fail the build when the user asked for it.
 */
export function shouldFailBuild(error: unknown, options: { failOnError: boolean }): boolean {
  if (error instanceof OptionsError) return true;
  return options.failOnError;
}

/** An error's message for a log line or a manifest, with secrets masked. */
export function errorMessage(error: unknown): string {
  return maskSecrets(error instanceof Error ? error.message : String(error));
}
