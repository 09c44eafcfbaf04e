import { existsSync } from 'node:fs';
import path from 'node:path';
import { detectChunkId } from '../../chunk-id/detect';
import type { BuildChunk } from '../../session/session';
import { JS_ASSET } from './xpack-devtool';
import type { XpackAsset, XpackCompilation } from './xpack-types';

/** The asset-info key holding a chunk's id: webpack and rspack carry asset info through renames. */
export const CHUNK_ID_INFO = 'hogmapsChunkId';

/** One compilation's chunk ids: by asset name when injected, and by final name once hashes are real. */
export interface ChunkRecords {
  readonly injected: Map<string, string>;
  readonly ids: Set<string>;
  readonly final: Map<string, string>;
  /** Every JavaScript map the compilation emitted (`related.sourceMap` of JS assets), final names. */
  readonly jsMaps: Set<string>;
}

export function createChunkRecords(): ChunkRecords {
  return { injected: new Map(), ids: new Set(), final: new Map(), jsMaps: new Set() };
}

function relatedMaps(asset: Readonly<XpackAsset> | undefined): string[] {
  const related = asset?.info.related?.sourceMap;
  return Array.isArray(related) ? related : related ? [related] : [];
}

export function recordChunk(records: ChunkRecords, fileName: string, chunkId: string): void {
  records.injected.set(fileName, chunkId);
  records.ids.add(chunkId);
}

/** An output file name as written to disk: webpack and rspack drop `?query` and `#hash` when emitting. */
export function withoutQuery(fileName: string): string {
  return fileName.replace(/[?#].*$/s, '');
}

/** Every JavaScript file of every chunk, each once, under its current name. */
export function chunkFiles(compilation: XpackCompilation): string[] {
  return [...startupFiles(compilation).keys()];
}

/**
 * Every JavaScript file of every chunk, and whether it is a startup file: one of a chunk that holds the
 * runtime. Other chunks (split, async, even a runtimeChunk's entry chunks) only register module
 * factories when they load; the runtime runs them, so it sets the release before any of them runs.
 */
export function startupFiles(compilation: XpackCompilation): Map<string, boolean> {
  const files = new Map<string, boolean>();
  for (const chunk of compilation.chunks) {
    const runtime = chunk.hasRuntime();
    for (const file of chunk.files) {
      if (JS_ASSET.test(file)) files.set(file, runtime || files.get(file) === true);
    }
  }
  return files;
}

function chunkIdOf(
  records: ChunkRecords,
  fileName: string,
  asset: Readonly<XpackAsset> | undefined,
): string | undefined {
  const fromInfo = asset?.info[CHUNK_ID_INFO];
  if (typeof fromInfo === 'string' && records.ids.has(fromInfo)) return fromInfo;
  const recorded = records.injected.get(fileName);
  if (recorded !== undefined || !asset) return recorded;
  // Renamed, and the bundler dropped the info: the id is in the code's trailing comment.
  const code = asset.source.source();
  const id = detectChunkId(typeof code === 'string' ? code : code.toString('utf8'));
  return id !== undefined && records.ids.has(id) ? id : undefined;
}

/**
 * Records each chunk file under its final name. Call it after OPTIMIZE_HASH, where `realContentHash`
 * renames files whose content (with our injection) changed: while sources are still in memory (webpack
 * swaps emitted ones for size-only sources).
 */
export function finalizeChunkRecords(compilation: XpackCompilation, records: ChunkRecords): void {
  records.final.clear();
  records.jsMaps.clear();
  for (const fileName of chunkFiles(compilation)) {
    const chunkId = chunkIdOf(records, fileName, compilation.getAsset(fileName));
    if (chunkId !== undefined) records.final.set(fileName, chunkId);
  }
  for (const asset of compilation.getAssets()) {
    if (JS_ASSET.test(asset.name))
      for (const map of relatedMaps(asset)) records.jsMaps.add(withoutQuery(map));
  }
}

/** The emitted map of a file: the bundler's `related.sourceMap` (kept up to date through renames), else
 * `<file>.map`; only when it is on disk. */
function mapPathOf(
  outDir: string,
  fileName: string,
  asset: Readonly<XpackAsset> | undefined,
): string | undefined {
  const candidates = [...relatedMaps(asset), `${fileName}.map`];
  for (const candidate of candidates) {
    const mapPath = path.join(outDir, withoutQuery(candidate));
    if (existsSync(mapPath)) return mapPath;
  }
  return undefined;
}

/** The (file, map, chunk id) triples of a compilation whose files have been emitted. */
export function collectBuildChunks(
  compilation: XpackCompilation,
  records: ChunkRecords,
  outDir: string,
  mapIsOurs: boolean,
): BuildChunk[] {
  return [...records.final].map(([fileName, chunkId]) => ({
    chunkId,
    jsPath: path.join(outDir, withoutQuery(fileName)),
    mapPath: mapPathOf(outDir, withoutQuery(fileName), compilation.getAsset(fileName)),
    mapIsOurs,
  }));
}

/**
 * Maps on disk that no chunk of `chunks` uploads: when hogmaps turned maps on, these are maps it caused
 * for files that got no id (left out by include/exclude, or emitted by another plugin), and must go.
 */
export function orphanMaps(records: ChunkRecords, outDir: string, chunks: readonly BuildChunk[]): string[] {
  const owned = new Set(chunks.map((chunk) => chunk.mapPath));
  return [...records.jsMaps]
    .map((map) => path.join(outDir, map))
    .filter((mapPath) => !owned.has(mapPath) && existsSync(mapPath));
}
