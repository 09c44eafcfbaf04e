import { createHash } from '../crypto-on-use';

/**
 * PostHog's `pack_version`: the build rides inside the version (`version+build`), so two builds of one
 * version are two releases. Either part alone is used as is; neither gives undefined.
 */
export function packVersion(version?: string, build?: string): string | undefined {
  if (version && build) return `${version}+${build}`;
  return version || build || undefined;
}

/**
 * A release's identity on the wire: lowercase hex SHA-512 of the UTF-8 name followed directly by the
 * UTF-8 packed version, with no separator (posthog-protocol.md 4.1).
 */
export function computeReleaseHashId(name: string, version: string): string {
  return createHash('sha512').update(name, 'utf8').update(version, 'utf8').digest('hex');
}
