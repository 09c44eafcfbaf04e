// rolldown and Vite 8: the snippet's line is reserved through `output.postBanner`, which rolldown adds
// after minification on a line of its own (after a hashbang) and leaves unmapped in the map it makes.
// generateBundle then writes the snippet over that line and appends the `//# chunkId=` comment: only
// `chunk.code` crosses the Rust/JS boundary, the map is neither read nor written (reading every map
// made rolldown materialise ~30 MB of strings, +20% CPU). A directive prologue that follows the line
// (the snippet must not demote it) moves up onto it, ahead of the snippet (fillLine). rspack fills the
// same line, reserved by its BannerPlugin (xpack-reserved-line.ts).
import { detectChunkId } from '../../chunk-id/detect';
import { splitSourceMappingUrl } from '../../inject/inject-final';
import { scanPrologue } from '../../inject/prologue';
import { createChunkIdComment, createSnippet } from '../../inject/snippet';
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

/**
 * What Vite puts on a line of its own at the top of a chunk that preloads others, after rolldown has
 * added the banners: the reserved line is then the next one. Vite generates that line, and the map
 * has nothing on it.
 */
const VITE_MAP_DEPS = 'const __vite__mapDeps=';

/**
 * Where the placeholder's line is: at the start of the code, after a hashbang line, after Vite's
 * `__vite__mapDeps` line, or after both.
 */
function locateReservedLine(code: string): { start: number; end: number } | undefined {
  let start = 0;
  for (const lineStart of ['#!', VITE_MAP_DEPS]) {
    if (!code.startsWith(lineStart, start)) continue;
    const newline = code.indexOf('\n', start);
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
 * undefined when it gets none. Its reserved line, if it has one, is filled (`fillLine`); a chunk
 * without one (rollup, Vite 7, a chunk made before hogmaps' postBanner), or whose directives cannot
 * move, is injected after its prologue by `injectOutputChunk`, with its map's columns moved.
 */
export function injectChunkInBundle(
  chunk: OutputChunkLike,
  bundle: BundleLike,
  options: PlaceholderInjectOptions,
): string | undefined {
  const code = chunk.code;
  const filled = fillLine(code, {
    inject: options.inject,
    chunkIdFor: (emptied) => options.chunkIdFor(emptied, () => undefined),
    releaseId: options.releaseId,
  });
  if (!filled) return options.inject(code) ? injectOutputChunk(chunk, bundle, options, code) : undefined;
  chunk.code = filled.code;
  return filled.directivesStay ? injectOutputChunk(chunk, bundle, options, filled.code) : filled.chunkId;
}

export interface LineFill {
  code: string;
  /** Undefined when the file gets no snippet; an earlier id when it already carried one. */
  chunkId: string | undefined;
  /** A directive continued over a line break cannot move up: the line is left empty, no snippet. */
  directivesStay?: true;
}

export interface LineFillOptions {
  /** Whether the code (the file without the placeholder) gets a snippet at all. */
  inject(emptied: string): boolean;
  chunkIdFor(emptied: string): string;
  releaseId: string | undefined;
}

/**
 * The code with its reserved line filled in, or undefined when it has no such line. The line gets
 * the snippet, or stays empty (nothing to inject, or an id already there). Directives after the line
 * (`"use strict";`, before which the snippet must not go) move up onto it, ahead of the snippet, and
 * their old place is blanked with spaces; a hashbang that another banner put first goes back to line
 * 1, ahead of the line; after Vite's `__vite__mapDeps` line, the snippet goes ahead of that line.
 * Every line after the reserved one keeps its columns, so a map made with the placeholder in place
 * still fits. The chunk id is of the file without what hogmaps put in.
 */
export function fillLine(code: string, options: LineFillOptions): LineFill | undefined {
  const found = locateReservedLine(code);
  if (!found) return undefined;
  let head = code.slice(0, found.start);
  let rest = code.slice(found.end);
  if (head === '' && rest.startsWith('\n#!')) {
    const end = rest.indexOf('\n', 1);
    head = `${end < 0 ? rest.slice(1) : rest.slice(1, end)}\n`;
    rest = end < 0 ? '' : rest.slice(end);
  }
  const emptied = head + rest;
  if (!options.inject(emptied)) return { code: emptied, chunkId: undefined };
  const existing = detectChunkId(rest);
  if (existing !== undefined) return { code: emptied, chunkId: existing };
  const { releaseId } = options;
  // Vite's line is generated code the map has nothing on: the snippet goes ahead of it, first in the
  // file as everywhere else (after a hashbang), and the reserved line stays empty.
  const mapDepsAt = head.indexOf(VITE_MAP_DEPS);
  if (mapDepsAt >= 0) {
    const chunkId = options.chunkIdFor(emptied);
    const after = head.slice(mapDepsAt) + rest;
    return { code: fillReservedLine(head.slice(0, mapDepsAt), after, { chunkId, releaseId }), chunkId };
  }
  let lead = '';
  let blanked = rest;
  for (const { start, end } of scanPrologue(rest).directives) {
    const text = rest.slice(start, end);
    // A string continued over a line break: moving it would move lines.
    if (/[\n\r\u2028\u2029]/.test(text)) {
      return { code: emptied, chunkId: undefined, directivesStay: true };
    }
    lead += text.endsWith(';') ? text : `${text};`;
    blanked = blanked.slice(0, start) + ' '.repeat(end - start) + blanked.slice(end);
  }
  const chunkId = options.chunkIdFor(emptied);
  return { code: fillReservedLine(head, blanked, { chunkId, releaseId, lead }), chunkId };
}

/**
 * The code with the snippet between `head` and `rest`: `head` ends where the snippet goes (a hashbang
 * line, or nothing, or the start of a line the map has nothing on), then `lead` (directives moved up,
 * if any) and the snippet, then `rest` with the chunk-id comment before any `sourceMappingURL`
 * comment. No line after the snippet's moves, so a map made with the placeholder in place still fits.
 */
function fillReservedLine(
  head: string,
  rest: string,
  ids: { chunkId: string; releaseId: string | undefined; lead?: string },
): string {
  const { body, tail } = splitSourceMappingUrl(rest);
  const { chunkId, releaseId, lead = '' } = ids;
  return head + lead + createSnippet(chunkId, releaseId) + body + createChunkIdComment(chunkId) + tail;
}
