import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { removeReferenceTo } from '../files/map-reference';
import { isValidChunkId } from '../inject/snippet';

/** A map that could not be disposed of as planned, and why. */
export interface DisposalProblem {
  /** The chunk whose map it is, when it is a chunk's. */
  chunkId?: string;
  file: string;
  reason: string;
}

export interface MapDisposal {
  /** Maps deleted from the output (the lost ones included). */
  deleted: number;
  /** chunk id → where its map now lives (moved out of the output for a later retry). */
  movedAside: Map<string, string>;
  /** Maps to keep for a retry that could not be moved aside: deleted instead, so their upload is lost. */
  lost: DisposalProblem[];
  /** Maps that could not even be deleted: they are still in the output and will ship. */
  stuck: DisposalProblem[];
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

interface PlannedChunk {
  chunkId: string;
  mapPath: string | undefined;
  mapIsOurs: boolean;
}

/**
 * Which maps of a build go, and which of them wait for a retry. Only maps hogmaps caused are touched:
 * those of uploadable chunks (kept aside when `keepForRetry`), those of chunks an earlier build of the
 * session handled (a MultiCompiler's byte-identical chunk: its set went, or waits, with that build),
 * unused ones (mapping nothing, or whose JS is gone) and the build's extra files (CSS maps).
 */
export function planDisposal<T extends PlannedChunk>(input: {
  build: { chunks: readonly T[]; extraMapsToDelete?: readonly string[] | undefined };
  fresh: readonly T[];
  uploadable: readonly T[];
  unused: readonly T[];
  deletion: boolean;
  keepForRetry: (chunkId: string) => boolean;
}): { maps: MapToDispose[]; extraMaps: string[] } {
  if (!input.deletion) return { maps: [], extraMaps: [] };
  const ours = (chunk: T) => chunk.mapIsOurs && chunk.mapPath !== undefined;
  const maps = input.uploadable.filter(ours).map((chunk) => ({
    chunkId: chunk.chunkId,
    mapPath: chunk.mapPath!,
    keepForRetry: input.keepForRetry(chunk.chunkId),
  }));
  const fresh = new Set(input.fresh);
  const repeated = input.build.chunks.filter((chunk) => !fresh.has(chunk) && ours(chunk));
  const extraMaps = [
    ...(input.build.extraMapsToDelete ?? []),
    ...[...repeated, ...input.unused].filter(ours).map((chunk) => chunk.mapPath!),
  ];
  return { maps, extraMaps };
}

/** Moves a map out of the output; false when it is gone already. */
async function moveAside(mapPath: string, target: string): Promise<boolean> {
  await mkdir(path.dirname(target), { recursive: true });
  return rename(mapPath, target).then(
    () => true,
    async (error: NodeJS.ErrnoException) => {
      // Gone since the build wrote it (an adapter moved it): nothing ships, nothing to keep.
      if (error.code === 'ENOENT') return false;
      if (error.code !== 'EXDEV') throw error;
      await copyFile(mapPath, target);
      await rm(mapPath, { force: true });
      return true;
    },
  );
}

const reasonOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * Maps that hogmaps turned on only for the upload never ship: uploaded ones are deleted, and ones whose
 * upload failed are moved to `pendingDir` (never left in the output), so `hogmaps upload --manifest`
 * can finish the job later. When the move fails (an unwritable cache folder), the map is deleted all
 * the same and reported as lost; one that cannot be deleted is reported as shipping. Never throws: the
 * session still writes its manifest and summary.
 */
export async function disposeMaps(
  maps: readonly MapToDispose[],
  pendingDir: string,
  extraFiles: readonly string[] = [],
): Promise<MapDisposal> {
  const result: MapDisposal = { deleted: 0, movedAside: new Map(), lost: [], stuck: [] };
  const remove = async (file: string, chunkId?: string): Promise<boolean> => {
    try {
      await rm(file, { force: true });
      return true;
    } catch (error) {
      result.stuck.push({ ...(chunkId ? { chunkId } : {}), file, reason: reasonOf(error) });
      return false;
    }
  };
  for (const map of maps) {
    // The id names the file: one that is no chunk id (from untrusted code) never becomes a path.
    if (map.keepForRetry && isValidChunkId(map.chunkId)) {
      const target = path.join(pendingDir, `${map.chunkId}.map`);
      try {
        if (await moveAside(map.mapPath, target)) result.movedAside.set(map.chunkId, target);
      } catch (error) {
        if (!(await remove(map.mapPath, map.chunkId))) continue;
        result.lost.push({ chunkId: map.chunkId, file: map.mapPath, reason: reasonOf(error) });
        result.deleted += 1;
      }
    } else if (await remove(map.mapPath, map.chunkId)) result.deleted += 1;
  }
  for (const file of extraFiles) {
    if (!(await remove(file))) continue;
    // Maps of files that got no id may have been referenced (by a tool that ignored hidden maps).
    await removeReferenceTo(file).catch(() => false);
    result.deleted += 1;
  }
  return result;
}

/** Pending maps of chunks now on the server are no longer needed for a retry. */
export async function removePendingMaps(pendingDir: string, chunkIds: Iterable<string>): Promise<void> {
  for (const chunkId of chunkIds) {
    if (!isValidChunkId(chunkId)) continue;
    await rm(path.join(pendingDir, `${chunkId}.map`), { force: true }).catch(() => undefined);
  }
}
