import { HogmapsError } from '../errors';
import type { Logger } from '../logger';
import type { ResolvedOptions } from '../options/types';
import { createPostHogClient, type PostHogClient, type PostHogClientOptions } from './client';

/** The client options a resolved configuration describes (the upload worker gets them as data). */
export function clientOptionsFrom(
  options: ResolvedOptions,
  extras: { userAgent?: string; logger?: Logger } = {},
): PostHogClientOptions {
  const credentials = options.credentials;
  if (!credentials)
    throw new HogmapsError('no_credentials', 'No PostHog credentials (personal API key and project id)');
  return {
    host: options.host,
    projectId: credentials.projectId,
    apiKey: credentials.apiKey,
    timeout: options.timeout,
    requestTimeout: options.requestTimeout,
    retries: options.retries,
    ...(options.proxyFor ? { proxyFor: options.proxyFor } : {}),
    headers: { ...options.headers },
    ...(extras.userAgent ? { userAgent: extras.userAgent } : {}),
    ...(extras.logger ? { logger: extras.logger } : {}),
  };
}

/** The API client a resolved configuration describes (the build session and the CLI both use it). */
export function createClientFromOptions(
  options: ResolvedOptions,
  extras: { userAgent?: string; logger?: Logger } = {},
): PostHogClient {
  return createPostHogClient(clientOptionsFrom(options, extras));
}
