import { availableParallelism } from 'node:os';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_CONCURRENCY,
  MAX_CHECK_BATCH,
  MAX_SYMBOL_SET_BYTES,
} from '../api/protocol';
import { zstdAvailable } from '../container/zstd';
import { ApiError, errorMessage, HogmapsError, type OptionIssue, OptionsError } from '../errors';
import { uploadBatch } from './batch';
import { packInput } from './pack';
import { createLimiter, forEachConcurrent, chunk as slices } from './pool';
import { createReport } from './report';
import { type Chunk, type RunContext, releaseBytes, sendHandlingConflicts, uploadItem } from './run-context';
import type { UploadClient, UploadInput, UploadOptions, UploadSummary } from './types';

const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

function validate(options: UploadOptions): void {
  const issues: OptionIssue[] = [];
  const positive = (path: keyof UploadOptions) => {
    const value = options[path];
    if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
      issues.push({ path, message: `expected a positive integer, got ${String(value)}` });
    }
  };
  positive('batchSize');
  positive('concurrency');
  positive('maxPayloadBytes');
  positive('deadlineMs');
  if (options.maxBufferedBytes !== undefined && !(options.maxBufferedBytes >= 0)) {
    issues.push({
      path: 'maxBufferedBytes',
      message: `expected a non-negative number, got ${options.maxBufferedBytes}`,
    });
  }
  if (options.force && options.skipOnConflict) {
    issues.push({ path: 'skipOnConflict', message: 'cannot be combined with force' });
  }
  if (options.compression && !['auto', 'zstd', 'none'].includes(options.compression)) {
    issues.push({
      path: 'compression',
      message: `expected 'auto', 'zstd' or 'none', got ${options.compression}`,
    });
  }
  if (issues.length > 0) throw new OptionsError(issues);
  if (options.compression === 'zstd' && !zstdAvailable()) {
    throw new HogmapsError(
      'zstd_unavailable',
      "compression 'zstd' needs Node ≥ 22.15 or @toondepauw/node-zstd; use 'auto' to fall back to none",
    );
  }
}

/** Unique inputs in order; a repeated chunk id keeps its first file. */
async function collectInputs(
  inputs: Iterable<UploadInput> | AsyncIterable<UploadInput>,
): Promise<{ unique: UploadInput[]; duplicates: UploadInput[]; firstFile: Map<string, string> }> {
  const firstFile = new Map<string, string>();
  const unique: UploadInput[] = [];
  const duplicates: UploadInput[] = [];
  for await (const input of inputs) {
    if (typeof input?.chunkId !== 'string' || !input.chunkId || typeof input.load !== 'function') {
      throw new HogmapsError('invalid_upload_input', `invalid upload input for ${String(input?.fileName)}`);
    }
    if (firstFile.has(input.chunkId)) duplicates.push(input);
    else {
      firstFile.set(input.chunkId, input.fileName);
      unique.push(input);
    }
  }
  return { unique, duplicates, firstFile };
}

/** Loads, packs and hashes a batch of inputs, keeping bytes within the buffer budget. */
async function packBatch(
  context: RunContext,
  inputs: UploadInput[],
  limits: { maxPayload: number; maxBuffered: number },
) {
  const packed: Array<Chunk | undefined> = new Array(inputs.length);
  await forEachConcurrent(inputs, context.concurrency, async (input, index) => {
    context.signal?.throwIfAborted();
    const ref = { chunkId: input.chunkId, fileName: input.fileName };
    try {
      const { bytes, hash } = await context.packLimit(() =>
        packInput(input, context.compression, context.releaseMode),
      );
      if (bytes.length > limits.maxPayload)
        return context.report.tooLarge(ref, bytes.length, limits.maxPayload);
      const keep = context.bufferedBytes + bytes.length <= limits.maxBuffered;
      if (keep) context.bufferedBytes += bytes.length;
      packed[index] = { ...ref, input, hash, size: bytes.length, bytes: keep ? bytes : undefined };
      context.report.emit({ type: 'packed', ...ref, bytes: bytes.length });
    } catch (error) {
      context.report.failed(ref, error);
    }
  });
  return packed.filter((chunk): chunk is Chunk => chunk !== undefined);
}

/**
 * Asks the server which chunks it still needs (bulk_check_upload, newest PostHog). Any failure
 * other than a per-chunk conflict turns checks off for the run and uploads everything, as
 * PostHog's CLI does: 403/404/405 mean the server has no such endpoint.
 */
async function checkBatch(context: RunContext, chunks: Chunk[]): Promise<Chunk[]> {
  if (context.checkDisabled || chunks.length === 0) return chunks;
  try {
    const { result, chunks: checked } = await sendHandlingConflicts(context, chunks, (pending) =>
      context.client.symbolSets.bulkCheckUpload(
        {
          symbol_sets: pending.map((chunk) => uploadItem(context, chunk)),
          force: context.force,
          skip_on_conflict: context.skipOnConflict,
        },
        context.signal,
      ),
    );
    if (!result) return [];
    const needed = new Set(result.chunk_ids_to_upload);
    for (const chunk of checked) {
      if (needed.has(chunk.chunkId)) continue;
      context.report.alreadyPresent(chunk);
      releaseBytes(context, chunk);
    }
    return checked.filter((chunk) => needed.has(chunk.chunkId));
  } catch (error) {
    if (context.signal?.aborted) throw error;
    context.checkDisabled = true;
    const unsupported = error instanceof ApiError && [403, 404, 405].includes(error.status);
    const message = `bulk_check_upload ${unsupported ? 'is not supported by this server' : `failed (${errorMessage(error)})`}`;
    if (unsupported) context.logger?.debug(`${message}; uploading every symbol set`);
    else context.logger?.warn(`${message}; uploading every symbol set`);
    return chunks.filter((chunk) => !context.report.isSettled(chunk.chunkId));
  }
}

/**
 * Uploads symbol sets the way PostHog's CLI does (posthog-protocol.md 3.4), a batch (batchSize, ≤ 1000)
 * at a time: pack → SHA-512 → bulk_check_upload → bulk_start_upload → presigned POSTs (concurrency) →
 * bulk_finish_upload, packing the next batch meanwhile. Inputs are loaded lazily, a batch at a time,
 * so memory stays bounded.
 * A failing file is reported and the rest goes on; only invalid options, an abort or a failing
 * input iterator throw.
 */
export async function uploadSymbolSets(
  client: UploadClient,
  inputs: Iterable<UploadInput> | AsyncIterable<UploadInput>,
  options: UploadOptions = {},
): Promise<UploadSummary> {
  validate(options);
  const started = Date.now();
  const requestsBefore = client.requests;
  const dryRun = options.dryRun ?? false;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const report = createReport({ logger: options.logger, onProgress: options.onProgress, dryRun });
  const deadline = options.deadlineMs === undefined ? undefined : AbortSignal.timeout(options.deadlineMs);
  const signals = [options.signal, deadline].filter((signal) => signal !== undefined);
  const context: RunContext = {
    client,
    report,
    logger: options.logger,
    signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
    compression: options.compression ?? 'auto',
    releaseMode: options.releaseMode ?? 'symbol-set',
    concurrency,
    force: options.force ?? false,
    skipOnConflict: options.skipOnConflict ?? false,
    releaseId: options.releaseId ?? null,
    releaseDropped: false,
    checkDisabled: false,
    preferFallback: false,
    bufferedBytes: 0,
    packLimit: createLimiter(Math.min(concurrency, availableParallelism())),
  };
  const limits = {
    maxPayload: options.maxPayloadBytes ?? MAX_SYMBOL_SET_BYTES,
    maxBuffered: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
  };
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;

  const { unique, duplicates, firstFile } = await collectInputs(inputs);
  report.emit({ type: 'start', files: unique.length, duplicates: duplicates.length });
  for (const input of duplicates) report.duplicate(input, firstFile.get(input.chunkId)!);

  // One batch at a time: check, start, POST, finish. The next batch is packed (read, zstd, SHA-512:
  // CPU) while the current one is on the wire (mostly waiting), and the first request goes out after
  // one batch is packed, not a whole check window.
  const batches = slices(unique, Math.min(batchSize, MAX_CHECK_BATCH));
  let next = batches.length > 0 ? packBatch(context, batches[0]!, limits) : undefined;
  try {
    for (let index = 0; index < batches.length; index++) {
      const packed = await next!;
      next = index + 1 < batches.length ? packBatch(context, batches[index + 1]!, limits) : undefined;
      // Awaited on the next turn; if this batch throws first (an abort), that rejection is not unhandled.
      next?.catch(() => undefined);
      if (dryRun) {
        for (const chunk of packed) {
          options.logger?.info(
            `dry run: would upload ${chunk.fileName} (chunk ${chunk.chunkId}, ${chunk.size} bytes)`,
          );
          report.uploaded(chunk, chunk.size);
          releaseBytes(context, chunk);
        }
        continue;
      }
      context.signal?.throwIfAborted();
      const needed = await checkBatch(context, packed);
      if (needed.length > 0) await uploadBatch(context, needed);
    }
  } catch (error) {
    // The caller's abort is theirs to report; the deadline fails what is left, and the run ends.
    if (!deadline?.aborted || options.signal?.aborted) {
      report.logFailures();
      throw error;
    }
    const seconds = Math.round(options.deadlineMs! / 100) / 10;
    for (const input of unique) {
      if (report.isSettled(input.chunkId)) continue;
      report.failed(input, `the upload did not finish within ${seconds} s (uploadTimeout); not uploaded`);
    }
  }

  report.logFailures();
  const summary = report.summary(client.requests - requestsBefore, Date.now() - started);
  report.emit({ type: 'done', summary });
  return summary;
}
