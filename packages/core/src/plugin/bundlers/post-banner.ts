// rolldown and Vite 8: the snippet's line is reserved through `output.postBanner`, which rolldown adds
// after minification on a line of its own (after a hashbang) and leaves unmapped in the map it makes.
// generateBundle then writes the snippet over that line and appends the `//# chunkId=` comment: only
// `chunk.code` crosses the Rust/JS boundary, the map is neither read nor written (reading every map
// made rolldown materialise ~30 MB of strings, +20% CPU). Code that must not start with the snippet
// (a directive prologue follows: the snippet would demote it) keeps the line empty and is injected
// after the prologue as rollup's chunks are, with the map's columns moved.
import { detectChunkId } from '../../chunk-id/detect';
import { splitSourceMappingUrl } from '../../inject/inject-final';
import { createChunkIdComment, createSnippet } from '../../inject/snippet';
import { startsWithPrologue } from './esbuild-placeholders';
import {
  type BundleLike,
  injectOutputChunk,
  type OutputChunkLike,
  type OutputInjectOptions,
} from './rollup-output';

/** The reserved line. A comment, so a chunk hogmaps leaves alone still runs if it were ever kept. */
export const POST_BANNER_PLACEHOLDER = '/*hogmaps:chunk-id-snippet*/';

/** rolldown's `output.postBanner`: a string, or a function of the rendered chunk. */
export type PostBanner = string | ((chunk: never) => string | Promise<string>) | undefined | null;

/**
 * The user's own `postBanner` with hogmaps' line in front of it: both stay, each on its own line.
 */
export function withPlaceholder(user: PostBanner): PostBanner {
  if (user === undefined || user === null || user === '') return POST_BANNER_PLACEHOLDER;
  if (typeof user === 'string') return `${POST_BANNER_PLACEHOLDER}\n${user}`;
  return async (chunk: never) => {
    const text = await user(chunk);
    return text ? `${POST_BANNER_PLACEHOLDER}\n${text}` : POST_BANNER_PLACEHOLDER;
  };
}

/** Where the placeholder's line is: at the start of the code, or right after a hashbang line. */
export function locateReservedLine(code: string): { start: number; end: number } | undefined {
  let start = 0;
  if (code.startsWith('#!')) {
    const newline = code.indexOf('\n');
    if (newline < 0) return undefined;
    start = newline + 1;
  }
  const end = start + POST_BANNER_PLACEHOLDER.length;
  if (!code.startsWith(POST_BANNER_PLACEHOLDER, start)) return undefined;
  // Its line must end right after it (a chunk with nothing after the banner has no line break).
  if (end < code.length && code[end] !== '\n') return undefined;
  return { start, end };
}

export interface PlaceholderInjectOptions extends OutputInjectOptions {
  /** Whether the chunk gets an id, given its code without the placeholder (false: filtered out,
   * empty, prebuilt): else the placeholder only goes. */
  inject(code: string): boolean;
}

/**
 * Injects one output chunk (rollup, rolldown, Vite) in generateBundle. Returns its chunk id, or
 * undefined when it gets none. Its reserved line, if it has one, gets the snippet or goes empty; a
 * chunk without one (rollup, Vite 7, a chunk made before hogmaps' postBanner) is injected after its
 * prologue by `injectOutputChunk`, with its map's columns moved.
 */
export function injectChunkInBundle(
  chunk: OutputChunkLike,
  bundle: BundleLike,
  options: PlaceholderInjectOptions,
): string | undefined {
  const code = chunk.code;
  const found = locateReservedLine(code);
  if (!found) return options.inject(code) ? injectOutputChunk(chunk, bundle, options, code) : undefined;
  const head = code.slice(0, found.start);
  const rest = code.slice(found.end);
  // The line stays, empty where the snippet does not go, so the map (which has it) still fits. The
  // chunk id is of this code: the file as written, with the snippet and the comment cut out.
  const emptied = head + rest;
  if (!options.inject(emptied)) {
    chunk.code = emptied;
    return undefined;
  }
  const existing = detectChunkId(rest);
  if (existing !== undefined) {
    chunk.code = emptied;
    return existing;
  }
  if (startsWithPrologue(rest, 0)) {
    try {
      return injectOutputChunk(chunk, bundle, options, emptied);
    } catch (error) {
      chunk.code = emptied;
      throw error;
    }
  }
  const chunkId = options.chunkIdFor(emptied, () => undefined);
  chunk.code = fillReservedLine(head, rest, { chunkId, releaseId: options.releaseId });
  return chunkId;
}

/**
 * The code with its reserved line filled: `head` (a hashbang line, or nothing), then on the line
 * `lead` (directives moved up onto it, if any) and the snippet, then `rest` (from the line break that
 * ended the placeholder) with the chunk-id comment before any `sourceMappingURL` comment. No line
 * after the reserved one moves, so a map made with the placeholder in place still fits.
 */
export function fillReservedLine(
  head: string,
  rest: string,
  ids: { chunkId: string; releaseId: string | undefined; lead?: string },
): string {
  const { body, tail } = splitSourceMappingUrl(rest);
  const { chunkId, releaseId, lead = '' } = ids;
  return head + lead + createSnippet(chunkId, releaseId) + body + createChunkIdComment(chunkId) + tail;
}
