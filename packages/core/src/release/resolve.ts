import { ApiError, HogmapsError } from '../errors';
import type { ReleaseIdentity, ReleaseMetadata } from './identity';

/** PostHog's release JSON (posthog-protocol.md 4.3). */
export interface ReleaseJson {
  id: string;
  hash_id: string;
  team_id: number;
  created_at: string;
  metadata: Record<string, unknown> | null;
  version: string;
  project: string;
}

export interface CreateReleaseBody {
  hash_id: string;
  version: string;
  /** The release name: PostHog's API still calls it `project`. */
  project: string;
  metadata?: ReleaseMetadata;
}

/** The two release endpoints this flow needs; the upload client implements them. */
export interface ReleaseApi {
  /** `GET …/error_tracking/releases/hash/{hash_id}`: undefined on 404, ApiError on other failures. */
  getReleaseByHash(hashId: string): Promise<ReleaseJson | undefined>;
  /** `POST …/error_tracking/releases`: the created release (201), ApiError on failure. */
  createRelease(body: CreateReleaseBody): Promise<ReleaseJson>;
}

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
  const existing = await api.getReleaseByHash(identity.hashId);
  if (existing) return existing;
  try {
    return await api.createRelease({
      hash_id: identity.hashId,
      version: identity.version,
      project: identity.name,
      ...(identity.metadata ? { metadata: identity.metadata } : {}),
    });
  } catch (error) {
    if (!isHashInUse(error)) throw error;
    const created = await api.getReleaseByHash(identity.hashId);
    if (created) return created;
    throw new HogmapsError(
      'release_conflict',
      `Release ${identity.name}@${identity.version} (hash ${identity.hashId}) is reported as already in use, but fetching it by hash found nothing`,
      { cause: error },
    );
  }
}
