import { HogmapsError } from '../errors';
import type { Logger } from '../logger';
import type { ResolvedOptions } from '../options/types';
import { createPostHogClient, type PostHogClient } from './client';

/** The API client a resolved configuration describes (the build session and the CLI both use it). */
export function createClientFromOptions(
  options: ResolvedOptions,
  extras: { userAgent?: string; logger?: Logger } = {},
): PostHogClient {
  const credentials = options.credentials;
  if (!credentials)
    throw new HogmapsError('no_credentials', 'No PostHog credentials (personal API key and project id)');
  return createPostHogClient({
    host: options.host,
    projectId: credentials.projectId,
    apiKey: credentials.apiKey,
    timeout: options.timeout,
    requestTimeout: options.requestTimeout,
    retries: options.retries,
    proxyFor: options.proxyFor,
    headers: { ...options.headers },
    ...(extras.userAgent ? { userAgent: extras.userAgent } : {}),
    ...(extras.logger ? { logger: extras.logger } : {}),
  });
}
