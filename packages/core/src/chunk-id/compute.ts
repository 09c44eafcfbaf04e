import { HogmapsError } from '../errors';
import { uuidV5 } from './uuid-v5';

/** PostHog's UUIDv5 namespace for chunk ids (`CHUNK_ID_NAMESPACE` in posthog-cli, plugin-utils). */
export const CHUNK_ID_NAMESPACE = '0e9b3c7a-5d1f-42a8-b6c4-e2d0f8a17593';

export interface ComputeChunkIdOptions {
  /**
   * The release's `hash_id` (symbol-set mode). Mixed into the id so one chunk shipped in two releases
   * gets two ids and never hits PostHog's `release_id_mismatch`.
   */
  releaseHashId?: string | undefined;
}

/**
 * The deterministic chunk id of a chunk's code as it is BEFORE injection.
 *
 * - Event mode (no `releaseHashId`): UUIDv5(CHUNK_ID_NAMESPACE, code bytes), exactly PostHog's
 *   `createStableChunkId`, so `computeChunkId("code();\n")` is `58a7864c-f7b3-5a2e-ba91-18655350fd89`.
 * - Symbol-set mode: UUIDv5(CHUNK_ID_NAMESPACE, code bytes ‖ 0x00 ‖ UTF-8 of `releaseHashId`). The NUL
 *   separator keeps (code, hash) pairs unambiguous, since a hash_id never contains NUL.
 *
 * A string is hashed as UTF-8; pass the file's bytes (a Uint8Array) to match posthog-cli, which
 * hashes the file as read from disk (BOM included).
 */
export function computeChunkId(code: string | Uint8Array, options: ComputeChunkIdOptions = {}): string {
  const { releaseHashId } = options;
  if (releaseHashId === undefined) return uuidV5([code], CHUNK_ID_NAMESPACE);
  if (typeof releaseHashId !== 'string' || releaseHashId.length === 0 || releaseHashId.includes('\0')) {
    throw new HogmapsError(
      'invalid_release_hash_id',
      `releaseHashId must be a non-empty string without NUL characters, got ${JSON.stringify(releaseHashId)}`,
    );
  }
  return uuidV5([code, `\0${releaseHashId}`], CHUNK_ID_NAMESPACE);
}
