import { readFile } from 'node:fs/promises';
import { computeChunkId } from '../chunk-id/compute';
import { findDebugIdInMapBytes } from '../chunk-id/debug-id';
import { detectChunkId } from '../chunk-id/detect';
import { errorMessage } from '../errors';
import { type InjectFileOptions, injectFileOnDisk, injectSourcePair } from '../inject/inject-file';
import { sha256 } from './delete-maps';
import { displayPath } from './display';
import type { FolderContext, FolderEntry, SourcePair } from './types';

export interface InjectSettings {
  /** Event mode: the release UUID put into each snippet. */
  releaseId: string | undefined;
  /** Symbol-set mode: mixed into each chunk id. */
  releaseHashId: string | undefined;
  /** Event mode: a debug id the file (or its map) carries becomes its chunk id, as in posthog-cli. */
  adoptDebugId: boolean;
  /** Change nothing on disk: inject in memory when the content is needed. */
  dryRun: boolean;
}

export interface InjectOutcome {
  entries: FolderEntry[];
  injected: number;
  alreadyInjected: number;
  skipped: number;
}

const PARALLEL_FILES = 8;

/**
 * Injects every pair on disk with injectFileOnDisk (the JS gets the snippet and comment, the map is
 * rewritten to match). Files that already carry an id, from hogmaps or from posthog-cli, are left
 * alone. A file that cannot be injected (a map that is not JSON) is skipped with a warning.
 */
export async function injectPairs(
  context: FolderContext,
  pairs: readonly SourcePair[],
  settings: InjectSettings,
): Promise<InjectOutcome> {
  const outcome: InjectOutcome = { entries: [], injected: 0, alreadyInjected: 0, skipped: 0 };
  const results: Array<FolderEntry | undefined> = new Array(pairs.length);
  let next = 0;
  const worker = async () => {
    while (next < pairs.length) {
      const index = next++;
      results[index] = await injectOne(context, pairs[index]!, settings, outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_FILES, pairs.length) }, worker));
  outcome.entries = results.filter((entry): entry is FolderEntry => entry !== undefined);
  return outcome;
}

async function injectOne(
  context: FolderContext,
  pair: SourcePair,
  settings: InjectSettings,
  outcome: InjectOutcome,
): Promise<FolderEntry | undefined> {
  const name = displayPath(context.cwd, pair.jsPath);
  const options: InjectFileOptions = {
    releaseId: settings.releaseId,
    releaseHashId: settings.releaseHashId,
    adoptDebugId: settings.adoptDebugId,
  };
  try {
    if (settings.dryRun) {
      const bytes = await readFile(pair.jsPath);
      const code = bytes.toString('utf8');
      const existing = detectChunkId(code);
      const map = settings.adoptDebugId ? await readFile(pair.mapPath) : undefined;
      const adopted = settings.adoptDebugId ? findDebugIdInMapBytes(code, () => map).adopted : undefined;
      const chunkId = existing ?? adopted ?? computeChunkId(bytes, { releaseHashId: settings.releaseHashId });
      count(context, outcome, existing === undefined, name, chunkId, true);
      return {
        ...pair,
        chunkId,
        jsHash: sha256(bytes),
        // Injected in memory, so a dry run packs exactly what a real run would upload.
        load: async () => {
          const map = await readFile(pair.mapPath, 'utf8');
          const result = injectSourcePair({ code, map, fileName: pair.mapPath }, { ...options, chunkId });
          return { minified: result.code, map: result.map ?? map };
        },
      };
    }
    const result = await injectFileOnDisk(pair.jsPath, pair.mapPath, options);
    count(context, outcome, result.injected, name, result.chunkId, false);
    const entry: FolderEntry = { ...pair, chunkId: result.chunkId, jsHash: sha256(result.code) };
    if (result.mapIsEmpty !== undefined) entry.mapIsEmpty = result.mapIsEmpty;
    return entry;
  } catch (error) {
    outcome.skipped += 1;
    context.logger.warn(`${errorMessage(error)}; skipped`);
    return undefined;
  }
}

function count(
  context: FolderContext,
  outcome: InjectOutcome,
  injected: boolean,
  name: string,
  chunkId: string,
  dryRun: boolean,
): void {
  if (injected) {
    outcome.injected += 1;
    context.logger.debug(`${name}: ${dryRun ? 'would inject' : 'injected'} chunk id ${chunkId}`);
  } else {
    outcome.alreadyInjected += 1;
    context.logger.debug(`${name}: already injected (chunk id ${chunkId}), left as is`);
  }
}

/**
 * Each file's id as injected earlier. Files without one are listed in `missing` (the caller decides:
 * posthog-cli's `upload` uploads nothing then).
 */
export async function readInjectedEntries(
  context: FolderContext,
  pairs: readonly SourcePair[],
): Promise<{ entries: FolderEntry[]; missing: string[] }> {
  const entries: FolderEntry[] = [];
  const missing: string[] = [];
  for (const pair of pairs) {
    const bytes = await readFile(pair.jsPath);
    const chunkId = detectChunkId(bytes.toString('utf8'));
    if (chunkId === undefined) missing.push(displayPath(context.cwd, pair.jsPath));
    else entries.push({ ...pair, chunkId, jsHash: sha256(bytes) });
  }
  return { entries, missing };
}
