import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { errorMessage } from '../errors';
import { isEmptySourceMap } from '../files/empty-map';
import { scanJsonObjectOnce } from '../files/json-scan';
import { isEmptySourceMapBytes } from '../files/source-map-bytes';
import type { ResolvedOptions } from '../options/types';
import type { Pair } from '../upload/pack';
import { PairMemory, recyclePair } from '../upload/pair-memory';
import { uploadSymbolSets } from '../upload/pipeline';
import { readPairLaidOut } from '../upload/read-pair';
import { uploadSettingsFrom } from '../upload/settings';
import type { UploadClient, UploadInput, UploadProgressEvent, UploadSummary } from '../upload/types';
import { displayPath } from './display';
import type { FolderContext, FolderEntry } from './types';

// A wrapper chunk (re-exports only) gets a map with nothing in it: PostHog's CLI skips those.
const SMALL_JS = 2048;

/**
 * Whether a map is PostHog's empty map, from its bytes (an index map, or text, is parsed). Throws when
 * it is not one JSON object. The scan is remembered per byte array, so the upload's own checks of the
 * same bytes do not scan them again.
 */
function isEmptyMap(map: string | Uint8Array): boolean {
  if (typeof map === 'string') return isEmptySourceMap(JSON.parse(map));
  const scan = scanJsonObjectOnce(map);
  return (
    isEmptySourceMapBytes(map, scan) ??
    isEmptySourceMap(JSON.parse(Buffer.from(map.buffer, map.byteOffset, map.byteLength).toString('utf8')))
  );
}

type LogLevel = 'warn' | 'debug';

/** Says why an entry is not uploaded, as posthog-cli does: its map is unreadable, or empty. */
function logSkipped(
  context: FolderContext,
  entry: FolderEntry,
  level: LogLevel,
  why: { unreadable: unknown } | { jsBytes: number },
): void {
  const name = displayPath(context.cwd, entry.mapPath);
  if ('unreadable' in why) {
    context.logger.warn(`${name}: not a readable JSON source map (${errorMessage(why.unreadable)}); skipped`);
  } else if (why.jsBytes < SMALL_JS) {
    context.logger.debug(`${name}: empty source map of a small wrapper chunk; skipped`);
  } else context.logger[level](`${name}: empty source map for a ${why.jsBytes}-byte chunk; skipped`);
}

/**
 * Splits off entries whose map is empty or unreadable (one log line each), as posthog-cli does. A map
 * the injection already judged (`mapIsEmpty`) is not read again.
 */
export async function dropEmptyMaps(
  context: FolderContext,
  entries: readonly FolderEntry[],
  /** `debug`: a framework's output, where chunks with nothing to map are expected. */
  level: LogLevel = 'warn',
): Promise<{ kept: FolderEntry[]; dropped: FolderEntry[] }> {
  const kept: FolderEntry[] = [];
  const dropped: FolderEntry[] = [];
  for (const entry of entries) {
    let empty: boolean;
    try {
      empty = entry.mapIsEmpty ?? isEmptyMap(await readFile(entry.mapPath));
    } catch (error) {
      logSkipped(context, entry, level, { unreadable: error });
      dropped.push(entry);
      continue;
    }
    if (!empty) {
      kept.push(entry);
      continue;
    }
    dropped.push(entry);
    logSkipped(context, entry, level, { jsBytes: (await stat(entry.jsPath)).size });
  }
  return { kept, dropped };
}

/**
 * An entry's `load` for the upload that skips it as dropEmptyMaps would, with the same line, from the
 * pair it reads for the upload: a map nobody judged is read once, not once to judge and once to
 * upload. Declines (undefined) what it skips; once a pair passed, loading it again only reads it.
 */
function loadSkippingEmptyMaps(
  context: FolderContext,
  entry: FolderEntry,
  read: () => Promise<Pair>,
): UploadInput['load'] {
  let passed = entry.mapIsEmpty === false;
  return async () => {
    if (passed) return read();
    if (entry.mapIsEmpty) {
      logSkipped(context, entry, 'warn', { jsBytes: (await stat(entry.jsPath)).size });
      return undefined;
    }
    let pair: Pair;
    try {
      pair = await read();
    } catch (error) {
      // The map cannot be read (dropEmptyMaps' case); a JS file that cannot is the upload's failure.
      if (!(await readable(entry.mapPath))) {
        logSkipped(context, entry, 'warn', { unreadable: error });
        return undefined;
      }
      throw error;
    }
    try {
      if (!isEmptyMap(pair.map)) {
        passed = true;
        return pair;
      }
      const { minified } = pair;
      const jsBytes = typeof minified === 'string' ? Buffer.byteLength(minified) : minified.length;
      logSkipped(context, entry, 'warn', { jsBytes });
    } catch (error) {
      logSkipped(context, entry, 'warn', { unreadable: error });
    }
    recyclePair(pair);
    return undefined;
  };
}

async function readable(file: string): Promise<boolean> {
  try {
    await access(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** A dry run sends nothing, so it needs no credentials: this client refuses every request. */
export const OFFLINE_CLIENT: UploadClient = {
  requests: 0,
  symbolSets: new Proxy({} as UploadClient['symbolSets'], {
    get: () => () => Promise.reject(new Error('a dry run sends no request')),
  }),
  uploadToPresignedPost: () => Promise.reject(new Error('a dry run sends no request')),
};

/**
 * Uploads the entries through the upload pipeline (`releaseId` binds them, in symbol-set mode),
 * skipping those whose map is empty or unreadable as dropEmptyMaps does: the summary's `declined`
 * lists them.
 */
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
  const inputs: UploadInput[] = entries.map((entry) => {
    const fileName = displayPath(context.cwd, entry.jsPath);
    const read = entry.load ?? (() => readPairLaidOut(entry.jsPath, entry.mapPath, fileName, memory));
    return { chunkId: entry.chunkId, fileName, load: loadSkippingEmptyMaps(context, entry, read) };
  });
  return uploadSymbolSets(client, inputs, {
    releaseId,
    ...uploadSettingsFrom(options),
    logger: context.logger,
    ...(onProgress ? { onProgress } : {}),
  });
}
