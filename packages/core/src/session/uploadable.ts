import { mapFileMapsNothing } from '../files/empty-map';

interface ChunkWithMap {
  mapPath: string | undefined;
}

export interface SortedByMap<T> {
  /** Chunks with a map worth uploading. */
  uploadable: T[];
  /** Chunks without a map file (maps off or inline: the adapter said why). */
  mapless: T[];
  /** Chunks whose map maps no position, so resolves no frame (Nitro's maps of dependency-only chunks). */
  mappingNothing: T[];
}

/**
 * Which of a build's chunks are worth uploading. Maps are only read when something will be uploaded
 * (`checkMaps`), one at a time; a map that cannot be read is left to the upload to report.
 */
export async function sortByMap<T extends ChunkWithMap>(
  chunks: readonly T[],
  checkMaps: boolean,
): Promise<SortedByMap<T>> {
  const sorted: SortedByMap<T> = { uploadable: [], mapless: [], mappingNothing: [] };
  for (const chunk of chunks) {
    if (chunk.mapPath === undefined) sorted.mapless.push(chunk);
    else if (checkMaps && (await mapFileMapsNothing(chunk.mapPath))) sorted.mappingNothing.push(chunk);
    else sorted.uploadable.push(chunk);
  }
  return sorted;
}
