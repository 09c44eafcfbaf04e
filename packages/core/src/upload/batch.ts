import type { BulkStartUploadResponse } from '../api/protocol';
import { ApiError, errorMessage } from '../errors';
import { type Chunk, type RunContext, releaseBytes, sendHandlingConflicts, uploadItem } from './run-context';
import { uploadChunk } from './storage';

/** A batch PostHog has started: the chunks to POST, and where. */
export interface StartedBatch {
  toSend: Chunk[];
  idMap: BulkStartUploadResponse['id_map'];
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
    const toUpload = checked.filter((chunk) => needed.has(chunk.chunkId));
    // A first release needs nearly every set, a new release of the same code nearly none: the
    // last check is the best guess at what the next one will ask for.
    context.packEarly = toUpload.length * 2 >= checked.length;
    return toUpload;
  } catch (error) {
    if (context.signal?.aborted) throw error;
    // The next batch's check may have been on the wire too: say it once.
    if (!context.checkDisabled) {
      const unsupported = error instanceof ApiError && [403, 404, 405].includes(error.status);
      const message = `bulk_check_upload ${unsupported ? 'is not supported by this server' : `failed (${errorMessage(error)})`}`;
      if (unsupported) context.logger?.debug(`${message}; uploading every symbol set`);
      else context.logger?.warn(`${message}; uploading every symbol set`);
    }
    context.checkDisabled = true;
    context.packEarly = true;
    return chunks.filter((chunk) => !context.report.isSettled(chunk.chunkId));
  }
}

/**
 * bulk_start_upload for a checked batch. Chunks PostHog already has are reported; undefined when
 * nothing is left to send (or the start failed: its chunks are reported as failed).
 */
async function startBatch(context: RunContext, batch: Chunk[]): Promise<StartedBatch | undefined> {
  const { client, report, signal } = context;
  let started: { result: BulkStartUploadResponse | undefined; chunks: Chunk[] };
  try {
    started = await sendHandlingConflicts(context, batch, (chunks) =>
      client.symbolSets.bulkStartUpload(
        {
          symbol_sets: chunks.map((chunk) => uploadItem(context, chunk)),
          force: context.force,
          skip_on_conflict: context.skipOnConflict,
        },
        signal,
      ),
    );
  } catch (error) {
    if (signal?.aborted) throw error;
    for (const chunk of batch) {
      if (report.isSettled(chunk.chunkId)) continue;
      report.failed(chunk, `starting the upload failed: ${errorMessage(error)}`);
      releaseBytes(context, chunk);
    }
    return undefined;
  }
  const { result, chunks } = started;
  if (!result) return undefined;

  const requested = new Set(chunks.map((chunk) => chunk.chunkId));
  const unexpected = Object.keys(result.id_map).filter((id) => !requested.has(id));
  if (unexpected.length > 0) {
    // PostHog's CLI stops here too: the answer is not about what we asked for.
    for (const chunk of chunks) {
      report.failed(
        chunk,
        `PostHog answered with chunk ids that were not requested: ${unexpected.join(', ')}`,
      );
      releaseBytes(context, chunk);
    }
    return undefined;
  }
  for (const chunk of chunks.filter((chunk) => !result.id_map[chunk.chunkId])) {
    report.alreadyPresent(chunk);
    releaseBytes(context, chunk);
  }
  const toSend = chunks.filter((chunk) => result.id_map[chunk.chunkId]);
  return toSend.length > 0 ? { toSend, idMap: result.id_map } : undefined;
}

/** A batch on the wire: `posted` once its POSTs are done, `done` once it is finished too. */
export interface SendingBatch {
  posted: Promise<void>;
  done: Promise<void>;
}

/** A batch under way: also `queued` once its POSTs wait for the POST limit (or it has none). */
export interface BatchRun extends SendingBatch {
  queued: Promise<void>;
}

/**
 * Checks, starts, POSTs and finishes a prepared batch, on its own: its check and start overlap the
 * requests of the batch before (`previous`), whose POSTs queue first and whose finish comes first.
 * Rejects only on an abort.
 */
export function runBatch(context: RunContext, chunks: Chunk[], previous: BatchRun | undefined): BatchRun {
  const sending = (async () => {
    const needed = await checkBatch(context, chunks);
    const started = needed.length > 0 ? await startBatch(context, needed) : undefined;
    await previous?.queued;
    return started ? sendBatch(context, started, previous?.done) : undefined;
  })();
  // With nothing to send, the batch is done when the one before it is: batches end in order.
  const run = {
    queued: sending.then(() => undefined),
    posted: sending.then((sent) => sent?.posted),
    done: sending.then((sent) => (sent ? sent.done : previous?.done)),
  };
  for (const promise of Object.values(run)) promise.catch(() => undefined);
  return run;
}

/**
 * The presigned POSTs of a started batch, then its bulk_finish_upload. The POSTs go through the
 * run's POST limit, so the next batch's queue behind this one's and the wire stays busy between
 * batches; the finish waits for the batch before (`previous`) to be done, so batches are reported,
 * and finished on the server, in order. Both promises reject only on an abort.
 */
function sendBatch(
  context: RunContext,
  { toSend, idMap }: StartedBatch,
  previous: Promise<void> | undefined,
): SendingBatch {
  const { report, signal } = context;
  const finishIds = new Map<Chunk, string>();
  const posted = Promise.all(
    toSend.map((chunk) =>
      context.postLimit(async () => {
        try {
          const symbolSetId = await uploadChunk(context, chunk, idMap[chunk.chunkId]!);
          if (symbolSetId === undefined) report.alreadyPresent(chunk);
          else finishIds.set(chunk, symbolSetId);
        } catch (error) {
          if (signal?.aborted) throw error;
          report.failed(chunk, `uploading to object storage failed: ${errorMessage(error)}`);
        } finally {
          releaseBytes(context, chunk);
        }
      }),
    ),
  ).then(() => undefined);
  // Settles only once its POSTs and the batches before it have: after an abort, nothing of them
  // runs on. Finished in batch order, whatever order the uploads completed in.
  const done = Promise.allSettled([posted, previous]).then(async (settled) => {
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    await finishBatch(
      context,
      toSend.flatMap((chunk) => {
        const symbolSetId = finishIds.get(chunk);
        return symbolSetId === undefined ? [] : [{ chunk, symbolSetId }];
      }),
    );
  });
  // Each is awaited by the pipeline, maybe later than it rejects (an abort): never unhandled.
  posted.catch(() => undefined);
  done.catch(() => undefined);
  return { posted, done };
}

async function finishBatch(
  context: RunContext,
  toFinish: Array<{ chunk: Chunk; symbolSetId: string }>,
): Promise<void> {
  const { client, report, signal } = context;
  if (toFinish.length === 0) return; // PostHog's newest CLI skips an empty finish too
  try {
    const content_hashes = Object.fromEntries(
      toFinish.map(({ chunk, symbolSetId }) => [symbolSetId, chunk.hash]),
    );
    await client.symbolSets.bulkFinishUpload({ content_hashes }, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    for (const { chunk } of toFinish)
      report.failed(chunk, `finishing the upload failed: ${errorMessage(error)}`);
    return;
  }
  for (const { chunk } of toFinish) report.uploaded(chunk, chunk.size);
}
