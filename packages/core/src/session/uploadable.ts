import { statSync } from 'node:fs';

interface ChunkFiles {
  jsPath: string;
  mapPath: string | undefined;
}

/**
 * A build's chunks by what can be uploaded. Only `onDisk` can be; the rest are skipped, never failed:
 * frameworks emit chunks without maps (wrappers, adapter files), and adapters move or remove files
 * after the bundler wrote them.
 */
export interface SortedByMap<T> {
  /** Chunks with their JavaScript and map files on disk: the upload's to judge. */
  onDisk: T[];
  /** Chunks without a map file on disk (none emitted, inline, or moved away since). */
  mapless: T[];
  /** Chunks whose JavaScript file is gone. */
  missing: T[];
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
 * Which of a build's chunks can be uploaded, from the files alone: the maps are not read here. The
 * upload reads each one once, and skips a map that maps nothing (`skipMapsNothing`) or reports one
 * that cannot be read.
 */
export function sortByMap<T extends ChunkFiles>(chunks: readonly T[]): SortedByMap<T> {
  const sorted: SortedByMap<T> = { onDisk: [], mapless: [], missing: [] };
  for (const chunk of chunks) {
    if (!isFile(chunk.jsPath)) sorted.missing.push(chunk);
    else if (!isFile(chunk.mapPath)) sorted.mapless.push(chunk);
    else sorted.onDisk.push(chunk);
  }
  return sorted;
}
