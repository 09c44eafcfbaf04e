import path from 'node:path';
import { HogmapsError } from '../errors';
import { isInside, realPathOf as real } from '../files/inside';
import type { ManifestChunk } from './manifest';
import { pendingMapsDir } from './map-policy';

/** The files of one manifest entry, as absolute paths that were checked to stay where they belong. */
export interface ManifestChunkFiles {
  jsPath: string;
  mapPath: string | undefined;
}

/**
 * Where a build of this output may have moved a map it could not upload: `<dir>/node_modules/.cache/
 * hogmaps/pending/<chunk id>.map`, for the manifest's folder or one of its parents (the build's working
 * directory). Returns the map's path when it is exactly that.
 */
function pendingLocation(manifestDir: string, chunk: ManifestChunk): string | undefined {
  if (chunk.map === null) return undefined;
  const mapPath = path.resolve(manifestDir, chunk.map);
  for (let dir = manifestDir; ; dir = path.dirname(dir)) {
    if (path.join(pendingMapsDir(dir), `${chunk.chunkId}.map`) === mapPath) return mapPath;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Resolves a manifest entry's `file` and `map`. A manifest is untrusted input: the JS file must be
 * inside the manifest's folder (symlinks resolved), and the map too, or in the pending-maps folder a
 * build moved it to. Anything else is refused before a byte is read, naming the entry.
 */
export async function resolveManifestChunkFiles(
  manifestFile: string,
  chunk: ManifestChunk,
  index: number,
): Promise<ManifestChunkFiles> {
  const manifestDir = path.dirname(path.resolve(manifestFile));
  const realDir = (await real(manifestDir)) ?? manifestDir;
  const outside = (field: 'file' | 'map', value: string) =>
    new HogmapsError(
      'manifest_path_outside',
      `${manifestFile}: chunks[${index}].${field} ${JSON.stringify(value)} is outside the manifest's folder ${manifestDir}; ` +
        'a manifest may only name files of its own build output. Nothing was uploaded.',
    );
  const jsPath = path.resolve(manifestDir, chunk.file);
  const realJs = await real(jsPath);
  if (!isInside(manifestDir, jsPath) || (realJs !== undefined && !isInside(realDir, realJs))) {
    throw outside('file', chunk.file);
  }
  if (chunk.map === null) return { jsPath, mapPath: undefined };
  const mapPath = path.resolve(manifestDir, chunk.map);
  const realMap = await real(mapPath);
  if (isInside(manifestDir, mapPath)) {
    if (realMap !== undefined && !isInside(realDir, realMap)) throw outside('map', chunk.map);
    return { jsPath, mapPath };
  }
  // Outside the output only in the pending folder, and not through a symlink that leads elsewhere.
  const pending = pendingLocation(manifestDir, chunk);
  if (pending === undefined) throw outside('map', chunk.map);
  const realPendingDir = await real(path.dirname(pending));
  if (realMap !== undefined && realMap !== path.join(realPendingDir ?? '', path.basename(pending))) {
    throw outside('map', chunk.map);
  }
  return { jsPath, mapPath };
}

/** Whether a manifest's map is one a build moved aside for a retry (removed once it is uploaded). */
export function isPendingMapPath(manifestFile: string, chunk: ManifestChunk): boolean {
  return pendingLocation(path.dirname(path.resolve(manifestFile)), chunk) !== undefined;
}
