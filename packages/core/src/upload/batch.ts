import type { BulkStartUploadResponse } from '../api/protocol';
import { errorMessage } from '../errors';
import { forEachConcurrent } from './pool';
import { type Chunk, type RunContext, releaseBytes, sendHandlingConflicts, uploadItem } from './run-context';
import { uploadChunk } from './storage';

/** One bulk_start_upload → presigned POSTs → bulk_finish_upload round for up to `batchSize` chunks. */
export async function uploadBatch(context: RunContext, batch: Chunk[]): Promise<void> {
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
    return;
  }
  const { result, chunks } = started;
  if (!result) return;

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
    return;
  }

  const finishIds = new Map<Chunk, string>();
  const present = chunks.filter((chunk) => !result.id_map[chunk.chunkId]);
  for (const chunk of present) {
    report.alreadyPresent(chunk);
    releaseBytes(context, chunk);
  }
  const toSend = chunks.filter((chunk) => result.id_map[chunk.chunkId]);
  await forEachConcurrent(toSend, context.concurrency, async (chunk) => {
    try {
      const symbolSetId = await uploadChunk(context, chunk, result.id_map[chunk.chunkId]!);
      if (symbolSetId === undefined) report.alreadyPresent(chunk);
      else finishIds.set(chunk, symbolSetId);
    } catch (error) {
      if (signal?.aborted) throw error;
      report.failed(chunk, `uploading to object storage failed: ${errorMessage(error)}`);
    } finally {
      releaseBytes(context, chunk);
    }
  });
  // In batch order, whatever order the uploads completed in.
  const toFinish = toSend.flatMap((chunk) => {
    const symbolSetId = finishIds.get(chunk);
    return symbolSetId === undefined ? [] : [{ chunk, symbolSetId }];
  });
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
