// What a framework build deployed: its JavaScript files, the snippets in each, and the symbol sets the
// local server holds for them.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type DecodedSymbolSet, decodeSymbolSet } from '@hogmaps/core';
import { decodedMappings, TraceMap } from '@jridgewell/trace-mapping';
import type { LocalServer } from '../../test/harness/local-server';

/** A chunk id registration of the PostHog snippet (a minifier may have rewritten its quotes). */
const SNIPPET = /_posthogChunkIds\[\w+\]=["'`]([^"'`]+)["'`]/g;
const JS_FILE = /\.[cm]?js$/;

export interface DeployedFile {
  /** Relative to the deploy folder, forward slashes, e.g. `client/_app/immutable/nodes/2.Bx1.js`. */
  file: string;
  code: string;
  /** The chunk ids the snippets in the file register. */
  snippetIds: string[];
  /** The id of the trailing `//# chunkId=` line (before a `//# sourceMappingURL=` line, if any). */
  commentId: string | undefined;
}

/** Every file under `dir`, relative, with forward slashes, sorted. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** Reads one JavaScript file's snippets and trailing chunk id comment. */
export function readDeployedFile(dir: string, file: string): DeployedFile {
  const code = readFileSync(path.join(dir, file), 'utf8');
  const lines = code.trimEnd().split('\n');
  if (/^\/\/# sourceMappingURL=/.test(lines.at(-1) ?? '')) lines.pop();
  return {
    file,
    code,
    snippetIds: [...code.matchAll(SNIPPET)].map((match) => match[1]!),
    commentId: /^\/\/# chunkId=(\S+)$/.exec(lines.at(-1) ?? '')?.[1],
  };
}

/**
 * The JavaScript a build deploys under `dir` (not its `node_modules`, which are dependencies, not build
 * output), optionally narrowed by `include` (a path relative to `dir`).
 */
export function deployedJs(dir: string, include: (file: string) => boolean = () => true): DeployedFile[] {
  return listFiles(dir)
    .filter((file) => JS_FILE.test(file) && !file.split('/').includes('node_modules') && include(file))
    .map((file) => readDeployedFile(dir, file));
}

/** Whether code carries a PostHog snippet. */
export function hasSnippet(code: string): boolean {
  return new RegExp(SNIPPET.source).test(code);
}

/** Whether a source map maps at least one position (frameworks emit empty maps for glue chunks). */
export function mapsAnything(mapText: string): boolean {
  return decodedMappings(new TraceMap(mapText)).some((line) => line.length > 0);
}

/** Every symbol set whose upload finished on the local server, downloaded and decoded, by chunk id. */
export async function downloadSymbolSets(local: LocalServer): Promise<Map<string, DecodedSymbolSet>> {
  const base = `/api/projects/${local.server.projectId}/error_tracking/symbol_sets`;
  const sets = new Map<string, DecodedSymbolSet>();
  let next: string | null = `${base}/?limit=100`;
  while (next) {
    const page: {
      results: { id: string; ref: string; has_uploaded_file: boolean }[];
      next: string | null;
    } = await local.get(next);
    for (const row of page.results.filter((set) => set.has_uploaded_file)) {
      const { url } = await local.get<{ url: string }>(`${base}/${row.id}/download/`);
      const response = await fetch(url);
      if (!response.ok) throw new Error(`downloading symbol set ${row.ref}: HTTP ${response.status}`);
      sets.set(row.ref, decodeSymbolSet(new Uint8Array(await response.arrayBuffer())));
    }
    next = page.next ? page.next.replace(/^https?:\/\/[^/]+/, '') : null;
  }
  return sets;
}
