// One output chunk of rollup, rolldown or Vite injected in generateBundle, where its code is final
// (also after Vite 8's and rolldown's minifier) and its map is already serialized as a `.map` asset,
// which is what all three write to disk (chunk.map is not written again).
import { injectFinalCode } from '../../inject/inject-final';
import { shiftMappings, shiftSourceMapText } from '../../inject/shift-map-text';

export interface OutputChunkLike {
  type: 'chunk';
  fileName: string;
  preliminaryFileName?: string;
  facadeModuleId: string | null;
  /** Empty for a prebuilt chunk and for a facade chunk (see `createRenderedCheck`). */
  moduleIds?: readonly string[];
  code: string;
  map?: { mappings: string } | null;
  sourcemapFileName?: string | null;
}
export interface OutputAssetLike {
  type: 'asset';
  fileName: string;
  source: string | Uint8Array;
}
export type OutputFileLike = OutputChunkLike | OutputAssetLike;
export type BundleLike = Record<string, OutputFileLike>;

const JS_FILE = /\.[cm]?js(?:[?#].*)?$/;
/** What Vite leaves of an HTML entry that has no inline script: imports only (Vite then drops it). */
const IMPORTS_ONLY = /^\s*(?:import\s*(?:"[^"\n]*"|'[^'\n]*')\s*;?|\/\*[\s\S]*?\*\/|\/\/[^\n]*(?:\n|$)|\s)*$/;

/**
 * A file name that can get an id: JavaScript, and selected by include/exclude. The filter sees the
 * name the chunk had while it was rendered (`main-!~{001}~.js`), so it never depends on a hash.
 */
export function isCandidate(fileName: string, filter: (fileName: string) => boolean): boolean {
  return JS_FILE.test(fileName) && filter(fileName);
}

/**
 * Whether this build rendered the chunk, as opposed to a prebuilt chunk another plugin emitted
 * (`emitFile({ type: 'prebuilt-chunk' })`: plugin-legacy's polyfills, built by a build of its own and
 * left alone, as when hogmaps injected in renderChunk). Both can be without modules: a facade chunk
 * (an entry whose module another chunk holds, `export … from './shared.js'`) is rendered here, and its
 * facade module is in a chunk of this bundle.
 */
export function createRenderedCheck(bundle: BundleLike): (chunk: OutputChunkLike) => boolean {
  let held: Set<string> | undefined;
  const heldModules = () => {
    held ??= new Set(
      Object.values(bundle).flatMap((file) => (file.type === 'chunk' ? (file.moduleIds ?? []) : [])),
    );
    return held;
  };
  return (chunk) =>
    chunk.moduleIds === undefined ||
    chunk.moduleIds.length > 0 ||
    (chunk.facadeModuleId !== null && heldModules().has(chunk.facadeModuleId));
}

/** Chunks that get an id: not empty, and not an import-only HTML facade. */
export function isInjectable(chunk: OutputChunkLike, code: string): boolean {
  if (code.trim() === '') return false;
  const facade = chunk.facadeModuleId?.replace(/[?#].*$/, '');
  return !(facade?.endsWith('.html') && IMPORTS_ONLY.test(code));
}

export interface OutputInjectOptions {
  /** The chunk id of the final code; `mapText` reads the chunk's map (for a debug id it may carry). */
  chunkIdFor(code: string, mapText: () => string | undefined): string;
  /** Whether a `debugId` only the map carries is adopted (posthog-cli's fallback). Reading a rolldown
   * map copies it out of Rust, so rolldown and Vite 8 look at the code's comment only. */
  mapDebugId: boolean;
  releaseId: string | undefined;
  /** rollup's `chunk.map` is a plain object: keep it in step for `bundle.generate()` callers. Reading
   * rolldown's makes it serialize the whole map in Rust, parse it here and take it back (rolldown 1.3
   * sends a chunk's map back only when it was read), so it is not. */
  updateChunkMap: boolean;
}

function textOf(source: string | Uint8Array): string {
  return typeof source === 'string' ? source : new TextDecoder().decode(source);
}

/**
 * Injects one chunk and moves the columns of its map (the `.map` asset, and `chunk.map` for rollup).
 * Everything is computed before anything is assigned, so a chunk whose map cannot be adjusted is left
 * untouched (the error is thrown). Returns the chunk's id.
 */
export function injectOutputChunk(
  chunk: OutputChunkLike,
  bundle: BundleLike,
  options: OutputInjectOptions,
  code: string = chunk.code,
): string {
  const file = chunk.sourcemapFileName ? bundle[chunk.sourcemapFileName] : undefined;
  const asset = file?.type === 'asset' ? file : undefined;
  // Read at most once: each read of a rolldown asset's source is a copy out of Rust.
  let text: string | undefined;
  const readMap = () => {
    if (asset) text ??= textOf(asset.source);
    return text;
  };
  const result = injectFinalCode(code, {
    chunkIdFor: (final) => options.chunkIdFor(final, options.mapDebugId ? readMap : () => undefined),
    releaseId: options.releaseId,
    fileName: chunk.fileName,
  });
  const { shift } = result;
  const mapText = shift && asset ? shiftSourceMapText(readMap()!, shift, asset.fileName) : undefined;
  const map = shift && options.updateChunkMap ? chunk.map : undefined;
  const mappings =
    shift && map && typeof map.mappings === 'string' ? shiftMappings(map.mappings, shift) : undefined;

  // Each assignment is a change rolldown sends back to Rust: only make the ones that change something.
  if (result.code !== code) chunk.code = result.code;
  if (mapText !== undefined && asset) asset.source = mapText;
  if (mappings !== undefined && map) map.mappings = mappings;
  return result.chunkId;
}
