// esbuild has no per-chunk render hook, and `banner` is one text for every output file. So hogmaps
// reserves room through `banner.js` (a comment exactly as long as this release's snippet) and
// `footer.js` (a comment as long as `//# chunkId=<uuid>`): esbuild builds every file, its map and
// its `[hash]` name over the placeholders, and onEnd swaps in each file's own snippet and id in
// place (on disk, by writing at their offsets). Nothing moves, so the map stays byte-identical and is
// never read. Only when a directive prologue follows the
// banner (`"use strict"`, `"use client"`: the snippet must not demote it) is the snippet moved after
// the prologue and the map edited, as posthog's rollup plugin places it.
import { detectChunkId } from '../../chunk-id/detect';
import { createHash } from '../../crypto-on-use';
import { errorMessage, FileError } from '../../errors';
import { findSourceMappingUrl } from '../../files/source-mapping-url';
import { skipTrivia } from '../../inject/js-lexer';
import { findInjectionOffset, findInjectionPoint } from '../../inject/prologue';
import { shiftGeneratedColumns } from '../../inject/shift-mappings';
import { CHUNK_ID_COMMENT_PREFIX, createChunkIdComment, createSnippet } from '../../inject/snippet';
import type { InjectionContext } from '../../session/session';

/** Chunk ids are UUIDs (36 characters); this one only measures the snippet. */
const SAMPLE_CHUNK_ID = '00000000-0000-5000-8000-000000000000';
export const BANNER_MARK = '/*hogmaps:snippet:';
export const FOOTER_MARK = '//# hogmaps:chunk-id:';

export interface EsbuildPlaceholders {
  /** A block comment as long as the snippet of any chunk of this release. */
  readonly banner: string;
  /** A line comment as long as `//# chunkId=<uuid>`. */
  readonly footer: string;
}

/**
 * The placeholders of one build. The banner is as long as the longest snippet (the release variant,
 * when there is a release); a chunk-id-only snippet is padded with spaces to fill it. `releaseInNames`
 * puts the release id into the text esbuild hashes into every `[hash]` name (esbuild-startup.ts); ids
 * mixed with the release hash (symbol-set mode) always are.
 */
export function createPlaceholders(injection: InjectionContext, releaseInNames = true): EsbuildPlaceholders {
  const length = createSnippet(SAMPLE_CHUNK_ID, injection.releaseId).length;
  // The snippet's own text too: a new snippet format renames every file.
  const release = [
    createSnippet(SAMPLE_CHUNK_ID),
    injection.releaseMode,
    releaseInNames ? (injection.releaseId ?? '') : injection.releaseId ? 'release' : '',
    injection.releaseHashId ?? '',
  ].join('\0');
  const head = `${BANNER_MARK}${createHash('sha256').update(release).digest('hex').slice(0, 16)}:`;
  return {
    banner: `${head}${'-'.repeat(length - head.length - 2)}*/`,
    footer: FOOTER_MARK.padEnd(CHUNK_ID_COMMENT_PREFIX.length + SAMPLE_CHUNK_ID.length, '-'),
  };
}

export interface EsbuildChunk {
  code: string;
  /** The JSON of the file's external map, when esbuild emitted one. */
  map: string | undefined;
}

export interface FinalizeOptions {
  /** False for files the include/exclude filter leaves out: placeholders removed, nothing injected. */
  inject: boolean;
  /** The release UUID for the snippet (event mode). */
  releaseId: string | undefined;
  /** The chunk id of the code before injection (placeholders removed). */
  chunkIdFor(code: string): string;
  /** Names the file in errors. */
  fileName: string;
}

export interface FinalizedChunk extends EsbuildChunk {
  /** The id the file carries now; undefined when the filter left it out. */
  chunkId: string | undefined;
  /** False when the filter left it out or the code already carried an id. */
  injected: boolean;
}

interface Placeholder {
  start: number;
  /** After the placeholder and the line break esbuild put after it. */
  end: number;
}

function locate(code: string, text: string, start: number): Placeholder | undefined {
  if (start < 0) return undefined;
  const after = start + text.length;
  return { start, end: code[after] === '\n' ? after + 1 : after };
}

function countLineFeeds(code: string, end: number): number {
  let count = 0;
  for (let at = code.indexOf('\n'); at >= 0 && at < end; at = code.indexOf('\n', at + 1)) count++;
  return count;
}

/** True when `code` at `pos` starts with a directive prologue (after comments and whitespace). */
export function startsWithPrologue(code: string, pos: number): boolean {
  const rest = code.slice(pos);
  return findInjectionOffset(rest) !== skipTrivia(rest, 0).pos;
}

/**
 * The common case, finished without moving a byte: the snippet and the chunk-id comment overwrite
 * placeholders exactly as long as they are, so the map (external or inline) stays as it is.
 */
export interface InPlaceFinish {
  chunkId: string;
  /** Overwrites the banner placeholder. */
  snippet: string;
  /** Overwrites the footer placeholder (`//# chunkId=<id>`). */
  comment: string;
  /** False when esbuild left no footer: `createChunkIdComment` is appended to the file instead. */
  footer: boolean;
}

interface Located {
  banner: Placeholder;
  footer: Placeholder | undefined;
  /** The code with both placeholders (and their line breaks) removed: what the chunk id is of. */
  stripped: string;
}

type Plan =
  | ({ kind: 'in-place' } & InPlaceFinish)
  /** Filtered out, or already carrying an id: the placeholders and their lines go. */
  | { kind: 'remove'; existing: string | undefined }
  /** A directive prologue follows the banner (or no line break does): the snippet goes after it. */
  | { kind: 'after-prologue'; chunkId: string };

function locatePlaceholders(code: string, placeholders: EsbuildPlaceholders): Located | undefined {
  const banner = locate(code, placeholders.banner, code.indexOf(placeholders.banner));
  if (!banner) return undefined;
  let footer = locate(code, placeholders.footer, code.lastIndexOf(placeholders.footer));
  if (footer && footer.start < banner.end) footer = undefined;
  return { banner, footer, stripped: cut(code, [banner, ...(footer ? [footer] : [])]) };
}

function plan(
  code: string,
  located: Located,
  placeholders: EsbuildPlaceholders,
  options: FinalizeOptions,
): Plan {
  const { banner, footer, stripped } = located;
  const existing = detectChunkId(stripped);
  if (!options.inject || existing !== undefined) return { kind: 'remove', existing };
  const chunkId = options.chunkIdFor(stripped);
  // A chunk-id-only snippet is shorter than a release placeholder: spaces fill the rest of its line.
  const snippet = createSnippet(chunkId, options.releaseId).padEnd(placeholders.banner.length);
  // Same length in UTF-16 and in bytes (the placeholder is ASCII): it can overwrite either form.
  const sameLength =
    snippet.length === placeholders.banner.length && Buffer.byteLength(snippet) === snippet.length;
  // banner.end is past the line break after the placeholder: the snippet keeps that line to itself.
  if (sameLength && banner.end > banner.start + snippet.length && !startsWithPrologue(code, banner.end)) {
    return {
      kind: 'in-place',
      chunkId,
      snippet,
      comment: `${CHUNK_ID_COMMENT_PREFIX}${chunkId}`,
      footer: footer !== undefined,
    };
  }
  return { kind: 'after-prologue', chunkId };
}

/**
 * How one JS output file is finished: in place (see InPlaceFinish), or `'moves'` when text must move
 * and its map with it (a directive prologue after the banner; a file the filter leaves out or that
 * already carries an id), which finalizeChunk does. Undefined for a file without the banner (not a
 * chunk esbuild made, e.g. a copied `.js` asset).
 */
export function planChunk(
  code: string,
  placeholders: EsbuildPlaceholders,
  options: FinalizeOptions,
): InPlaceFinish | 'moves' | undefined {
  const located = locatePlaceholders(code, placeholders);
  if (!located) return undefined;
  const planned = plan(code, located, placeholders, options);
  if (planned.kind !== 'in-place') return 'moves';
  const { kind: _, ...finish } = planned;
  return finish;
}

/**
 * Replaces the placeholders of one JS output file: the file's snippet (with its chunk id, computed
 * over the code with both placeholders removed, so the id does not depend on hogmaps' own text) and
 * the `//# chunkId=` comment, which lands before esbuild's `//# sourceMappingURL=` line. Files the
 * filter leaves out, or that already carry an id, lose the placeholders and get nothing. Returns
 * undefined for a file without the banner (not a chunk esbuild made, e.g. a copied `.js` asset).
 */
export function finalizeChunk(
  input: EsbuildChunk,
  placeholders: EsbuildPlaceholders,
  options: FinalizeOptions,
): FinalizedChunk | undefined {
  const { code } = input;
  const located = locatePlaceholders(code, placeholders);
  if (!located) return undefined;
  const { banner, footer, stripped } = located;
  const planned = plan(code, located, placeholders, options);

  if (planned.kind === 'remove') {
    // Footer line first: removing the banner line renumbers the lines after it.
    const lines = [...(footer ? [footer] : []), banner].map((found) => countLineFeeds(code, found.start));
    const edited = editMaps(stripped, input.map, options.fileName, (mappings) =>
      lines.reduce((result, line) => removeEmptyLine(result, line), mappings),
    );
    return { ...edited, chunkId: planned.existing, injected: false };
  }

  const { chunkId } = planned;
  if (planned.kind === 'in-place') {
    const bannerEnd = banner.start + planned.snippet.length;
    const head = code.slice(0, banner.start) + planned.snippet;
    const injected = footer
      ? head +
        code.slice(bannerEnd, footer.start) +
        planned.comment +
        code.slice(footer.start + placeholders.footer.length)
      : head + code.slice(bannerEnd) + createChunkIdComment(chunkId);
    return { code: injected, map: input.map, chunkId, injected: true };
  }

  // The snippet goes after the prologue, inline; the banner's line goes away.
  const snippet = createSnippet(chunkId, options.releaseId);
  const comment = `${CHUNK_ID_COMMENT_PREFIX}${chunkId}`;
  const removed = banner.end - banner.start;
  const withoutBanner = code.slice(0, banner.start) + code.slice(banner.end);
  const base = footer
    ? withoutBanner.slice(0, footer.start - removed) +
      comment +
      withoutBanner.slice(footer.start - removed + placeholders.footer.length)
    : withoutBanner + createChunkIdComment(chunkId);
  const { offset, separator } = findInjectionPoint(base);
  const lineStart = base.lastIndexOf('\n', offset - 1) + 1;
  const line = countLineFeeds(base, lineStart);
  const injected = base.slice(0, offset) + separator + snippet + base.slice(offset);
  const edited = editMaps(injected, input.map, options.fileName, (mappings) => {
    const shorter = removeEmptyLine(mappings, countLineFeeds(code, banner.start));
    // After a line break (end of file) the snippet moves no mapped code.
    return separator === ''
      ? shiftGeneratedColumns(shorter, line, offset - lineStart, snippet.length)
      : shorter;
  });
  return { ...edited, chunkId, injected: true };
}

function cut(code: string, ranges: readonly Placeholder[]): string {
  let result = '';
  let from = 0;
  for (const range of [...ranges].sort((a, b) => a.start - b.start)) {
    result += code.slice(from, range.start);
    from = range.end;
  }
  return result + code.slice(from);
}

/** Removes generated line `line` (0-based) from `mappings`; it must hold no segment. */
export function removeEmptyLine(mappings: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const semicolon = mappings.indexOf(';', start);
    if (semicolon < 0) return mappings;
    start = semicolon + 1;
  }
  const end = mappings.indexOf(';', start);
  const stop = end < 0 ? mappings.length : end;
  if (stop !== start)
    throw new Error(`generated line ${line + 1} holds mappings, expected only a hogmaps placeholder`);
  // A trailing empty line means nothing; esbuild ends its mappings with one.
  return end < 0 ? mappings : mappings.slice(0, start) + mappings.slice(end + 1);
}

/** Applies one `mappings` edit to the external map and to an inline (base64 data URL) map in `code`. */
function editMaps(
  code: string,
  map: string | undefined,
  fileName: string,
  edit: (mappings: string) => string,
): EsbuildChunk {
  const externalMap = map === undefined ? undefined : editMapJson(map, `${fileName}.map`, edit);
  const url = findSourceMappingUrl(code);
  const comma = url?.startsWith('data:') && url.includes(';base64,') ? url.indexOf(',') : -1;
  if (url === undefined || comma < 0) return { code, map: externalMap };
  const at = code.lastIndexOf(url);
  const json = Buffer.from(url.slice(comma + 1), 'base64').toString('utf8');
  const inline = Buffer.from(editMapJson(json, fileName, edit)).toString('base64');
  return { code: code.slice(0, at + comma + 1) + inline + code.slice(at + url.length), map: externalMap };
}

function editMapJson(text: string, file: string, edit: (mappings: string) => string): string {
  let map: unknown;
  try {
    map = JSON.parse(text);
  } catch (error) {
    throw new FileError('invalid_source_map', file, `source map is not valid JSON (${errorMessage(error)})`);
  }
  const record = map as { mappings?: unknown } | null;
  if (typeof record !== 'object' || record === null || typeof record.mappings !== 'string') {
    throw new FileError('invalid_source_map', file, 'source map has no "mappings" string');
  }
  try {
    record.mappings = edit(record.mappings);
  } catch (error) {
    throw new FileError('invalid_source_map', file, errorMessage(error));
  }
  return JSON.stringify(record) + (text.endsWith('\n') ? '\n' : '');
}
