/**
 * Retry policy: exponential backoff with full jitter on network errors, 408, 429 and 5xx; the
 * server's `Retry-After` wins when present (capped). Other 4xx never retry.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff ceiling; doubles per attempt (PostHog's CLI waits 500 ms, then 1000 ms, …). */
  baseDelayMs: number;
  /** Ceiling of one backoff delay. */
  maxDelayMs: number;
  /** Ceiling of a server-requested `Retry-After` wait. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 2,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  // A server asking for an hour must not hold a build for one: wait at most this, then try again.
  maxRetryAfterMs: 10_000,
};

/** HTTP statuses worth another attempt: timeouts, throttling and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Parses `Retry-After` (delay seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full jitter: a uniform delay between 0 and the exponential ceiling of this attempt (0-based). */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** How long to wait before retry number `attempt + 1`. */
export function retryDelay(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return backoffDelay(attempt, policy, random);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryDecision {
  retry: boolean;
  /** The server's `Retry-After`, in milliseconds. */
  retryAfterMs?: number | undefined;
}

export interface WithRetriesOptions {
  policy: RetryPolicy;
  /** Decides from the thrown error whether another attempt may help. */
  classify: (error: unknown) => RetryDecision;
  onRetry?: (info: { error: unknown; attempt: number; delayMs: number }) => void;
  signal?: AbortSignal | undefined;
  random?: () => number;
}

/** Runs `attempt(n)` until it succeeds, a non-retryable error occurs, or retries run out. */
export async function withRetries<T>(
  attempt: (attemptIndex: number) => Promise<T>,
  options: WithRetriesOptions,
): Promise<T> {
  for (let index = 0; ; index++) {
    try {
      return await attempt(index);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const decision = options.classify(error);
      if (!decision.retry || index >= options.policy.retries) throw error;
      const delayMs = retryDelay(index, options.policy, decision.retryAfterMs, options.random);
      options.onRetry?.({ error, attempt: index + 1, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}
