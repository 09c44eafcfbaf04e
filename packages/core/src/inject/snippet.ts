import { HogmapsError } from '../errors';

// Byte-identical to posthog-cli's constant.rs and plugin-utils' chunk-ids.ts (posthog-protocol.md 1.3),
// so files injected by PostHog's tools are recognised here and ours are recognised by them.

/** `CODE_SNIPPET_TEMPLATE`: registers the chunk id at runtime. */
export const SNIPPET_TEMPLATE =
  '!function(){try{var e="undefined"!=typeof window?window:"undefined"!=typeof global?global:"undefined"!=typeof globalThis?globalThis:"undefined"!=typeof self?self:{},n=(new e.Error).stack;n&&(e._posthogChunkIds=e._posthogChunkIds||{},e._posthogChunkIds[n]="__POSTHOG_CHUNK_ID__")}catch(e){}}();';

/** `CODE_SNIPPET_WITH_RELEASE_TEMPLATE`: also sets `_posthogReleaseId` (first loaded chunk wins). */
export const SNIPPET_WITH_RELEASE_TEMPLATE =
  '!function(){try{var e="undefined"!=typeof window?window:"undefined"!=typeof global?global:"undefined"!=typeof globalThis?globalThis:"undefined"!=typeof self?self:{};e._posthogReleaseId=e._posthogReleaseId||__POSTHOG_RELEASE_ID__;var n=(new e.Error).stack;n&&(e._posthogChunkIds=e._posthogChunkIds||{},e._posthogChunkIds[n]="__POSTHOG_CHUNK_ID__")}catch(e){}}();';

/** Replaced, quotes included, by `JSON.stringify(chunkId)`. */
export const QUOTED_CHUNK_ID_PLACEHOLDER = '"__POSTHOG_CHUNK_ID__"';
/** Replaced by `JSON.stringify(releaseId)`, which brings its own quotes. */
export const RELEASE_ID_PLACEHOLDER = '__POSTHOG_RELEASE_ID__';
export const CHUNK_ID_COMMENT_PREFIX = '//# chunkId=';

// PostHog's tools only ever write UUIDs (v4, v5, v7, debug ids). An id read from code, a manifest or a
// server also names files (pending maps, downloads), so nothing that could be a path is accepted.
const CHUNK_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * True when `value` is a chunk id hogmaps accepts: a UUID, or 1–128 letters, digits, `-` and `_`
 * (so it can be written as `//# chunkId=<value>`, read back, and never names a path).
 */
export function isValidChunkId(value: unknown): value is string {
  return typeof value === 'string' && CHUNK_ID_PATTERN.test(value);
}

export function assertValidChunkId(value: unknown): asserts value is string {
  if (!isValidChunkId(value)) {
    throw new HogmapsError(
      'invalid_chunk_id',
      `A chunk id must be a UUID (or 1 to 128 letters, digits, - and _), got ${JSON.stringify(value)}`,
    );
  }
}

/** The template cut at its placeholders, so substituted values are never searched again. */
function splitAt(template: string, placeholder: string): [string, string] {
  const at = template.indexOf(placeholder);
  return [template.slice(0, at), template.slice(at + placeholder.length)];
}
const [PLAIN_HEAD, PLAIN_TAIL] = splitAt(SNIPPET_TEMPLATE, QUOTED_CHUNK_ID_PLACEHOLDER);
const [RELEASE_REST, RELEASE_TAIL] = splitAt(SNIPPET_WITH_RELEASE_TEMPLATE, QUOTED_CHUNK_ID_PLACEHOLDER);
const [RELEASE_HEAD, RELEASE_MIDDLE] = splitAt(RELEASE_REST, RELEASE_ID_PLACEHOLDER);

/** The fixed text around the substituted values, for exact-match detection. */
export const SNIPPET_PARTS = {
  plain: { head: PLAIN_HEAD, tail: PLAIN_TAIL },
  release: { head: RELEASE_HEAD, middle: RELEASE_MIDDLE, tail: RELEASE_TAIL },
} as const;

function assertValidReleaseId(releaseId: unknown): asserts releaseId is string {
  if (typeof releaseId !== 'string' || releaseId.length === 0) {
    throw new HogmapsError(
      'invalid_release_id',
      `A release id must be a non-empty string, got ${JSON.stringify(releaseId)}`,
    );
  }
}

/** The snippet for one chunk: the release variant when `releaseId` is given (event mode). */
export function createSnippet(chunkId: string, releaseId?: string): string {
  assertValidChunkId(chunkId);
  const chunk = JSON.stringify(chunkId);
  if (releaseId === undefined) return PLAIN_HEAD + chunk + PLAIN_TAIL;
  assertValidReleaseId(releaseId);
  return RELEASE_HEAD + JSON.stringify(releaseId) + RELEASE_MIDDLE + chunk + RELEASE_TAIL;
}

/**
 * A script that only sets the release, for a page to load before its chunks (Vite's HTML pages): the
 * release snippet's own statement, first value wins as there, without a chunk id.
 */
export function createReleaseScript(releaseId: string): string {
  assertValidReleaseId(releaseId);
  return `${RELEASE_HEAD}${JSON.stringify(releaseId)}}catch(e){}}();\n`;
}

/** The trailing comment, `"\n//# chunkId=" + chunkId`; not JSON-encoded, as in PostHog's tools. */
export function createChunkIdComment(chunkId: string): string {
  assertValidChunkId(chunkId);
  return `\n${CHUNK_ID_COMMENT_PREFIX}${chunkId}`;
}
