import { isExpiredPolicy } from '../api/error-body';
import type { BulkStartUploadEntry, PresignedPost } from '../api/protocol';
import { ApiError } from '../errors';
import type { Container } from './pack';
import { type Chunk, chunkContainer, type RunContext, uploadItem } from './run-context';

/** Object storage refusing a presigned POST whose policy has expired (S3: "Policy expired"). */
export function isExpiredPresignedPost(error: unknown): boolean {
  return (
    error instanceof ApiError && isExpiredPolicy(error.status, { code: error.apiCode, detail: error.detail })
  );
}

function isTransportError(error: unknown): boolean {
  return error instanceof ApiError && error.status === 0;
}

/**
 * PostHog's rules for `fallback_presigned_url` (S3 transfer acceleration): two attempts at the
 * primary URL; only when both fail at the transport level, two at the fallback; once the fallback
 * has worked, every later chunk goes straight to it. HTTP errors never switch endpoints.
 */
async function post(context: RunContext, entry: BulkStartUploadEntry, container: Container): Promise<void> {
  const { client, signal } = context;
  const send = (target: PresignedPost, retries?: number) =>
    client.uploadToPresignedPost(target, container, { retries, signal });
  const fallback = entry.fallback_presigned_url;
  if (!fallback) return send(entry.presigned_url);
  if (context.preferFallback) return send(fallback, 1);
  try {
    await send(entry.presigned_url, 1);
  } catch (error) {
    if (!isTransportError(error)) throw error;
    context.logger?.warn(`${(error as Error).message}; trying the standard storage endpoint`);
    await send(fallback, 1);
    context.preferFallback = true;
  }
}

/**
 * Uploads one chunk's container to object storage. Each POST is retried on any error but an expired
 * policy (as PostHog's CLI does); when it still fails, or the policy expired (they last 300 s), the
 * chunk is started again once for a fresh presigned POST. Returns the symbol-set id to finish, or
 * undefined when the restart says the chunk is already present.
 */
export async function uploadChunk(
  context: RunContext,
  chunk: Chunk,
  entry: BulkStartUploadEntry,
): Promise<string | undefined> {
  const container = await chunkContainer(context, chunk);
  try {
    await post(context, entry, container);
    return entry.symbol_set_id;
  } catch (error) {
    // A transport failure is already retried (and switched to a fallback URL): a new policy won't help.
    if (context.signal?.aborted || !(error instanceof ApiError) || error.status === 0) throw error;
    const why = isExpiredPresignedPost(error) ? 'the presigned upload expired' : (error as Error).message;
    context.logger?.debug(`${chunk.fileName}: ${why}; asking PostHog for a fresh presigned upload`);
    const { id_map } = await context.client.symbolSets.bulkStartUpload(
      {
        symbol_sets: [uploadItem(context, chunk)],
        force: context.force,
        skip_on_conflict: context.skipOnConflict,
      },
      context.signal,
    );
    const again = id_map[chunk.chunkId];
    if (!again) return undefined;
    await post(context, again, container);
    return again.symbol_set_id;
  }
}
