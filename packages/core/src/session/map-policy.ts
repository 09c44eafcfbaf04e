import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { removeReferenceTo } from '../files/map-reference';
import { isValidChunkId } from '../inject/snippet';

export interface MapDisposal {
  /** Maps removed from the output. */
  deleted: number;
  /** chunk id → where its map now lives (moved out of the output for a later retry). */
  movedAside: Map<string, string>;
}

export interface MapToDispose {
  chunkId: string;
  mapPath: string;
  /** The upload did not complete: keep the map (outside the output) so the manifest can retry it. */
  keepForRetry: boolean;
}

/** Where maps wait for a retry: out of the shipped folder, in the usual tool-cache location. */
export function pendingMapsDir(cwd: string): string {
  return path.join(cwd, 'node_modules', '.cache', 'hogmaps', 'pending');
}

/**
 * Maps that hogmaps turned on only for the upload never ship: uploaded ones are deleted, and ones whose
 * upload failed are moved to `pendingDir` (never left in the output), so `hogmaps upload --manifest`
 * can finish the job later.
 */
export async function disposeMaps(
  maps: readonly MapToDispose[],
  pendingDir: string,
  extraFiles: readonly string[] = [],
): Promise<MapDisposal> {
  const result: MapDisposal = { deleted: 0, movedAside: new Map() };
  for (const map of maps) {
    // The id names the file: one that is no chunk id (from untrusted code) never becomes a path.
    if (map.keepForRetry && isValidChunkId(map.chunkId)) {
      await mkdir(pendingDir, { recursive: true });
      const target = path.join(pendingDir, `${map.chunkId}.map`);
      const moved = await rename(map.mapPath, target).then(
        () => true,
        async (error: NodeJS.ErrnoException) => {
          // Gone since the build wrote it (an adapter moved it): nothing ships, nothing to keep.
          if (error.code === 'ENOENT') return false;
          if (error.code !== 'EXDEV') throw error;
          await copyFile(map.mapPath, target);
          await rm(map.mapPath, { force: true });
          return true;
        },
      );
      if (!moved) continue;
      result.movedAside.set(map.chunkId, target);
    } else {
      await rm(map.mapPath, { force: true });
    }
    result.deleted += 1;
  }
  for (const file of extraFiles) {
    await rm(file, { force: true });
    // Maps of files that got no id may have been referenced (by a tool that ignored hidden maps).
    await removeReferenceTo(file);
    result.deleted += 1;
  }
  return result;
}
