import {
  detectReleaseIdentity,
  fetchOrCreateRelease,
  type PostHogClient,
  type ReleaseIdentity,
  type ReleaseJson,
  type ResolvedOptions,
} from '@hogmaps/core';
import { UsageError } from './args';
import type { CommandContext } from './context';

/**
 * The release of this build, as the plugins find it: flags, then CI variables, then `.git`, then
 * package.json. Explicit but incomplete flags that nothing can complete are an error (as in
 * posthog-cli); finding nothing at all is not.
 */
export function detectRelease(
  context: CommandContext,
  options: ResolvedOptions,
): ReleaseIdentity | undefined {
  const identity = detectReleaseIdentity({ ...options.release, cwd: options.cwd, env: context.io.env });
  const { name, version, build } = options.release;
  if (!identity && (name || version || build)) {
    const missing = name ? '--release-version' : '--release-name';
    throw new UsageError(
      `the release is incomplete: set ${missing} too (nothing found in CI variables, .git or package.json)`,
      context.command.name,
    );
  }
  if (identity) {
    context.logger.debug(
      `release ${identity.name}@${identity.version} (name from ${identity.sources.name}, version from ${identity.sources.version})`,
    );
  }
  return identity;
}

/** Fetches the release by hash, creating it when missing (posthog-protocol.md 4.3). */
export function registerRelease(client: PostHogClient, identity: ReleaseIdentity): Promise<ReleaseJson> {
  return fetchOrCreateRelease(client.releases, identity);
}

export function releaseLabel(
  identity: { name: string; version: string } | undefined | null,
): string | undefined {
  return identity ? `${identity.name}@${identity.version}` : undefined;
}
