import { detectChunkId } from '../chunk-id/detect';
import { lineStartBefore } from './line-start';
import { findInjectionPoint } from './prologue';
import { type ColumnShift, shiftInlineSourceMapUrl } from './shift-map-text';
import { createChunkIdComment, createSnippet } from './snippet';

export interface FinalInjectOptions {
  /** The chunk id of the code as passed in (before injection); called only when it carries none. */
  chunkIdFor(code: string): string;
  /** The release UUID for `_posthogReleaseId` (event mode): selects the release snippet variant. */
  releaseId?: string | undefined;
  /** Names the chunk in errors about its inline map. */
  fileName?: string;
}

export interface FinalInjectResult {
  /** False when the code already carried an id (its `//# chunkId=` comment): it is unchanged. */
  injected: boolean;
  chunkId: string;
  code: string;
  /**
   * What the chunk's map needs: the columns that moved on the snippet's line. Undefined when no
   * mapped column moved (nothing injected, or the snippet went on a line of its own at the end).
   * An inline map in the code is already adjusted.
   */
  shift: ColumnShift | undefined;
}

/** The bundler's map reference, a line of its own (rollup ends it with a line break, rolldown does not). */
const SOURCE_MAPPING_URL_LINE = /^\/\/[#@] sourceMappingURL=/;

/**
 * The code before the bundler's trailing `//# sourceMappingURL=` line, and that line (with the line
 * break before it; empty when there is none): a `//# chunkId=` comment goes between them.
 */
export function splitSourceMappingUrl(code: string): { body: string; tail: string; url: string | undefined } {
  const none = { body: code, tail: '', url: undefined };
  // The last line, before at most one line break.
  const end = code.endsWith('\n') ? code.length - 1 : code.length;
  // A long last line is a minified chunk's code (hidden maps leave no reference) or an inline map.
  const start = lineStartBefore(code, end, () => code.includes('sourceMappingURL='));
  // None on a long line without a reference (-1), nor on the first line: a line break precedes it.
  const newline = start - 1;
  if (newline < 0 || !SOURCE_MAPPING_URL_LINE.test(code.slice(start, end))) return none;
  const url = code.slice(code.indexOf('=', newline) + 1, end);
  return { body: code.slice(0, newline), tail: code.slice(newline), url };
}

function countLineFeeds(code: string, end: number): number {
  let count = 0;
  for (let at = code.indexOf('\n'); at >= 0 && at < end; at = code.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * Injects a chunk whose code is final: minified (Vite 8 and rolldown minify after renderChunk) and
 * ending in the bundler's `//# sourceMappingURL=` line, if any. The snippet goes inline at the
 * injection point (after hashbang, directives and leading comments), so the chunk's map only needs
 * the columns after it on that one line moved (`shift`, applied by the caller to the map file); the
 * `//# chunkId=` comment goes before the map reference, which stays the last line. Code that already
 * carries an id (the line-anchored `//# chunkId=` comment, as posthog-cli and plugin-utils decide it)
 * keeps it and is left as it is; a snippet alone (a prebuilt dependency first in the chunk) does not
 * count, so its id is never handed to the chunk.
 */
export function injectFinalCode(code: string, options: FinalInjectOptions): FinalInjectResult {
  const split = splitSourceMappingUrl(code);
  const { body, url } = split;
  let tail = split.tail;

  const existing = detectChunkId(code);
  if (existing !== undefined) return { injected: false, chunkId: existing, code, shift: undefined };

  const chunkId = options.chunkIdFor(code);
  const snippet = createSnippet(chunkId, options.releaseId);
  const { offset, separator } = findInjectionPoint(body);
  let shift: ColumnShift | undefined;
  if (separator === '') {
    const lineStart = body.lastIndexOf('\n', offset - 1) + 1;
    shift = { line: countLineFeeds(body, lineStart), column: offset - lineStart, delta: snippet.length };
    const inline = url && shiftInlineSourceMapUrl(url, shift, options.fileName ?? '<inline source map>');
    if (url && inline) tail = tail.replace(url, () => inline);
  }
  const injected =
    body.slice(0, offset) + separator + snippet + body.slice(offset) + createChunkIdComment(chunkId) + tail;
  return { injected: true, chunkId, code: injected, shift };
}
