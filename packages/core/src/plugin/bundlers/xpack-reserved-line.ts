// rspack: the snippet's line is reserved by rspack's own (native) BannerPlugin right after
// minification, and filled in once the devtool has made the maps. Injecting before the devtool (as
// webpack does) means reading each asset while it is still a SourceMapSource: rspack then serializes
// its map out of Rust for every chunk (30 MB of maps in the bench's app, +10% of the build's CPU for
// the read alone). After the devtool an asset is its code only, and a map made with the placeholder
// line in place still fits once that line holds the snippet: nothing after it moves.
//
// rspack's chunks start with `"use strict";`: it moves up onto the line, ahead of the snippet (fillLine).
import type { PluginContext } from '../context';
import { fillLine, POST_BANNER_PLACEHOLDER } from './post-banner';
import { CHUNK_ID_INFO, type ChunkRecords, recordChunk, startupFiles } from './xpack-chunks';
import { JS_ASSET } from './xpack-devtool';
import type { XpackApi, XpackCompilation, XpackCompiler } from './xpack-types';

/**
 * Whether this compiler gets the reserved line: rspack with its BannerPlugin, and no include/exclude
 * (the banner changes every chunk's bytes and hash, and a chunk left out keeps the name and bytes it
 * has without hogmaps). webpack's BannerPlugin is JavaScript: it gains nothing there.
 */
export function reservesLine(context: PluginContext, api: XpackApi): boolean {
  return context.bundler === 'rspack' && !context.options.filtersFiles && api.BannerPlugin !== undefined;
}

/** Adds the placeholder line to every JavaScript file, after minification (which would drop it). */
export function applyReservedLine(compiler: XpackCompiler, api: XpackApi): void {
  new api.BannerPlugin!({
    banner: POST_BANNER_PLACEHOLDER,
    raw: true,
    test: JS_ASSET,
    stage: api.Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_SIZE + 1,
  }).apply(compiler);
}

/** Where the reserved line is filled in: after the devtool, before real content hashes. */
export function reservedLineStage(api: XpackApi): number {
  return api.Compilation.PROCESS_ASSETS_STAGE_DEV_TOOLING + 1;
}

/** The JavaScript files left without an id, as a snippet would move the lines of a map already made. */
export interface UnfilledFiles {
  /** Without the reserved line: added or rewritten by another plugin after minification. */
  late: string[];
  /** Starting with a directive continued over a line break, which cannot move up onto the line. */
  directivesStay: string[];
}

/** Fills the reserved line of each JavaScript file of each chunk, recording the ids. */
export function fillAssets(
  compilation: XpackCompilation,
  api: XpackApi,
  context: PluginContext,
  records: ChunkRecords,
): UnfilledFiles {
  const unfilled: UnfilledFiles = { late: [], directivesStay: [] };
  for (const [fileName, startup] of startupFiles(compilation)) {
    const asset = compilation.getAsset(fileName);
    if (!asset || asset.info.hotModuleReplacement) continue;
    const source = asset.source.source();
    const code = typeof source === 'string' ? source : source.toString('utf8');
    const filled = fillLine(code, {
      inject: (emptied) => emptied.trim() !== '',
      chunkIdFor: (emptied) => context.chunkIdFor(emptied),
      releaseId: context.releaseIdFor(startup),
    });
    if (!filled) {
      unfilled.late.push(fileName);
      continue;
    }
    if (filled.directivesStay) unfilled.directivesStay.push(fileName);
    const { chunkId } = filled;
    const info = (previous: object | undefined) =>
      chunkId === undefined ? previous : { ...previous, [CHUNK_ID_INFO]: chunkId };
    compilation.updateAsset(fileName, new api.sources.RawSource(filled.code) as never, info as never);
    if (chunkId !== undefined) recordChunk(records, fileName, chunkId);
  }
  return unfilled;
}
