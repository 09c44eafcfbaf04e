import type { MagicStringLike } from '../../inject/inject';
import type { PluginContext } from '../context';
import { CHUNK_ID_INFO, type ChunkRecords, recordChunk, startupFiles, withoutQuery } from './xpack-chunks';
import type {
  XpackApi,
  XpackCompilation,
  XpackReplaceSource,
  XpackSource,
  XpackSources,
} from './xpack-types';

/**
 * Records `context.inject`'s edits as insertions into a ReplaceSource over the asset's own source.
 * webpack-sources (and rspack, natively) then map through them lazily and exactly when a devtool asks
 * for a map, instead of every chunk's map being computed up front and chained onto another.
 * Offsets refer to `original`, the asset's text; `append` keeps magic-string's order as long as it
 * comes after any `appendLeft` at the end, which is how injection calls them.
 */
export function replaceSourceEditor(replace: XpackReplaceSource, original: string): MagicStringLike {
  return {
    original,
    appendLeft: (index, content) => replace.insert(index, content),
    append: (content) => replace.insert(original.length, content),
    toString: () => {
      const code = replace.source();
      return typeof code === 'string' ? code : code.toString('utf8');
    },
  };
}

/** Injects each JavaScript file of each chunk once; its map, if one is made later, covers the snippet. */
export function injectAssets(
  compilation: XpackCompilation,
  api: XpackApi,
  context: PluginContext,
  records: ChunkRecords,
): void {
  for (const [fileName, startup] of startupFiles(compilation)) {
    if (!context.options.filter(withoutQuery(fileName))) continue;
    const asset = compilation.getAsset(fileName);
    if (!asset || asset.info.hotModuleReplacement) continue;
    // Read once: rspack's `asset.source` is a getter that copies the text, and the map as a string,
    // out of Rust on each access.
    const original = asset.source;
    const code = original.source();
    const text = typeof code === 'string' ? code : code.toString('utf8');
    if (text.trim() === '') continue;
    const replaced = new api.sources.ReplaceSource(replaceable(api.sources, original, code), fileName);
    const result = context.inject(text, {
      startup,
      magicString: replaceSourceEditor(replaced, text),
    });
    recordChunk(records, fileName, result.chunkId);
    if (!result.injected) continue;
    const info = (previous: object | undefined) => ({ ...previous, [CHUNK_ID_INFO]: result.chunkId });
    compilation.updateAsset(fileName, replaced as never, info as never);
  }
}

/**
 * What the ReplaceSource wraps. ReplaceSource streams its original chunk by chunk, and a CachedSource
 * (webpack's chunk assets) streamed that way caches its text as a rope of every token, and so does each
 * module's: tens of MB at 3,000 modules. Behind a CompatSource it is asked for sourceAndMap instead, so
 * text and map are made flat and once, as without hogmaps. rspack's assets come out of Rust as
 * SourceMapSource or RawSource and stay as they are, so rspack keeps the edit native.
 */
export function replaceable(
  sources: XpackSources,
  original: XpackSource,
  code: string | Buffer,
): XpackSource {
  const { CachedSource, CompatSource, RawSource } = sources;
  // ReplaceSource slices its original's text as a string; a Buffer source (no map) becomes one.
  if (typeof code !== 'string') return new RawSource(code.toString('utf8'));
  return original instanceof CachedSource ? new CompatSource(original) : original;
}
