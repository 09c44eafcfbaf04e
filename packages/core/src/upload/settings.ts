import type { ResolvedOptions } from '../options/types';
import type { UploadOptions } from './types';

/** The upload settings a resolved configuration describes (the session, the folder pipeline and the CLI). */
export function uploadSettingsFrom(
  options: ResolvedOptions,
): Pick<
  UploadOptions,
  | 'releaseMode'
  | 'batchSize'
  | 'concurrency'
  | 'force'
  | 'skipOnConflict'
  | 'dryRun'
  | 'compression'
  | 'deadlineMs'
> {
  return {
    releaseMode: options.sourcemaps.releaseMode,
    batchSize: options.sourcemaps.batchSize,
    concurrency: options.concurrency,
    force: options.force,
    skipOnConflict: options.skipOnConflict,
    dryRun: options.dryRun,
    compression: options.compression,
    deadlineMs: options.uploadTimeout,
  };
}
