import { statSync } from 'node:fs';
import { mapFileMapsNothing } from '../files/empty-map';
import { ReusedReader } from '../files/reused-reader';

interface ChunkFiles {
  jsPath: string;
  mapPath: string | undefined;
}

/**
 * A build's chunks by what can be uploaded. Only `uploadable` is; the rest are skipped, never failed:
 * frameworks emit chunks without maps (wrappers, adapter files), and adapters move or remove files
 * after the bundler wrote them.
 */
export interface SortedByMap<T> {
  /** Chunks with a map worth uploading. */
  uploadable: T[];
  /** Chunks without a map file on disk (none emitted, inline, or moved away since). */
  mapless: T[];
  /** Chunks whose JavaScript file is gone. */
  missing: T[];
  /** Chunks whose map maps no position, so resolves no frame (Nitro's maps of dependency-only chunks). */
  mappingNothing: T[];
}

// Synchronous: a build's chunks were just written, and a promise per stat cost more main-thread time
// than the stat (150 chunks: 13 ms of CPU with fs/promises, 2 ms without; docs/benchmarks.md round 8).
function isFile(file: string | undefined): boolean {
  if (file === undefined) return false;
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Which of a build's chunks are worth uploading. Maps are only read when something will be uploaded
 * (`checkMaps`), one at a time; a map that cannot be read is left to the upload to report.
 */
export async function sortByMap<T extends ChunkFiles>(
  chunks: readonly T[],
  checkMaps: boolean,
): Promise<SortedByMap<T>> {
  const sorted: SortedByMap<T> = { uploadable: [], mapless: [], missing: [], mappingNothing: [] };
  const reader = new ReusedReader();
  for (const chunk of chunks) {
    if (!isFile(chunk.jsPath)) sorted.missing.push(chunk);
    else if (!isFile(chunk.mapPath)) sorted.mapless.push(chunk);
    else if (checkMaps && (await mapFileMapsNothing(chunk.mapPath!, reader)))
      sorted.mappingNothing.push(chunk);
    else sorted.uploadable.push(chunk);
  }
  return sorted;
}
