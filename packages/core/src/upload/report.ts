import { errorMessage, FileError } from '../errors';
import type { Logger } from '../logger';
import type { UploadFailure, UploadProgressEvent, UploadSummary } from './types';

export interface ChunkRef {
  chunkId: string;
  fileName: string;
}

/** Collects the outcome of every chunk, emits progress events and logs what needs attention. */
export function createReport(options: {
  logger: Logger | undefined;
  onProgress: ((event: UploadProgressEvent) => void) | undefined;
  dryRun: boolean;
}) {
  const { logger } = options;
  const uploaded: string[] = [];
  const alreadyPresent: string[] = [];
  const tooLarge: string[] = [];
  const mapsNothing: string[] = [];
  const declined: string[] = [];
  const failed: UploadFailure[] = [];
  let bytes = 0;
  const settled = new Set<string>();
  // Failures are logged together at the end, one line per reason: a batch that failed to start is
  // one line naming its files, not fifty lines saying the same.
  const reasons = new Map<string, string[]>();
  const emit = (event: UploadProgressEvent) => options.onProgress?.(event);
  // Only the two fields: callers pass whole chunk records.
  const refOf = ({ chunkId, fileName }: ChunkRef): ChunkRef => ({ chunkId, fileName });

  return {
    emit,
    /** Whether the chunk already has an outcome. */
    isSettled: (chunkId: string) => settled.has(chunkId),
    uploaded(ref: ChunkRef, size: number) {
      settled.add(ref.chunkId);
      uploaded.push(ref.chunkId);
      bytes += size;
      emit({ type: 'uploaded', ...refOf(ref), bytes: size });
    },
    alreadyPresent(ref: ChunkRef) {
      settled.add(ref.chunkId);
      alreadyPresent.push(ref.chunkId);
      logger?.debug(`${ref.fileName}: already uploaded (chunk ${ref.chunkId})`);
      emit({ type: 'skipped', ...refOf(ref), reason: 'already-present' });
    },
    tooLarge(ref: ChunkRef, size: number, limit: number) {
      settled.add(ref.chunkId);
      tooLarge.push(ref.chunkId);
      logger?.warn(`${ref.fileName}: skipped, its symbol set is ${size} bytes, over the ${limit}-byte limit`);
      emit({ type: 'skipped', ...refOf(ref), reason: 'too-large', bytes: size });
    },
    mapsNothing(ref: ChunkRef) {
      settled.add(ref.chunkId);
      mapsNothing.push(ref.chunkId);
      logger?.debug(`${ref.fileName}: skipped, its map maps nothing (chunk ${ref.chunkId})`);
      emit({ type: 'skipped', ...refOf(ref), reason: 'maps-nothing' });
    },
    /** The input's load declined it and said why itself. */
    declined(ref: ChunkRef) {
      settled.add(ref.chunkId);
      declined.push(ref.chunkId);
      emit({ type: 'skipped', ...refOf(ref), reason: 'declined' });
    },
    duplicate(ref: ChunkRef, firstFile: string) {
      logger?.warn(
        `${ref.fileName}: skipped, chunk id ${ref.chunkId} is also used by ${firstFile} (first one wins)`,
      );
      emit({ type: 'skipped', ...refOf(ref), reason: 'duplicate' });
    },
    failed(ref: ChunkRef, error: unknown) {
      // A FileError already names its file.
      const message = error instanceof FileError ? error.message : `${ref.fileName}: ${errorMessage(error)}`;
      settled.add(ref.chunkId);
      failed.push({ ...refOf(ref), error: message });
      logger?.debug(`${message} (chunk ${ref.chunkId})`);
      const reason = error instanceof FileError ? message : errorMessage(error);
      reasons.set(reason, [...(reasons.get(reason) ?? []), ref.fileName]);
      emit({ type: 'failed', ...refOf(ref), error: message });
    },
    /** Logs each reason for failure once, with the files it failed. */
    logFailures() {
      for (const [reason, files] of reasons) {
        if (files.length === 1 && reason.startsWith(`${files[0]}:`)) logger?.error(reason);
        else if (files.length === 1) logger?.error(`${files[0]}: ${reason}`);
        else {
          const shown = files.length > 10 ? [...files.slice(0, 10), `and ${files.length - 10} more`] : files;
          logger?.error(`${files.length} symbol sets failed (${shown.join(', ')}): ${reason}`);
        }
      }
      reasons.clear();
    },
    summary(requests: number, durationMs: number): UploadSummary {
      return {
        uploaded,
        alreadyPresent,
        tooLarge,
        mapsNothing,
        declined,
        failed,
        bytes,
        requests,
        durationMs,
        dryRun: options.dryRun,
      };
    },
  };
}

export type Report = ReturnType<typeof createReport>;
