import { readFile } from 'node:fs/promises';
import { errorMessage } from '../errors';
import { isEmptySourceMap } from '../files/empty-map';
import { scanJsonObject } from '../files/json-scan';
import { isEmptySourceMapBytes } from '../files/source-map-bytes';
import type { ResolvedOptions } from '../options/types';
import { PairMemory } from '../upload/pair-memory';
import { uploadSymbolSets } from '../upload/pipeline';
import { readPairLaidOut } from '../upload/read-pair';
import { uploadSettingsFrom } from '../upload/settings';
import type { UploadClient, UploadInput, UploadProgressEvent, UploadSummary } from '../upload/types';
import { displayPath } from './display';
import type { FolderContext, FolderEntry } from './types';

// A wrapper chunk (re-exports only) gets a map with nothing in it: PostHog's CLI skips those.
const SMALL_JS = 2048;

/** Whether a map file is PostHog's empty map, judged from its bytes (an index map is parsed). */
async function isEmptyMapFile(mapPath: string): Promise<boolean> {
  const bytes = await readFile(mapPath);
  const scan = scanJsonObject(bytes);
  return isEmptySourceMapBytes(bytes, scan) ?? isEmptySourceMap(JSON.parse(bytes.toString('utf8')));
}

/**
 * Splits off entries whose map is empty or unreadable (one log line each), as posthog-cli does. A map
 * the injection already judged (`mapIsEmpty`) is not read again.
 */
export async function dropEmptyMaps(
  context: FolderContext,
  entries: readonly FolderEntry[],
  /** `debug`: a framework's output, where chunks with nothing to map are expected. */
  level: 'warn' | 'debug' = 'warn',
): Promise<{ kept: FolderEntry[]; dropped: FolderEntry[] }> {
  const kept: FolderEntry[] = [];
  const dropped: FolderEntry[] = [];
  for (const entry of entries) {
    const name = displayPath(context.cwd, entry.mapPath);
    let empty: boolean;
    try {
      empty = entry.mapIsEmpty ?? (await isEmptyMapFile(entry.mapPath));
    } catch (error) {
      context.logger.warn(`${name}: not a readable JSON source map (${errorMessage(error)}); skipped`);
      dropped.push(entry);
      continue;
    }
    if (!empty) {
      kept.push(entry);
      continue;
    }
    dropped.push(entry);
    const size = (await readFile(entry.jsPath)).length;
    if (size < SMALL_JS) context.logger.debug(`${name}: empty source map of a small wrapper chunk; skipped`);
    else context.logger[level](`${name}: empty source map for a ${size}-byte chunk; skipped`);
  }
  return { kept, dropped };
}

/** A dry run sends nothing, so it needs no credentials: this client refuses every request. */
export const OFFLINE_CLIENT: UploadClient = {
  requests: 0,
  symbolSets: new Proxy({} as UploadClient['symbolSets'], {
    get: () => () => Promise.reject(new Error('a dry run sends no request')),
  }),
  uploadToPresignedPost: () => Promise.reject(new Error('a dry run sends no request')),
};

/** Uploads the entries through the upload pipeline (`releaseId` binds them, in symbol-set mode). */
export function uploadEntries(
  context: FolderContext,
  client: UploadClient,
  options: ResolvedOptions,
  entries: readonly FolderEntry[],
  releaseId: string | null,
  onProgress?: (event: UploadProgressEvent) => void,
): Promise<UploadSummary> {
  // One run's pairs share memory: the pipeline gives each pair's back once it is packed or dropped.
  const memory = new PairMemory();
  const inputs: UploadInput[] = entries.map((entry) => ({
    chunkId: entry.chunkId,
    fileName: displayPath(context.cwd, entry.jsPath),
    load:
      entry.load ??
      (() => readPairLaidOut(entry.jsPath, entry.mapPath, displayPath(context.cwd, entry.jsPath), memory)),
  }));
  return uploadSymbolSets(client, inputs, {
    releaseId,
    ...uploadSettingsFrom(options),
    logger: context.logger,
    ...(onProgress ? { onProgress } : {}),
  });
}
