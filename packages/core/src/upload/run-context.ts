import type { SymbolSetUploadItem } from '../api/protocol';
import { ApiError, HogmapsError } from '../errors';
import type { Logger } from '../logger';
import type { ReleaseMode } from '../options/types';
import { type Container, changedDuringUpload, containerSize, type Pair, packInput, packPair } from './pack';
import { recyclePair } from './pair-memory';
import type { ChunkRef, Report } from './report';
import type { UploadClient, UploadInput } from './types';

/**
 * A hashed chunk. What it keeps for the upload counts against the buffer budget (`held` bytes): its
 * container (`container`), or in event mode, until PostHog asks for it, the loaded pair (`pair`).
 */
export interface Chunk extends ChunkRef {
  input: UploadInput;
  hash: string;
  /** Container bytes; 0 until packed (event mode may wait for bulk_check_upload to ask for it). */
  size: number;
  container: Container | undefined;
  pair: Pair | undefined;
  held: number;
}

/** Mutable state of one upload run, shared by the check, start, storage and finish steps. */
export interface RunContext {
  client: UploadClient;
  report: Report;
  logger: Logger | undefined;
  signal: AbortSignal | undefined;
  compression: 'auto' | 'zstd' | 'none';
  releaseMode: ReleaseMode;
  concurrency: number;
  force: boolean;
  skipOnConflict: boolean;
  /** Becomes null for the rest of the run after a `release_id_mismatch`. */
  releaseId: string | null;
  /** The server lacks bulk_check_upload (or it failed once): upload everything. */
  checkDisabled: boolean;
  /**
   * Event mode: the last check asked for most of its sets (or checks are off), so the next sets are
   * packed as soon as they are hashed, as in symbol-set mode. Their pairs' memory then serves the
   * next pairs at once instead of waiting, fresh, for their own check; what it costs is a set
   * packed in vain when its check finds it present (set in checkBatch).
   */
  packEarly: boolean;
  /** The fallback storage URL worked after the accelerated one failed: use it from now on. */
  preferFallback: boolean;
  bufferedBytes: number;
  maxBufferedBytes: number;
  maxPayloadBytes: number;
  /** Skip pairs whose map maps nothing (UploadOptions.skipMapsNothing). */
  skipMapsNothing: boolean;
  /**
   * Bounds loads, hashes and packs in flight to the CPU count: they are CPU-bound, and each one in
   * flight holds a file's text, its payload and the compressed frame. `first` jumps the queue: a set
   * whose batch is being uploaded goes before the next batch's loads.
   */
  packLimit: <T>(task: () => Promise<T>, first?: boolean) => Promise<T>;
  /** Bounds presigned POSTs in flight (`concurrency`), across the two batches that may be sending. */
  postLimit: <T>(task: () => Promise<T>) => Promise<T>;
}

export function uploadItem(context: RunContext, chunk: Chunk): SymbolSetUploadItem {
  return { chunk_id: chunk.chunkId, release_id: context.releaseId, content_hash: chunk.hash };
}

/** Keeps what the chunk needs for its upload when the buffer budget has room for `bytes` more. */
export function hold(
  context: RunContext,
  chunk: Chunk,
  kept: { container: Container } | { pair: Pair },
  bytes: number,
) {
  if (context.bufferedBytes + bytes > context.maxBufferedBytes) return;
  context.bufferedBytes += bytes;
  chunk.held = bytes;
  Object.assign(chunk, kept);
}

export function releaseBytes(context: RunContext, chunk: Chunk): void {
  if (chunk.pair) recyclePair(chunk.pair);
  context.bufferedBytes -= chunk.held;
  chunk.held = 0;
  chunk.container = undefined;
  chunk.pair = undefined;
}

async function packAgain(context: RunContext, chunk: Chunk): Promise<Container> {
  const pair = chunk.pair;
  if (pair) return packPair(pair, context.compression, chunk.fileName);
  const again = await packInput(chunk.input, context.compression, context.releaseMode);
  if (again.hash !== chunk.hash) throw changedDuringUpload(chunk.fileName);
  return again.container;
}

/**
 * The chunk's container: kept from packing, packed now from the kept pair (event mode), or loaded
 * and packed again (the file must not have changed). Packs go before the next batch's loads.
 */
export async function chunkContainer(context: RunContext, chunk: Chunk): Promise<Container> {
  if (chunk.container) return chunk.container;
  const pair = chunk.pair;
  const container = await context.packLimit(() => packAgain(context, chunk), true);
  // Before releaseBytes: a container that is the pair's own memory (no compression) keeps it.
  if (pair) recyclePair(pair, container);
  releaseBytes(context, chunk);
  if (chunk.size === 0) {
    const size = containerSize(container);
    // Packed for the first time (event mode): the bound checked before bulk_check_upload holds.
    if (size > context.maxPayloadBytes) {
      throw new HogmapsError(
        'too_large',
        `its symbol set is ${size} bytes, over the ${context.maxPayloadBytes}-byte limit`,
      );
    }
    chunk.size = size;
    context.report.emit({ type: 'packed', chunkId: chunk.chunkId, fileName: chunk.fileName, bytes: size });
  }
  return container;
}

export function isApiCode(error: unknown, code: string): error is ApiError {
  return error instanceof ApiError && error.apiCode === code;
}

/** The chunk id named in a `content_hash_mismatch` or `release_id_mismatch` detail. */
export function refInDetail(error: ApiError): string | undefined {
  return /Symbol set (\S+) already/.exec(error.detail ?? '')?.[1];
}

/**
 * Sends a check or start request, handling the two conflicts PostHog reports for one chunk by
 * rejecting the whole request: `content_hash_mismatch` fails that chunk and the rest is sent
 * again; `release_id_mismatch` drops the release id for the rest of the run, once, as PostHog's
 * CLI does. Returns the chunks the result applies to.
 */
export async function sendHandlingConflicts<T>(
  context: RunContext,
  chunks: Chunk[],
  send: (chunks: Chunk[]) => Promise<T>,
): Promise<{ result: T | undefined; chunks: Chunk[] }> {
  let pending = chunks;
  for (;;) {
    if (pending.length === 0) return { result: undefined, chunks: pending };
    // What `send` puts in its items: another batch's request may drop it while this one is out.
    const sentWith = context.releaseId;
    try {
      return { result: await send(pending), chunks: pending };
    } catch (error) {
      if (isApiCode(error, 'content_hash_mismatch')) {
        const ref = refInDetail(error);
        const conflicting = pending.find((chunk) => chunk.chunkId === ref);
        if (!conflicting) throw error;
        context.report.failed(
          conflicting,
          `PostHog already has chunk ${conflicting.chunkId} with different content; ` +
            'set force to replace it or skipOnConflict to keep it',
        );
        releaseBytes(context, conflicting);
        pending = pending.filter((chunk) => chunk !== conflicting);
        continue;
      }
      if (isApiCode(error, 'release_id_mismatch') && sentWith !== null) {
        if (context.releaseId !== null) {
          context.logger?.warn(
            `${error.detail ?? error.message}: uploading without a release id from now on, as PostHog's CLI does`,
          );
          context.releaseId = null;
        }
        continue;
      }
      throw error;
    }
  }
}
