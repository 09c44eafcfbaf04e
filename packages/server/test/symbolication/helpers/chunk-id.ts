/**
 * PostHog's chunk-id snippet (CODE_SNIPPET_TEMPLATE), verbatim from posthog-protocol.md 1.3. It
 * registers `globalThis._posthogChunkIds[<stack at load>] = <chunk id>`, which the SDKs read to put
 * `chunk_id` on every frame of this file.
 */
export const CHUNK_ID_SNIPPET_TEMPLATE =
  '!function(){try{var e="undefined"!=typeof window?window:"undefined"!=typeof global?global:"undefined"!=typeof globalThis?globalThis:"undefined"!=typeof self?self:{},n=(new e.Error).stack;n&&(e._posthogChunkIds=e._posthogChunkIds||{},e._posthogChunkIds[n]="__POSTHOG_CHUNK_ID__")}catch(e){}}();';

/** The release variant (CODE_SNIPPET_WITH_RELEASE_TEMPLATE), verbatim from posthog-protocol.md 1.3. */
export const RELEASE_SNIPPET_TEMPLATE =
  '!function(){try{var e="undefined"!=typeof window?window:"undefined"!=typeof global?global:"undefined"!=typeof globalThis?globalThis:"undefined"!=typeof self?self:{};e._posthogReleaseId=e._posthogReleaseId||__POSTHOG_RELEASE_ID__;var n=(new e.Error).stack;n&&(e._posthogChunkIds=e._posthogChunkIds||{},e._posthogChunkIds[n]="__POSTHOG_CHUNK_ID__")}catch(e){}}();';

export interface SourceMapJson {
  version: number;
  sources: string[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
  [key: string]: unknown;
}

/**
 * Injects a chunk id (and, in event mode, the release id) the way PostHog's tools do, in the simplest form that keeps the map exact: the
 * snippet on its own first line (so every mapping moves down one line) and `\n//# chunkId=<id>` at
 * the very end (which moves nothing).
 */
export function injectChunkId(
  code: string,
  map: SourceMapJson,
  chunkId: string,
  releaseId?: string,
): { code: string; map: SourceMapJson } {
  const template =
    releaseId === undefined
      ? CHUNK_ID_SNIPPET_TEMPLATE
      : RELEASE_SNIPPET_TEMPLATE.replace('__POSTHOG_RELEASE_ID__', JSON.stringify(releaseId));
  const snippet = template.replace('"__POSTHOG_CHUNK_ID__"', JSON.stringify(chunkId));
  return {
    code: `${snippet}\n${code}\n//# chunkId=${chunkId}`,
    map: { ...map, mappings: `;${map.mappings}`, chunk_id: chunkId },
  };
}
