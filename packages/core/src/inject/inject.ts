import MagicString from 'magic-string';
import { detectChunkId } from '../chunk-id/detect';
import { HogmapsError } from '../errors';
import { type InjectOptions, type InjectResult, injectInto } from './inject-into';
import { assertValidChunkId, createChunkIdComment } from './snippet';

export type { InjectOptions, InjectResult, MagicStringLike } from './inject-into';

/**
 * Injects the PostHog snippet and `//# chunkId=` comment into one chunk, in memory (the adapters do
 * the same through `injectInto` with the bundler's own editor). The snippet goes inline at `findInjectionOffset` (after hashbang,
 * directives and leading comments) with no line break after it, as PostHog's rollup plugin does:
 * line numbers stay the same and only columns after the offset on that one line move, which the
 * map (magic-string, `hires: 'boundary'`) records. The comment is appended at the very end, where it
 * moves nothing. Code that already carries an id is returned unchanged with that id.
 */
export function injectChunk(code: string, options: InjectOptions = {}): InjectResult {
  let own: MagicString | undefined;
  const { chunkId, target } = injectInto(code, options, () => {
    if (options.magicString) return options.magicString;
    own = new MagicString(code);
    return own;
  });
  if (!target) return { injected: false, chunkId, code, map: undefined };
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
