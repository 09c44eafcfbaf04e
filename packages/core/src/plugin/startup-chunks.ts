// Which chunks carry the release id in event mode (`sourcemaps.releaseInjection`). posthog-js sends the
// first `_posthogReleaseId` any chunk set, so the release must be set before any chunk's code can
// throw: by the chunks that run first. An ES-module entry runs after the chunks it imports statically
// (their top-level code runs first), so those count too; a chunk loaded with import() runs after some
// startup chunk has run. Every other chunk gets the chunk-id-only snippet, and keeps its bytes, and so
// its content-hashed name, across releases.

import type { ReleaseInjection } from '../options/types';

/** The chunks reachable from `entries` through static imports, entries included. */
export function staticClosure(
  entries: Iterable<string>,
  staticImportsOf: (chunk: string) => Iterable<string> | undefined,
): Set<string> {
  const reached = new Set<string>();
  const pending = [...entries];
  for (let chunk = pending.pop(); chunk !== undefined; chunk = pending.pop()) {
    if (reached.has(chunk)) continue;
    reached.add(chunk);
    for (const imported of staticImportsOf(chunk) ?? []) if (!reached.has(imported)) pending.push(imported);
  }
  return reached;
}

/** The release id a chunk's snippet gets: every chunk's, or only a startup chunk's. */
export function releaseIdForChunk(
  releaseId: string | undefined,
  injection: ReleaseInjection,
  startup: boolean,
): string | undefined {
  return injection === 'every-chunk' || startup ? releaseId : undefined;
}
