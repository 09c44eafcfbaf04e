import type { ReleaseJson } from '../api/protocol';
import type { ReleasesApi } from '../api/releases-api';
import { ApiError, HogmapsError } from '../errors';
import type { ReleaseIdentity } from './identity';

/** The two release endpoints this flow needs: exactly `PostHogClient.releases`. */
export type ReleaseApi = Pick<ReleasesApi, 'getByHash' | 'create'>;

/** Another build created the same release between our GET and our POST. */
function isHashInUse(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.status !== 400) return false;
  return (
    error.apiCode === 'release_hash_in_use' ||
    (error.detail ?? '').includes('already in use') ||
    error.message.includes('already in use')
  );
}

/**
 * Fetches the release by hash and creates it when missing. Concurrent builds of one commit (matrix
 * jobs, monorepo apps) race to create it: the loser's 400 "already in use" means the release now
 * exists, so it is fetched again instead of failing.
 */
export async function fetchOrCreateRelease(api: ReleaseApi, identity: ReleaseIdentity): Promise<ReleaseJson> {
  const existing = await api.getByHash(identity.hashId);
  if (existing) return existing;
  try {
    return await api.create({
      hash_id: identity.hashId,
      version: identity.version,
      project: identity.name,
      ...(identity.metadata ? { metadata: identity.metadata } : {}),
    });
  } catch (error) {
    if (!isHashInUse(error)) throw error;
    const created = await api.getByHash(identity.hashId);
    if (created) return created;
    throw new HogmapsError(
      'release_conflict',
      `Release ${identity.name}@${identity.version} (hash ${identity.hashId}) is reported as already in use, but fetching it by hash found nothing`,
      { cause: error },
    );
  }
}
