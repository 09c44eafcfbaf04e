import { resetBuildSessions } from '@hogmaps/core';
import { vi } from 'vitest';

// Every environment variable hogmaps reads for credentials, host and release mode.
const POSTHOG_ENV = [
  'POSTHOG_PERSONAL_API_KEY',
  'POSTHOG_CLI_API_KEY',
  'POSTHOG_CLI_TOKEN',
  'POSTHOG_CLI_PROJECT_ID',
  'POSTHOG_CLI_ENV_ID',
  'POSTHOG_CLI_HOST',
  'POSTHOG_RELEASE_MODE',
];

/**
 * Makes the next build behave like a fresh process on a machine with no PostHog settings: the session
 * is process-wide by design, and a developer's own credentials must not leak into tests. Undo with
 * `vi.unstubAllEnvs()`.
 */
export function isolateBuild(): void {
  resetBuildSessions();
  for (const name of POSTHOG_ENV) vi.stubEnv(name, '');
}
