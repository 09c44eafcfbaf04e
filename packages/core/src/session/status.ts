import type { UploadSummary } from '../upload/types';
import type { ManifestChunkStatus } from './manifest';

/** Each chunk's manifest status after a finish: from the upload's summary, or why there was none. */
export function statusOf(
  upload: UploadSummary | undefined,
  fatal: unknown,
  skippedBecause: string | undefined,
): (chunkId: string) => ManifestChunkStatus {
  if (!upload) return () => (fatal ? 'failed' : skippedBecause === 'no new chunks' ? 'uploaded' : 'pending');
  const uploaded = new Set(upload.uploaded);
  const present = new Set(upload.alreadyPresent);
  const tooLarge = new Set(upload.tooLarge);
  const failed = new Set(upload.failed.map((failure) => failure.chunkId));
  return (chunkId) => {
    if (failed.has(chunkId)) return 'failed';
    if (tooLarge.has(chunkId)) return 'too-large';
    if (present.has(chunkId)) return 'already-present';
    if (uploaded.has(chunkId)) return upload.dryRun ? 'pending' : 'uploaded';
    return 'pending';
  };
}
