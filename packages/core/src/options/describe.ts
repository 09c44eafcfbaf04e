import { maskApiKey } from '../secrets';
import { API_KEY_ENV, maskUrlCredentials, PROJECT_ID_ENV } from './env';
import type { ResolvedOptions } from './types';

export { maskApiKey } from '../secrets';

/** One debug line with what was resolved and where it came from; never contains the key. */
export function describeOptions(resolved: ResolvedOptions): string {
  const { credentials, sourcemaps, release, manifest } = resolved;
  const parts = [
    `enabled=${resolved.enabled}`,
    `host=${resolved.host}`,
    credentials
      ? `project=${credentials.projectId} (${resolved.projectIdSource}) key=${maskApiKey(credentials.apiKey)} (${resolved.apiKeySource})`
      : `credentials=none (missing ${resolved.missingCredentials.join(', ')})`,
    `sourcemaps=${sourcemaps.enabled ? 'on' : 'off'}`,
    `releaseMode=${sourcemaps.releaseMode}`,
    `release=${release.name ?? '(detect)'}@${release.version ?? '(detect)'}${release.build ? `+${release.build}` : ''}`,
    `deleteAfterUpload=${sourcemaps.deleteAfterUpload}`,
    `batchSize=${sourcemaps.batchSize}`,
    `concurrency=${resolved.concurrency}`,
    `timeout=${resolved.timeout}ms`,
    `requestTimeout=${resolved.requestTimeout}ms`,
    `uploadTimeout=${resolved.uploadTimeout}ms`,
    `uploadThread=${resolved.uploadThread}`,
    `retries=${resolved.retries}`,
    `proxy=${resolved.proxy ? maskUrlCredentials(resolved.proxy) : 'none'}`,
    `conflicts=${resolved.force ? 'force' : resolved.skipOnConflict ? 'skip' : 'error'}`,
    `compression=${resolved.compression}`,
    `manifest=${manifest.enabled ? manifest.fileName : 'off'}`,
    `dryRun=${resolved.dryRun}`,
    `failOnError=${resolved.failOnError}`,
    `uploadInWatchMode=${resolved.uploadInWatchMode}`,
  ];
  const headerNames = Object.keys(resolved.headers);
  // Header names only: their values are often tokens.
  if (headerNames.length > 0) parts.push(`headers=${headerNames.join(',')}`);
  return `options: ${parts.join(' ')}`;
}

/**
 * The one "no credentials" warning: what is missing and how to set it. Undefined when both are
 * present.
 */
export function describeMissingCredentials(resolved: ResolvedOptions): string | undefined {
  if (resolved.missingCredentials.length === 0) return undefined;
  const how = resolved.missingCredentials.map((name) =>
    name === 'personalApiKey'
      ? `personalApiKey (or ${API_KEY_ENV.join(' / ')})`
      : `projectId (or ${PROJECT_ID_ENV.join(' / ')})`,
  );
  return `no PostHog credentials: chunk ids are injected but nothing is uploaded; set ${how.join(' and ')}`;
}
