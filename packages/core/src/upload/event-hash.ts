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
import { type JsonMember, type JsonObjectScan, scanJsonObjectOnce } from '../files/json-scan';
import { isUtf8Checked } from '../files/utf8-checked';
import { SNIPPET_PARTS } from '../inject/snippet';
import { type CodeText, codeTextOf } from './code-text';
import { decodeMappings, encodeMappings } from './mappings-codec';
import { splicePristineMappings } from './mappings-splice';
import { adjustTokens, removalAdjustment } from './pristine-mappings';
import { serializedArray } from './raw-json';

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
export function findSnippetForHash(code: CodeText, chunkId: string): SnippetSpan | undefined {
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
  // The structural search reads a string: only a snippet a minifier rewrote comes this far.
  const rewritten = findInjectedSnippet(String(code), chunkId);
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

/** Serialized JSON as pieces, hashed one after the other without joining them. */
export type JsonPieces = Array<string | Uint8Array>;

/** A member whose serialized form is already known (read from the map's bytes). */
class Serialized {
  constructor(
    readonly pieces: JsonPieces,
    /** For an array: whether it holds a string (`sourcesContent` is kept only then). */
    readonly hasString = false,
  ) {}
}

/**
 * The map JSON posthog-cli hashes in event mode, from the old map's members (`Serialized` where the
 * fast path kept a member's bytes) and the pristine `mappings`: those, the values the sourcemap crate
 * rewrites (version 3, null sources as "", names as strings), every other key kept (in byte order),
 * `chunk_id` and `file` dropped, and `release_id` and `debugId` first, as the struct serializes them.
 */
function composeMapJson(old: Record<string, unknown>, mappings: JsonPieces): JsonPieces {
  const sources = Array.isArray(old.sources) ? old.sources : [];
  const names = Array.isArray(old.names) ? old.names : [];
  // What the sourcemap crate writes back; the CLI then re-adds every other key of the old map.
  const fields: Record<string, unknown> = {
    version: 3,
    sources: sources.map((source) => (typeof source === 'string' ? source : '')),
    names: names.map((name) =>
      typeof name === 'string' ? name : typeof name === 'number' ? String(name) : '',
    ),
    mappings: new Serialized(['"', ...mappings, '"']),
  };
  if (typeof old.sourceRoot === 'string') fields.sourceRoot = old.sourceRoot;
  const content = old.sourcesContent;
  if (
    content instanceof Serialized
      ? content.hasString
      : Array.isArray(content) && content.some((item) => typeof item === 'string')
  ) {
    fields.sourcesContent = content;
  }
  if (Array.isArray(old.ignoreList) && old.ignoreList.length > 0) {
    fields.ignoreList = [...new Set(old.ignoreList as number[])].sort((a, b) => a - b);
  }
  for (const key of Object.keys(old)) {
    if (!(key in fields) && !STRUCT_KEYS.has(key)) fields[key] = old[key];
  }
  delete fields.file;

  const pieces: JsonPieces = ['{'];
  let first = true;
  const member = (key: string, value: unknown) => {
    pieces.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (value instanceof Serialized) pieces.push(...value.pieces);
    else pieces.push(serialize(value));
  };
  if (typeof old.release_id === 'string') member('release_id', old.release_id);
  if (typeof old.debugId === 'string') member('debugId', old.debugId);
  for (const key of sortedKeys(fields)) member(key, fields[key]);
  pieces.push('}');
  return pieces;
}

function joinPieces(pieces: JsonPieces): string {
  return pieces
    .map((piece) => (typeof piece === 'string' ? piece : Buffer.from(piece).toString('utf8')))
    .join('');
}

/**
 * The map JSON posthog-cli hashes in event mode (see composeMapJson), its `mappings` with the removal
 * composed in (see pristine-mappings.ts). The general path: parses the whole map.
 */
export function pristineMapJson(
  mapText: string,
  code: CodeText,
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
  const encoded = encodeMappings(adjustTokens(tokens, removalAdjustment(code, removals)));
  return joinPieces(composeMapJson(old, [encoded]));
}

const EMPTY: Uint8Array = new Uint8Array(0);

/**
 * The same JSON as pristineMapJson, as pieces, from the map's bytes without parsing all of it:
 * `sourcesContent` copied where its bytes are already serialized, `mappings` spliced
 * (mappings-splice.ts), only the small members parsed. Undefined where this cannot vouch for the
 * result (bytes that are not UTF-8 or not a JSON object, an index map, a key JSON.parse treats
 * specially, mappings outside the fast path's form): the general path then decides.
 */
export function pristineMapPieces(
  bytes: Uint8Array,
  code: CodeText,
  removals: ReadonlyArray<[number, number]>,
): JsonPieces | undefined {
  if (!isUtf8Checked(bytes)) return undefined;
  let scan: JsonObjectScan;
  try {
    scan = scanJsonObjectOnce(bytes);
  } catch {
    return undefined;
  }
  const old: Record<string, unknown> = {};
  let mappings: JsonMember | undefined;
  for (const member of scan.members) {
    // `__proto__`, `constructor`, …: JSON.parse makes them own keys, an assignment would not.
    if (member.key in PROTOTYPE || member.key === 'sections') return undefined;
    if (member.key === 'mappings' && member.kind === 'string') {
      mappings = member;
      old.mappings = '';
      continue;
    }
    if (member.key === 'sourcesContent' && member.kind === 'array') {
      const array = serializedArray(bytes, member.start, member.end);
      if (array) {
        old.sourcesContent = new Serialized(array.pieces, array.hasString);
        continue;
      }
    }
    old[member.key] = JSON.parse(utf8Text(bytes.subarray(member.start, member.end)));
    if (member.key === 'mappings') mappings = undefined;
  }
  const sources = Array.isArray(old.sources) ? old.sources.length : 0;
  const names = Array.isArray(old.names) ? old.names.length : 0;
  let start = 0;
  let end = 0;
  let source = EMPTY;
  if (mappings) {
    source = bytes;
    start = mappings.start + 1;
    end = mappings.end - 1;
    if (bytes.subarray(start, end).includes(0x5c)) return undefined;
  }
  const spliced = splicePristineMappings(source, start, end, code, removals, sources, names);
  return spliced && composeMapJson(old, spliced);
}

const PROTOTYPE = {};
const utf8Text = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

/** The snippet and the `\n//# chunkId=` comment, as sorted `[start, end)` ranges of `code`. */
export function injectedRanges(code: CodeText, chunkId: string) {
  const snippet = findSnippetForHash(code, chunkId);
  const comment = `\n//# chunkId=${chunkId}`;
  const commentAt = code.indexOf(comment);
  const removals: Array<[number, number]> = [];
  if (snippet) removals.push([snippet.start, snippet.end]);
  if (
    commentAt >= 0 &&
    (!snippet || commentAt >= snippet.end || commentAt + comment.length <= snippet.start)
  ) {
    removals.push([commentAt, commentAt + comment.length]);
  }
  removals.sort((a, b) => a[0] - b[0]);
  const variant: SnippetVariant = snippet?.releaseId !== undefined ? 'with-release' : 'chunk-id-only';
  return { removals, variant };
}

/**
 * The pristine code as pieces: views of `bytes` between the removals when the code came as UTF-8
 * bytes whose text is `code` (no re-encoding), else slices of `code`.
 */
function pristineCode(
  code: CodeText,
  bytes: Uint8Array | undefined,
  removals: ReadonlyArray<[number, number]>,
): JsonPieces {
  // Every range starts and ends with an ASCII character (the snippet's, the comment's), so its ends
  // never split a character; their byte offsets equal the string's when the code is ASCII.
  const ascii = bytes !== undefined && bytes.length === code.length;
  const byteAt = (at: number) => (ascii ? at : Buffer.byteLength(code.slice(0, at)));
  const whole = removals.every(
    ([start, end]) => code.charCodeAt(start) < 0x80 && code.charCodeAt(end - 1) < 0x80,
  );
  const pieces: JsonPieces = [];
  let from = 0;
  for (const [start, end] of removals) {
    pieces.push(bytes && whole ? bytes.subarray(byteAt(from), byteAt(start)) : code.slice(from, start));
    from = end;
  }
  pieces.push(bytes && whole ? bytes.subarray(byteAt(from)) : code.slice(from));
  return pieces;
}

/** Options of the event-mode hash. */
export interface EventHashOptions {
  /** Skip the fast path (tests compare the two). */
  general?: boolean;
}

/**
 * What the event-mode hash runs over, as pieces in order: pristine code, NUL, pristine map JSON, NUL,
 * the snippet variant. A map this cannot compose (an index map, malformed mappings; posthog-cli
 * rejects most of those) is hashed as its JSON with keys sorted and `file`, `chunk_id` dropped: still
 * free of the release, if not equal to posthog-cli's. Takes the pair as read (bytes are pieces as they
 * are, without copies; text works too).
 */
function eventHashPieces(
  minified: string | Uint8Array,
  map: string | Uint8Array,
  chunkId: string,
  options: EventHashOptions = {},
): JsonPieces {
  const codeBytes = typeof minified === 'string' ? undefined : minified;
  const code = codeBytes === undefined ? (minified as string) : codeTextOf(codeBytes);
  const { removals, variant } = injectedRanges(code, chunkId);
  const sameBytes = codeBytes !== undefined && isUtf8Checked(codeBytes) ? codeBytes : undefined;
  const pieces: JsonPieces = pristineCode(code, sameBytes, removals);
  pieces.push('\0');

  let mapPieces: JsonPieces | undefined;
  if (!options.general && typeof map !== 'string') {
    try {
      mapPieces = pristineMapPieces(map, code, removals);
    } catch {
      mapPieces = undefined;
    }
  }
  if (!mapPieces) {
    const mapText = typeof map === 'string' ? map : utf8Text(map);
    try {
      mapPieces = [pristineMapJson(mapText, code, removals)];
    } catch {
      mapPieces = [fallbackMapJson(mapText)];
    }
  }
  for (const piece of mapPieces) pieces.push(piece);
  pieces.push('\0', variant);
  return pieces;
}

/**
 * The event-mode `content_hash` of an uploaded pair (lowercase hex SHA-512), as posthog-cli computes
 * it, so it does not depend on the release id: SHA-512 of eventHashPieces.
 */
export function eventContentHash(
  minified: string | Uint8Array,
  map: string | Uint8Array,
  chunkId: string,
  options: EventHashOptions = {},
): string {
  const hash = createHash('sha512');
  for (const piece of eventHashPieces(minified, map, chunkId, options)) hash.update(piece);
  return hash.digest('hex');
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
