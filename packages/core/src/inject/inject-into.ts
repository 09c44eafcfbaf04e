// Injection into an editor: the bundler's own (rolldown's `meta.magicString`, webpack's ReplaceSource)
// or magic-string. Apart from inject.ts so the plugin path never loads magic-string, which only the
// standalone `injectChunk` needs.
import type { SourceMap } from 'magic-string';
import { computeChunkId } from '../chunk-id/compute';
import { detectChunkId } from '../chunk-id/detect';
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
 * Puts the snippet and (unless turned off) the `//# chunkId=` comment into the editor `edit` returns,
 * created only when the code carries no id yet; returns that editor, or undefined when the code
 * already carried an id (nothing changed).
 */
export function injectInto<T extends MagicStringLike>(
  code: string,
  options: InjectOptions,
  edit: () => T,
): { chunkId: string; target: T | undefined } {
  const existing = detectChunkId(code);
  if (existing !== undefined) return { chunkId: existing, target: undefined };

  const chunkId = options.chunkId ?? computeChunkId(code, { releaseHashId: options.releaseHashId });
  assertValidChunkId(chunkId);
  const snippet = createSnippet(chunkId, options.releaseId);
  const target = edit();
  const { offset, separator } = findInjectionPoint(target.original ?? code);
  // appendLeft at 0 is prepend for a fresh MagicString, and keeps anything another plugin already
  // prepended (a banner, a hashbang) in front of the snippet.
  target.appendLeft(offset, separator + snippet);
  if (options.appendComment !== false) target.append(createChunkIdComment(chunkId));
  return { chunkId, target };
}
