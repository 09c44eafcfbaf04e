import type { Dispatcher } from 'undici';
import { HogmapsError, type OptionIssue, OptionsError } from '../errors';
import type { Logger } from '../logger';
import { registerSecret, registerUrlCredentials } from '../secrets';
import { createApiContext } from './api-context';
import { isExpiredPolicy, redactUrl } from './error-body';
import { createHttp } from './http';
import { presignedPostBody } from './multipart';
import { type ApiBasePath, errorTrackingPaths, type PresignedPost } from './protocol';
import { createReleasesApi, type ReleasesApi } from './releases-api';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
import { createSymbolSetsApi, type SymbolSetsApi } from './symbol-sets-api';
import { agentClasses } from './undici';
import { userAgent as buildUserAgent } from './user-agent';

export interface PostHogClientOptions {
  /** `https://us.posthog.com`, a self-hosted URL (a path prefix is kept), or a local server. */
  host: string;
  projectId: string | number;
  /** Personal API key (`phx_…`) with the error-tracking write scope. Never logged. */
  apiKey: string;
  /** Milliseconds without progress before a request fails. @default 30000 */
  timeout?: number;
  /** Milliseconds one attempt may take in all, however slowly the answer trickles in. @default 300000 */
  requestTimeout?: number;
  /** Retries after the first attempt (network errors, 408, 429, 5xx). @default 2 */
  retries?: number;
  /** HTTP(S) proxy for every request. */
  proxy?: string;
  /** Per-URL proxy choice (presigned storage URLs may need another, or none); wins over `proxy`. */
  proxyFor?: (url: string) => string | undefined;
  /** Extra headers on API requests (not on object-storage uploads). `Authorization` is ignored. */
  headers?: Record<string, string>;
  /** A product token placed before ours in `User-Agent`, e.g. `@hogmaps/vite/0.1.0`. */
  userAgent?: string;
  /** Used for every request instead of our own agent (tests); the caller closes it. */
  dispatcher?: Dispatcher;
  logger?: Logger;
  /** @default 'projects' */
  basePath?: ApiBasePath;
  /** First backoff ceiling in milliseconds. @default 500 */
  retryBaseDelayMs?: number;
  /** Longest `Retry-After` wait honoured, in milliseconds. @default 10000 */
  maxRetryAfterMs?: number;
}

export interface PresignedPostOptions {
  /** Overrides the client's retries for this upload. */
  retries?: number;
  signal?: AbortSignal;
}

export interface PostHogClient {
  readonly host: string;
  readonly projectId: string;
  readonly releases: ReleasesApi;
  readonly symbolSets: SymbolSetsApi;
  /**
   * Multipart POST to object storage: fields, then `file` (filename "file"; its bytes, or parts of
   * them sent in order). No API key is sent.
   */
  uploadToPresignedPost(
    presigned: PresignedPost,
    bytes: Uint8Array | readonly Uint8Array[],
    options?: PresignedPostOptions,
  ): Promise<void>;
  /** HTTP attempts made so far, retries included. */
  readonly requests: number;
  /** Closes the agents this client created (not a `dispatcher` passed in). */
  close(): Promise<void>;
}

function validate(options: PostHogClientOptions): { host: string; issues: OptionIssue[] } {
  const issues: OptionIssue[] = [];
  let host = '';
  try {
    const url = new URL(options.host);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    host = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  } catch {
    issues.push({ path: 'host', message: `expected an http(s) URL, got ${JSON.stringify(options.host)}` });
  }
  if (!/^[^/?#\s]+$/.test(String(options.projectId ?? ''))) {
    issues.push({
      path: 'projectId',
      message: `expected a project id, got ${JSON.stringify(options.projectId)}`,
    });
  }
  if (typeof options.apiKey !== 'string' || !options.apiKey.trim()) {
    issues.push({ path: 'apiKey', message: 'expected a personal API key' });
  }
  for (const key of ['timeout', 'requestTimeout', 'retries'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      issues.push({ path: key, message: `expected a non-negative integer, got ${String(value)}` });
    }
  }
  return { host, issues };
}

export function createPostHogClient(options: PostHogClientOptions): PostHogClient {
  // Before anything can fail: no message about this client may quote its key or proxy password.
  registerSecret(options.apiKey, 'api-key');
  registerUrlCredentials(options.proxy);
  const { host, issues } = validate(options);
  if (issues.length > 0) throw new OptionsError(issues);
  const timeout = options.timeout || 30_000;
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    retries: options.retries ?? DEFAULT_RETRY_POLICY.retries,
    baseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs,
  };
  const agentOptions = {
    keepAliveTimeout: 10_000,
    connect: { timeout: Math.min(timeout, 10_000) },
    headersTimeout: timeout,
    bodyTimeout: timeout,
  };

  // One keep-alive agent for the client's lifetime (and one per proxy in use). undici is loaded on
  // the first request (only the parts used, see undici.ts): a build that uploads nothing (dev, no
  // credentials) never pays for it.
  let direct: Dispatcher | undefined;
  const proxied = new Map<string, Dispatcher>();
  const dispatcherFor = async (url: URL): Promise<Dispatcher> => {
    if (options.dispatcher) return options.dispatcher;
    const proxy = options.proxyFor ? options.proxyFor(url.href) : options.proxy;
    registerUrlCredentials(proxy);
    const { Agent, ProxyAgent } = agentClasses();
    if (!proxy) {
      direct ??= new Agent(agentOptions);
      return direct;
    }
    let agent = proxied.get(proxy);
    if (!agent) {
      agent = new (ProxyAgent())({ uri: proxy, ...agentOptions });
      proxied.set(proxy, agent);
    }
    return agent;
  };

  const requestTimeout = options.requestTimeout || 300_000;
  const http = createHttp({ dispatcherFor, policy, timeout, requestTimeout, logger: options.logger });
  const userAgent = buildUserAgent(options.userAgent);
  const extra = Object.fromEntries(
    Object.entries(options.headers ?? {})
      .map(([name, value]) => [name.toLowerCase(), value] as const)
      .filter(([name]) => name !== 'authorization' && name !== 'content-type'),
  );
  const api = createApiContext({
    http,
    base: host,
    paths: errorTrackingPaths(options.projectId, options.basePath),
    userAgent,
    apiHeaders: {
      ...extra,
      authorization: `Bearer ${options.apiKey}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': userAgent,
    },
  });
  let closed = false;

  return {
    host,
    projectId: String(options.projectId),
    releases: createReleasesApi(api),
    symbolSets: createSymbolSetsApi(api),
    get requests() {
      return http.attempts;
    },
    async uploadToPresignedPost(presigned, bytes, uploadOptions = {}) {
      let url: URL;
      try {
        url = new URL(presigned.url, `${host}/`);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
      } catch {
        throw new HogmapsError(
          'unexpected_response',
          `presigned upload URL is not an http(s) URL: ${presigned.url}`,
        );
      }
      const form = presignedPostBody(presigned.fields ?? {}, bytes);
      options.logger?.debug(`uploading ${form.fileLength} bytes to ${redactUrl(url)}`);
      await http.request({
        method: 'POST',
        url,
        headers: {
          'content-type': form.contentType,
          'content-length': String(form.length),
          'user-agent': userAgent,
        },
        body: form.body,
        retries: uploadOptions.retries,
        // As PostHog's CLI: storage errors are retried whatever the status (a 403 AccessDenied can be
        // a hiccup), except an expired policy, which only a fresh presigned POST fixes.
        retryStatus: (status, body) => !isExpiredPolicy(status, body),
        signal: uploadOptions.signal,
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([direct, ...proxied.values()].map((agent) => agent?.close()));
    },
  };
}
