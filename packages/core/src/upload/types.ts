import type { PostHogClient } from '../api/client';
import type { Logger } from '../logger';
import type { ReleaseMode } from '../options/types';

/** One chunk to upload. `load` is called lazily (and maybe twice), so memory stays bounded. */
export interface UploadInput {
  chunkId: string;
  /** For messages only, e.g. `dist/assets/index-abc.js`. */
  fileName: string;
  /**
   * Reads the JS and its map. Throw a FileError for a malformed, missing or non-UTF-8 file. Resolve to
   * undefined to decline the input (it has nothing worth uploading and has said why itself): it is
   * listed in the summary's `declined`, neither uploaded nor failed.
   */
  load(): Promise<{ minified: string | Uint8Array; map: string | Uint8Array } | undefined>;
}

export interface UploadOptions {
  /** Bind every symbol set to this release (symbol-set mode); null or unset uploads them unbound. */
  releaseId?: string | null;
  /**
   * How `content_hash` is computed, as posthog-cli does for each mode: `event` hashes the pair with the
   * injection undone, so an unchanged chunk keeps its hash across releases (and is not uploaded
   * again); `symbol-set` hashes the container bytes. @default 'symbol-set'
   */
  releaseMode?: ReleaseMode;
  /**
   * Most chunk ids per bulk_check/start/finish request. The first batch has `concurrency` (one wave of
   * POSTs), so uploading starts before a whole batch is packed. @default 50
   */
  batchSize?: number;
  /** Parallel loads and presigned POSTs. @default 10 */
  concurrency?: number;
  /** Replace stored sets whose content differs. */
  force?: boolean;
  /** Keep stored sets whose content differs. Not with `force`. */
  skipOnConflict?: boolean;
  /** Pack and hash only: no request is sent; `uploaded` lists what would be uploaded. */
  dryRun?: boolean;
  /** @default 'auto' */
  compression?: 'auto' | 'zstd' | 'none';
  onProgress?: (event: UploadProgressEvent) => void;
  logger?: Logger;
  signal?: AbortSignal;
  /**
   * Milliseconds the whole upload may take. What is not uploaded by then is reported as failed (a
   * later `hogmaps upload --manifest` finishes it) instead of holding the build. Unset: no limit.
   */
  deadlineMs?: number;
  /** Larger containers are skipped with a warning. @default 104857600 (PostHog's limit) */
  maxPayloadBytes?: number;
  /**
   * Bytes kept between hashing and uploading: containers, and in event mode the loaded JS and map
   * until PostHog asks for the set (only then is it packed). Sets beyond it are loaded and packed
   * again at upload time (and their hash re-checked). @default 67108864 (64 MiB)
   */
  maxBufferedBytes?: number;
  /**
   * Skip, rather than upload, a pair whose map maps no position (no segment in `mappings`): nothing
   * in it can resolve a frame. Nitro leaves such maps for chunks made only of dependencies. They are
   * listed in the summary's `mapsNothing`. @default false (PostHog's CLI uploads them)
   */
  skipMapsNothing?: boolean;
}

export interface UploadFailure {
  chunkId: string;
  fileName: string;
  error: string;
}

export interface UploadSummary {
  uploaded: string[];
  alreadyPresent: string[];
  tooLarge: string[];
  /** Skipped because their map maps nothing (with `skipMapsNothing`). */
  mapsNothing: string[];
  /** Declined by their own `load` (`hogmaps upload` skips PostHog's empty maps this way). */
  declined: string[];
  failed: UploadFailure[];
  /** Container bytes sent to object storage (or, in a dry run, that would be). */
  bytes: number;
  /** HTTP requests made, retries included. */
  requests: number;
  durationMs: number;
  dryRun: boolean;
}

interface FileEvent {
  chunkId: string;
  fileName: string;
}

export type UploadProgressEvent =
  | { type: 'start'; files: number; duplicates: number }
  | (FileEvent & { type: 'packed'; bytes: number })
  | (FileEvent & { type: 'uploaded'; bytes: number })
  | (FileEvent & {
      type: 'skipped';
      reason: 'already-present' | 'too-large' | 'maps-nothing' | 'declined' | 'duplicate';
      bytes?: number;
    })
  | (FileEvent & { type: 'failed'; error: string })
  | { type: 'done'; summary: UploadSummary };

export type UploadClient = Pick<PostHogClient, 'symbolSets' | 'uploadToPresignedPost' | 'requests'>;
