// Upload inputs for chunks written to disk: what a build session and the upload worker both upload.
import { PairMemory } from './pair-memory';
import { readSourcePairInto } from './read-pair';
import { rewriteMapSources } from './rewrite-sources';
import type { UploadInput } from './types';

/** One pair to upload, as files (plain data: it can be handed to a worker thread). */
export interface PathInput {
  chunkId: string;
  /** For messages, e.g. `assets/index-abc.js`. */
  fileName: string;
  jsPath: string;
  mapPath: string | undefined;
}

/**
 * Inputs for uploadSymbolSets from files on disk: each pair is read (and checked as readSourcePair
 * does) when the pipeline asks, the map's sources rewritten by `rewrite`. The pairs of one call share
 * memory that the pipeline hands back once a pair is packed or no longer needed, so a large upload
 * does not keep faulting in fresh memory.
 */
export function uploadInputsFrom(
  inputs: readonly PathInput[],
  rewrite?: (source: string, mapPath: string) => string,
): UploadInput[] {
  // One run's pairs share memory: the pipeline gives each pair's back once it is packed or dropped.
  const memory = new PairMemory();
  return inputs.map(({ chunkId, fileName, jsPath, mapPath }) => ({
    chunkId,
    fileName,
    load: async () => {
      const pair = await readSourcePairInto(memory, jsPath, mapPath, fileName);
      if (!rewrite || !mapPath) return pair;
      return { ...pair, map: rewriteMapSources(pair.map, (source) => rewrite(source, mapPath)) };
    },
  }));
}
