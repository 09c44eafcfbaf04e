import type { UploadSummary } from '../upload/types';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export interface SummaryInput {
  release: string | undefined;
  /** The release was identified but could not be registered, so the code carries no release id. */
  releaseNotRegistered?: boolean;
  injected: number;
  upload: UploadSummary | undefined;
  /** Why nothing was uploaded, when nothing was. */
  skippedBecause: string | undefined;
  /** Chunks not uploaded: no map on disk, the file is gone, or the map maps nothing. */
  skipped?: { noMap: number; missing: number; mapsNothing: number };
  mapsDeleted: number;
  /** Maps moved out of the output to wait for `hogmaps upload --manifest`. */
  mapsKept?: number;
  durationMs: number;
}

/** The one line a build prints: release, chunks injected, sets uploaded and skipped, bytes, time. */
export function formatSummary(input: SummaryInput): string {
  const parts = [`${plural(input.injected, 'chunk')} with ids`];
  const upload = input.upload;
  if (upload) {
    const verb = upload.dryRun ? 'would upload' : 'uploaded';
    parts.push(`${plural(upload.uploaded.length, 'symbol set')} ${verb} (${formatBytes(upload.bytes)})`);
    if (upload.alreadyPresent.length > 0) parts.push(`${upload.alreadyPresent.length} already present`);
    if (upload.tooLarge.length > 0) parts.push(`${upload.tooLarge.length} too large`);
    if (upload.failed.length > 0) parts.push(`${upload.failed.length} failed`);
  } else if (input.skippedBecause) {
    parts.push(`nothing uploaded (${input.skippedBecause})`);
  }
  if (input.skipped?.noMap) parts.push(`${input.skipped.noMap} without a source map skipped`);
  if (input.skipped?.missing) parts.push(`${input.skipped.missing} with a missing file skipped`);
  if (input.skipped?.mapsNothing) parts.push(`${input.skipped.mapsNothing} with nothing to map skipped`);
  if (input.mapsDeleted > 0) parts.push(`${plural(input.mapsDeleted, 'map')} deleted`);
  if (input.mapsKept) parts.push(`${plural(input.mapsKept, 'map')} kept for a retry, out of the output`);
  const release = !input.release
    ? 'no release: '
    : input.releaseNotRegistered
      ? `release ${input.release} (NOT registered, not in the code): `
      : `release ${input.release}: `;
  return `${release}${parts.join(', ')} in ${formatDuration(input.durationMs)}`;
}
