// Which chunks carry the release id in event mode (`sourcemaps.releaseInjection`). posthog-js sends the
// first `_posthogReleaseId` any chunk set, so the release must be set before the app's code can throw:
// by the chunks that start it. By default ('entries') those are the entry chunks (and webpack/Rspack
// runtime chunks, xpack-chunks.ts). An ES-module entry runs after the chunks it imports statically
// (their top-level code runs first): 'startup-chunks' gives those the release too, at the price of
// renaming them, and every chunk that imports them, on every release. A chunk loaded with import()
// runs after an entry has. Every other chunk gets the chunk-id-only snippet, and keeps its bytes, and
// so its content-hashed name, across releases.

import type { ReleaseInjection } from '../options/types';

/** The chunks reachable from `entries` through static imports, entries included. */
function staticClosure(
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

/**
 * The chunks that carry the release, of those a bundler's entries reach through static imports: the
 * entries, and with 'startup-chunks' what they import statically. ('every-chunk': see below.)
 */
export function releaseCarriers(
  entries: Iterable<string>,
  staticImportsOf: (chunk: string) => Iterable<string> | undefined,
  injection: ReleaseInjection,
): Set<string> {
  return injection === 'startup-chunks' ? staticClosure(entries, staticImportsOf) : new Set(entries);
}

/** The release id a chunk's snippet gets: every chunk's, or only a startup chunk's. */
export function releaseIdForChunk(
  releaseId: string | undefined,
  injection: ReleaseInjection,
  startup: boolean,
): string | undefined {
  return injection === 'every-chunk' || startup ? releaseId : undefined;
}
