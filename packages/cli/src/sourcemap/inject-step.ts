import { readFile } from 'node:fs/promises';
import {
  computeChunkId,
  errorMessage,
  injectFileOnDisk,
  injectSourcePair,
  readInjectedChunkId,
} from '@hogmaps/core';
import type { CommandContext } from '../context';
import { sha256 } from './delete-after';
import { displayPath, type SourcePair } from './files';
import type { UploadEntry } from './upload-step';

export interface InjectSettings {
  /** Event mode: the release UUID put into each snippet. */
  releaseId: string | undefined;
  /** Symbol-set mode: mixed into each chunk id. */
  releaseHashId: string | undefined;
  /** Change nothing on disk: inject in memory when the content is needed. */
  dryRun: boolean;
}

export interface InjectOutcome {
  entries: UploadEntry[];
  injected: number;
  alreadyInjected: number;
  skipped: number;
}

const PARALLEL_FILES = 8;

/**
 * Injects every pair on disk with core's injectFileOnDisk (the JS gets the snippet and comment, the
 * map is rewritten to match). Files that already carry an id, from hogmaps or from posthog-cli, are
 * left alone. A file that cannot be injected (a map that is not JSON) is skipped with a warning.
 */
export async function injectPairs(
  context: CommandContext,
  pairs: readonly SourcePair[],
  settings: InjectSettings,
): Promise<InjectOutcome> {
  const outcome: InjectOutcome = { entries: [], injected: 0, alreadyInjected: 0, skipped: 0 };
  const results: Array<UploadEntry | undefined> = new Array(pairs.length);
  let next = 0;
  const worker = async () => {
    while (next < pairs.length) {
      const index = next++;
      results[index] = await injectOne(context, pairs[index]!, settings, outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_FILES, pairs.length) }, worker));
  outcome.entries = results.filter((entry): entry is UploadEntry => entry !== undefined);
  return outcome;
}

async function injectOne(
  context: CommandContext,
  pair: SourcePair,
  settings: InjectSettings,
  outcome: InjectOutcome,
): Promise<UploadEntry | undefined> {
  const name = displayPath(context.io.cwd, pair.jsPath);
  const options = { releaseId: settings.releaseId, releaseHashId: settings.releaseHashId };
  try {
    if (settings.dryRun) {
      const bytes = await readFile(pair.jsPath);
      const code = bytes.toString('utf8');
      const existing = readInjectedChunkId(code);
      const chunkId = existing ?? computeChunkId(bytes, { releaseHashId: settings.releaseHashId });
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
    return { ...pair, chunkId: result.chunkId, jsHash: sha256(result.code) };
  } catch (error) {
    outcome.skipped += 1;
    context.logger.warn(`${errorMessage(error)}; skipped`);
    return undefined;
  }
}

function count(
  context: CommandContext,
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
 * For `sourcemap upload`: each file's id as injected earlier. Every pair must have one, or nothing is
 * uploaded (posthog-cli's all-or-nothing rule); the error lists the files that lack one.
 */
export async function readInjectedEntries(
  context: CommandContext,
  pairs: readonly SourcePair[],
): Promise<{ entries: UploadEntry[]; missing: string[] }> {
  const entries: UploadEntry[] = [];
  const missing: string[] = [];
  for (const pair of pairs) {
    const bytes = await readFile(pair.jsPath);
    const chunkId = readInjectedChunkId(bytes.toString('utf8'));
    if (chunkId === undefined) missing.push(displayPath(context.io.cwd, pair.jsPath));
    else entries.push({ ...pair, chunkId, jsHash: sha256(bytes) });
  }
  return { entries, missing };
}
