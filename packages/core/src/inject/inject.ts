import MagicString, { type SourceMap } from 'magic-string';
import { computeChunkId } from '../chunk-id/compute';
import { detectChunkId } from '../chunk-id/detect';
import { HogmapsError } from '../errors';
import { findInjectionPoint } from './prologue';
import { assertValidChunkId, createChunkIdComment, createSnippet } from './snippet';

/** The part of magic-string's API injection uses; rolldown's `meta.magicString` has it too. */
export interface MagicStringLike {
  /** The text that offsets refer to. When the bundler's instance already has edits, this differs
   * from its output; the injection offset is computed on it. */
  readonly original?: string;
  appendLeft(index: number, content: string): unknown;
  append(content: string): unknown;
  toString(): string;
}

export interface InjectOptions {
  /** The id to inject; computed from the code before injection when not given. */
  chunkId?: string;
  /** The release UUID for `_posthogReleaseId` (event mode): selects the release snippet variant. */
  releaseId?: string;
  /** Symbol-set mode: the release's hash_id, mixed into a computed chunk id. */
  releaseHashId?: string;
  /** Append the `//# chunkId=` comment. Turn off when a minifier will strip it anyway and append it
   * after minification with `appendChunkIdComment`. @default true */
  appendComment?: boolean;
  /** The chunk's file name, recorded as the source of the returned map. */
  fileName?: string;
  /** A MagicString the bundler provides (rolldown's `meta.magicString`): edits go into it and the
   * bundler produces the map, so the result's `map` is undefined. */
  magicString?: MagicStringLike;
}

export interface InjectResult {
  /** False when the code already carried an id (comment or snippet): nothing was changed. */
  injected: boolean;
  chunkId: string;
  code: string;
  /** Maps the injected code to the code passed in, for the bundler to chain. */
  map: SourceMap | undefined;
}

/**
 * Injects the PostHog snippet and `//# chunkId=` comment into one chunk, in memory (the one
 * injection every adapter uses). The snippet goes inline at `findInjectionOffset` (after hashbang,
 * directives and leading comments) with no line break after it, as PostHog's rollup plugin does:
 * line numbers stay the same and only columns after the offset on that one line move, which the
 * map (magic-string, `hires: 'boundary'`) records. The comment is appended at the very end, where it
 * moves nothing. Code that already carries an id is returned unchanged with that id.
 */
export function injectChunk(code: string, options: InjectOptions = {}): InjectResult {
  const existing = detectChunkId(code);
  if (existing !== undefined) return { injected: false, chunkId: existing, code, map: undefined };

  const chunkId = options.chunkId ?? computeChunkId(code, { releaseHashId: options.releaseHashId });
  assertValidChunkId(chunkId);
  const snippet = createSnippet(chunkId, options.releaseId);
  const own = options.magicString ? undefined : new MagicString(code);
  const target: MagicStringLike = options.magicString ?? own!;
  const { offset, separator } = findInjectionPoint(target.original ?? code);
  // appendLeft at 0 is prepend for a fresh MagicString, and keeps anything another plugin already
  // prepended (a banner, a hashbang) in front of the snippet.
  target.appendLeft(offset, separator + snippet);
  if (options.appendComment !== false) target.append(createChunkIdComment(chunkId));
  const map = own?.generateMap({ hires: 'boundary', source: options.fileName, includeContent: true });
  return { injected: true, chunkId, code: target.toString(), map };
}

/**
 * Appends `\n//# chunkId=<id>` to code whose comment a minifier stripped (Vite 8 and rolldown minify
 * after renderChunk). Appending at the very end changes no mapping. Unchanged when the comment is
 * already there; throws when the code carries a different id.
 */
export function appendChunkIdComment(code: string, chunkId: string): string {
  assertValidChunkId(chunkId);
  const existing = detectChunkId(code);
  if (existing === chunkId) return code;
  if (existing !== undefined) {
    throw new HogmapsError(
      'chunk_id_conflict',
      `Cannot append chunk id ${chunkId}: the code already carries chunk id ${existing}`,
    );
  }
  return code + createChunkIdComment(chunkId);
}
