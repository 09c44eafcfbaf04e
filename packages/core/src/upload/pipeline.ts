import { availableParallelism } from 'node:os';
import { setImmediate } from 'node:timers/promises';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_CONCURRENCY,
  MAX_CHECK_BATCH,
  MAX_SYMBOL_SET_BYTES,
} from '../api/protocol';
import { zstdAvailable } from '../container/zstd';
import { HogmapsError, type OptionIssue, OptionsError } from '../errors';
import { loadedMapMapsNothing } from '../files/empty-map';
import { type BatchRun, runBatch } from './batch';
import {
  containerSize,
  eventHash,
  loadInput,
  type Pair,
  packedSizeBound,
  packLoaded,
  pairBytes,
} from './pack';
import { recyclePair } from './pair-memory';
import { createLimiter, forEachConcurrent, chunk as slices } from './pool';
import { createReport } from './report';
import { type Chunk, hold, type RunContext, releaseBytes } from './run-context';
import type { UploadClient, UploadInput, UploadOptions, UploadSummary } from './types';

const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

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

/**
 * Loads an input for its first hash; undefined (reported) when it declines itself, or when the run
 * skips maps that map nothing and this one does (its memory given back). Judged here, from the check
 * the load already made, so a build's finish reads each map once.
 */
async function loadWorthPacking(context: RunContext, input: UploadInput): Promise<Pair | undefined> {
  const pair = await loadInput(input);
  if (!pair) {
    context.report.declined(input);
    return undefined;
  }
  if (!context.skipMapsNothing || !loadedMapMapsNothing(pair.map)) return pair;
  context.report.mapsNothing(input);
  recyclePair(pair);
  return undefined;
}

/** Loads, packs and hashes one input, keeping its container within the buffer budget. */
async function packed(context: RunContext, input: UploadInput, loaded?: Pair): Promise<Chunk | undefined> {
  const ref = { chunkId: input.chunkId, fileName: input.fileName };
  const pair = loaded ?? (await loadWorthPacking(context, input));
  if (!pair) return undefined;
  const { container, hash } = await packLoaded(pair, input, context.compression, context.releaseMode);
  const size = containerSize(container);
  if (size > context.maxPayloadBytes) {
    context.report.tooLarge(ref, size, context.maxPayloadBytes);
    return undefined;
  }
  const chunk: Chunk = {
    ...ref,
    input,
    hash,
    size,
    container: undefined,
    pair: undefined,
    held: 0,
  };
  hold(context, chunk, { container }, size);
  context.report.emit({ type: 'packed', ...ref, bytes: size });
  return chunk;
}

/**
 * Event mode: loads and hashes one input without packing it (the hash is over the pair, not the
 * container), keeping the pair within the buffer budget until PostHog asks for the set. A pair that
 * might pack to more than the size limit is packed now, so that, as in PostHog's CLI, no set over
 * the limit is ever checked or started.
 */
async function hashed(context: RunContext, input: UploadInput): Promise<Chunk | undefined> {
  const pair = await loadWorthPacking(context, input);
  if (!pair) return undefined;
  if (packedSizeBound(pair) > context.maxPayloadBytes) return packed(context, input, pair);
  const ref = { chunkId: input.chunkId, fileName: input.fileName };
  const chunk: Chunk = {
    ...ref,
    input,
    hash: eventHash(pair, input),
    size: 0,
    container: undefined,
    pair: undefined,
    held: 0,
  };
  hold(context, chunk, { pair }, pairBytes(pair));
  // Over the buffer budget: loaded again when PostHog asks for it.
  if (!chunk.pair) recyclePair(pair);
  return chunk;
}

/**
 * Prepares a batch: packed and hashed, or in event mode only hashed (packing waits for the check)
 * unless the last check asked for most of its sets (RunContext.packEarly), decided set by set.
 */
async function prepareBatch(context: RunContext, inputs: UploadInput[], packFirst: boolean) {
  const prepared: Array<Chunk | undefined> = new Array(inputs.length);
  await forEachConcurrent(inputs, context.concurrency, async (input, index) => {
    context.signal?.throwIfAborted();
    try {
      prepared[index] = await context.packLimit(async () => {
        // Reads and the event hash are synchronous: without a turn of the event loop between sets,
        // the answers to the batch on the wire would wait until this whole batch is hashed.
        await setImmediate();
        return packFirst || context.packEarly ? packed(context, input) : hashed(context, input);
      });
    } catch (error) {
      context.report.failed({ chunkId: input.chunkId, fileName: input.fileName }, error);
    }
  });
  return prepared.filter((chunk): chunk is Chunk => chunk !== undefined);
}

/**
 * The run's batches: `batchSize` sets each (at most MAX_CHECK_BATCH), but the first is one wave of
 * POSTs (`concurrency` sets), so the first POST goes out once that many are hashed, not a whole
 * batch; the next batch is hashed while that wave is on the wire.
 */
function batchesOf(inputs: UploadInput[], batchSize: number, concurrency: number): UploadInput[][] {
  const size = Math.min(batchSize, MAX_CHECK_BATCH);
  const first = Math.min(size, concurrency);
  if (inputs.length <= first) return inputs.length > 0 ? [inputs] : [];
  return [inputs.slice(0, first), ...slices(inputs.slice(first), size)];
}

/**
 * Uploads symbol sets the way PostHog's CLI does (posthog-protocol.md 3.4), a batch (batchSize,
 * ≤ 1000; the first one wave of POSTs) at a time: hash → bulk_check_upload → bulk_start_upload →
 * presigned POSTs (concurrency) → bulk_finish_upload, preparing, checking and starting the next batch
 * meanwhile. Symbol-set mode hashes the container, so it packs (zstd) before hashing; event mode
 * hashes the pair and packs only the sets PostHog asks for, each right before its POST, until a
 * check asks for most of its sets: then it packs as it hashes, for as long as checks do so. Inputs
 * are loaded lazily, a batch at a time, and what is kept between steps stays within
 * maxBufferedBytes, so memory stays bounded. A failing file is reported and the rest goes on; only
 * invalid options, an abort or a failing input iterator throw.
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
    checkDisabled: false,
    packEarly: false,
    preferFallback: false,
    bufferedBytes: 0,
    maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    maxPayloadBytes: options.maxPayloadBytes ?? MAX_SYMBOL_SET_BYTES,
    skipMapsNothing: options.skipMapsNothing ?? false,
    packLimit: createLimiter(Math.min(concurrency, availableParallelism())),
    postLimit: createLimiter(concurrency),
  };
  // Event mode hashes the pair, so a set can wait to be packed until bulk_check_upload asks for it
  // (packEarly says whether it does); symbol-set mode hashes the container, and a dry run reports
  // container sizes: both pack first.
  const packFirst = context.releaseMode !== 'event' || dryRun;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;

  const { unique, duplicates, firstFile } = await collectInputs(inputs);
  report.emit({ type: 'start', files: unique.length, duplicates: duplicates.length });
  for (const input of duplicates) report.duplicate(input, firstFile.get(input.chunkId)!);

  // Batch by batch: check, start, POST, finish. The next batch is prepared (read, SHA-512 and in
  // symbol-set mode zstd: CPU) while the current one is on the wire (mostly waiting), and checked and
  // started while the current one's requests are under way, so a distant server's round trips
  // overlap; the first request goes out once the first batch (one wave of POSTs) is hashed.
  const batches = batchesOf(unique, batchSize, concurrency);
  let next = batches.length > 0 ? prepareBatch(context, batches[0]!, packFirst) : undefined;
  // Batches under way, oldest first: each one's finish waits for the one before it.
  const runs: BatchRun[] = [];
  try {
    for (let index = 0; index < batches.length; index++) {
      const packed = await next!;
      next = index + 1 < batches.length ? prepareBatch(context, batches[index + 1]!, packFirst) : undefined;
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
      const previous = runs.at(-1);
      runs.push(runBatch(context, packed, previous));
      // At most two batches under way: this one's POSTs queue behind the previous batch's.
      await previous?.posted;
    }
    await runs.at(-1)?.done;
  } catch (error) {
    // Nothing may settle after the summary: wait for what is still on the wire (an abort ends it).
    await Promise.allSettled(runs.map((run) => run.done));
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
