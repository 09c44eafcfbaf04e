import { readFile } from 'node:fs/promises';
import {
  errorMessage,
  isEmptySourceMap,
  type ResolvedOptions,
  type UploadInput,
  type UploadSummary,
  uploadSymbolSets,
} from '@hogmaps/core';
import type { CommandContext } from '../context';
import { displayPath } from './files';

/** One chunk ready to upload: its id and files, and how to read them when not from disk as is. */
export interface UploadEntry {
  chunkId: string;
  jsPath: string;
  mapPath: string;
  /** SHA-256 of the JS as it was when its id was read or injected (`--delete-after` checks it). */
  jsHash: string;
  /** Reads the content to upload; default: both files from disk. */
  load?: UploadInput['load'];
}

// A wrapper chunk (re-exports only) gets a map with nothing in it: PostHog's CLI skips those.
const SMALL_JS = 2048;

/** Drops entries whose map is empty or unreadable, with a log line each, as posthog-cli does. */
export async function dropEmptyMaps(
  context: CommandContext,
  entries: readonly UploadEntry[],
): Promise<UploadEntry[]> {
  const kept: UploadEntry[] = [];
  for (const entry of entries) {
    const name = displayPath(context.io.cwd, entry.mapPath);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(entry.mapPath, 'utf8'));
    } catch (error) {
      context.logger.warn(`${name}: not a readable JSON source map (${errorMessage(error)}); skipped`);
      continue;
    }
    if (!isEmptySourceMap(json)) {
      kept.push(entry);
      continue;
    }
    const size = (await readFile(entry.jsPath)).length;
    if (size < SMALL_JS) context.logger.debug(`${name}: empty source map of a small wrapper chunk; skipped`);
    else context.logger.warn(`${name}: empty source map for a ${size}-byte chunk; skipped`);
  }
  return kept;
}

export type UploadClient = Parameters<typeof uploadSymbolSets>[0];

/** A dry run sends nothing, so it needs no credentials: this client refuses every request. */
export const OFFLINE_CLIENT: UploadClient = {
  requests: 0,
  symbolSets: new Proxy({} as UploadClient['symbolSets'], {
    get: () => () => Promise.reject(new Error('a dry run sends no request')),
  }),
  uploadToPresignedPost: () => Promise.reject(new Error('a dry run sends no request')),
};

/** Uploads the entries through core's pipeline, with a progress display on stderr. */
export function uploadEntries(
  context: CommandContext,
  client: UploadClient,
  options: ResolvedOptions,
  entries: readonly UploadEntry[],
  releaseId: string | null,
): Promise<UploadSummary> {
  const inputs: UploadInput[] = entries.map((entry) => ({
    chunkId: entry.chunkId,
    fileName: displayPath(context.io.cwd, entry.jsPath),
    load:
      entry.load ??
      (async () => {
        const [minified, map] = await Promise.all([readFile(entry.jsPath), readFile(entry.mapPath)]);
        return { minified, map };
      }),
  }));
  return context.withProgress(options.dryRun ? 'packing' : 'uploading', (progress) =>
    uploadSymbolSets(client, inputs, {
      releaseId,
      batchSize: options.sourcemaps.batchSize,
      concurrency: options.concurrency,
      force: options.force,
      skipOnConflict: options.skipOnConflict,
      dryRun: options.dryRun,
      compression: options.compression,
      logger: context.logger,
      onProgress: (event) => progress.update(event),
    }),
  );
}

/** Exit code of an upload: 1 when any symbol set failed. */
export function uploadExitCode(summary: UploadSummary): number {
  return summary.failed.length > 0 ? 1 : 0;
}
