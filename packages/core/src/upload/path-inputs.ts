// Upload inputs for chunks written to disk: what a build session and the upload worker both upload.
import { readSourcePair } from './read-pair';
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

/** Inputs that read each pair when the pipeline asks, the map's sources rewritten by `rewrite`. */
export function uploadInputsFrom(
  inputs: readonly PathInput[],
  rewrite?: (source: string, mapPath: string) => string,
): UploadInput[] {
  return inputs.map(({ chunkId, fileName, jsPath, mapPath }) => ({
    chunkId,
    fileName,
    load: async () => {
      const pair = await readSourcePair(jsPath, mapPath, fileName);
      if (!rewrite || !mapPath) return pair;
      return { ...pair, map: rewriteMapSources(pair.map, (source) => rewrite(source, mapPath)) };
    },
  }));
}
