// The event-mode content hash, computed as posthog-cli computes it (`SourcePair::into_upload` in
// cli/src/sourcemaps/source_pairs.rs): SHA-512 over the pair with the injection undone, so that the
// release id in the snippet (new on every release) never makes an unchanged chunk look changed:
//
//   pristine code ‖ 0x00 ‖ pristine map JSON (no `file`) ‖ 0x00 ‖ `with-release` | `chunk-id-only`
//
// The variant stays in the hash because the two snippets differ in length, so the uploaded map's
// columns differ too. The server keys its skip-or-replace decision on this hash, and posthog-cli
// sends the same for the same pair, so the two tools never overwrite each other's sets.

import { createHash } from 'node:crypto';
import { findInjectedSnippet } from '../chunk-id/detect';
import { SNIPPET_PARTS } from '../inject/snippet';
import { decodeMappings, encodeMappings } from './mappings-codec';
import { adjustTokens, removalAdjustment } from './pristine-mappings';

export type SnippetVariant = 'with-release' | 'chunk-id-only';

/** At most this many bytes between the release template's prefix and suffix (posthog-cli). */
const MAX_RELEASE_BYTES = 256;

interface SnippetSpan {
  start: number;
  end: number;
  releaseId: string | undefined;
}

/**
 * The snippet injected for `chunkId`, by posthog-cli's `find_injected_snippet`: the plain template's
 * first occurrence, else the release template's prefix (first occurrence) and its suffix within 256
 * bytes, the release id being the JSON string between them; else a snippet a minifier rewrote.
 */
export function findSnippetForHash(code: string, chunkId: string): SnippetSpan | undefined {
  const id = JSON.stringify(chunkId);
  const { plain, release } = SNIPPET_PARTS;
  const plainText = plain.head + id + plain.tail;
  const plainAt = code.indexOf(plainText);
  if (plainAt >= 0) return { start: plainAt, end: plainAt + plainText.length, releaseId: undefined };

  const prefixAt = code.indexOf(release.head);
  if (prefixAt >= 0) {
    const suffix = release.middle + id + release.tail;
    const valueStart = prefixAt + release.head.length;
    const suffixAt = code.indexOf(suffix, valueStart);
    if (suffixAt >= 0) {
      const value = code.slice(valueStart, suffixAt);
      if (Buffer.byteLength(value) > MAX_RELEASE_BYTES) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = Symbol.for('invalid');
      }
      if (typeof parsed === 'string' || parsed === null) {
        return {
          start: prefixAt,
          end: suffixAt + suffix.length,
          releaseId: typeof parsed === 'string' ? parsed : undefined,
        };
      }
    }
  }
  const rewritten = findInjectedSnippet(code, chunkId);
  return rewritten && { start: rewritten.start, end: rewritten.end, releaseId: rewritten.releaseId };
}

/** serde_json's output for a `serde_json::Value` (objects keyed in byte order, as a BTreeMap). */
function serialize(value: unknown): string {
  if (Array.isArray(value)) {
    // An array of strings, numbers, booleans and nulls (sources, sourcesContent, names): no key to
    // order, so the native serializer writes the same bytes, much faster.
    if (value.every((item) => item === null || typeof item !== 'object')) return JSON.stringify(value);
    return `[${value.map(serialize).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = sortedKeys(value as Record<string, unknown>).map(
      (key) => `${JSON.stringify(key)}:${serialize((value as Record<string, unknown>)[key])}`,
    );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

function sortedKeys(object: Record<string, unknown>): string[] {
  return Object.keys(object).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** Keys of posthog-cli's `SourceMapContent` that are struct fields rather than `fields` entries. */
const STRUCT_KEYS = new Set(['release_id', 'chunk_id', 'chunkId', 'debugId']);

/**
 * The map JSON posthog-cli hashes in event mode: its `mappings` with the removal composed in (see
 * pristine-mappings.ts), the values the sourcemap crate rewrites (version 3, null sources as "",
 * names as strings), every other key kept (in byte order), `chunk_id` and `file` dropped, and
 * `release_id` and `debugId` first, as the struct serializes them.
 */
export function pristineMapJson(
  mapText: string,
  code: string,
  removals: ReadonlyArray<[number, number]>,
): string {
  const map: unknown = JSON.parse(mapText);
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new Error('not a JSON object');
  const old = map as Record<string, unknown>;
  if (old.sections !== undefined) throw new Error('index maps are not adjusted here');
  const sources = Array.isArray(old.sources) ? old.sources : [];
  const names = Array.isArray(old.names) ? old.names : [];
  const mappings = typeof old.mappings === 'string' ? old.mappings : '';
  const tokens = decodeMappings(mappings, sources.length, names.length);

  // What the sourcemap crate writes back; the CLI then re-adds every other key of the old map.
  const fields: Record<string, unknown> = {
    version: 3,
    sources: sources.map((source) => (typeof source === 'string' ? source : '')),
    names: names.map((name) =>
      typeof name === 'string' ? name : typeof name === 'number' ? String(name) : '',
    ),
    mappings: encodeMappings(adjustTokens(tokens, removalAdjustment(code, removals))),
  };
  if (typeof old.sourceRoot === 'string') fields.sourceRoot = old.sourceRoot;
  if (
    Array.isArray(old.sourcesContent) &&
    old.sourcesContent.some((content) => typeof content === 'string')
  ) {
    fields.sourcesContent = old.sourcesContent;
  }
  if (Array.isArray(old.ignoreList) && old.ignoreList.length > 0) {
    fields.ignoreList = [...new Set(old.ignoreList as number[])].sort((a, b) => a - b);
  }
  for (const key of Object.keys(old)) {
    if (!(key in fields) && !STRUCT_KEYS.has(key)) fields[key] = old[key];
  }
  delete fields.file;

  const head: string[] = [];
  if (typeof old.release_id === 'string') head.push(`"release_id":${JSON.stringify(old.release_id)}`);
  if (typeof old.debugId === 'string') head.push(`"debugId":${JSON.stringify(old.debugId)}`);
  const body = sortedKeys(fields).map((key) => `${JSON.stringify(key)}:${serialize(fields[key])}`);
  return `{${[...head, ...body].join(',')}}`;
}

/**
 * The event-mode `content_hash` of an uploaded pair (lowercase hex SHA-512), as posthog-cli computes
 * it, so it does not depend on the release id. A map this cannot compose (an index map, malformed
 * mappings; posthog-cli rejects most of those) is hashed as its JSON with keys sorted and `file`,
 * `chunk_id` dropped: still free of the release, if not equal to posthog-cli's.
 */
export function eventContentHash(minified: string, mapText: string, chunkId: string): string {
  const snippet = findSnippetForHash(minified, chunkId);
  const comment = `\n//# chunkId=${chunkId}`;
  const commentAt = minified.indexOf(comment);
  const removals: Array<[number, number]> = [];
  if (snippet) removals.push([snippet.start, snippet.end]);
  if (
    commentAt >= 0 &&
    (!snippet || commentAt >= snippet.end || commentAt + comment.length <= snippet.start)
  ) {
    removals.push([commentAt, commentAt + comment.length]);
  }
  removals.sort((a, b) => a[0] - b[0]);
  let pristine = '';
  let from = 0;
  for (const [start, end] of removals) {
    pristine += minified.slice(from, start);
    from = end;
  }
  pristine += minified.slice(from);

  let map: string;
  try {
    map = pristineMapJson(mapText, minified, removals);
  } catch {
    map = fallbackMapJson(mapText);
  }
  const variant: SnippetVariant = snippet?.releaseId !== undefined ? 'with-release' : 'chunk-id-only';
  return createHash('sha512')
    .update(pristine)
    .update('\0')
    .update(map)
    .update('\0')
    .update(variant)
    .digest('hex');
}

function fallbackMapJson(mapText: string): string {
  try {
    const map = JSON.parse(mapText) as Record<string, unknown>;
    if (typeof map !== 'object' || map === null) return mapText;
    const { file: _file, chunk_id: _chunk, chunkId: _chunkId, ...rest } = map;
    return serialize(rest);
  } catch {
    return mapText;
  }
}
