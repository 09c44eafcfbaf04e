import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PostHogClient } from '../api/client';
import { createClientFromOptions } from '../api/client-from-options';
import type { ReleaseJson } from '../api/protocol';
import { HogmapsError } from '../errors';
import { stripSourceMappingUrl } from '../files/source-mapping-url';
import { createLogger, type Logger } from '../logger';
import type { ResolvedOptions } from '../options/types';
import { detectReleaseIdentity, type ReleaseIdentity } from '../release/identity';
import { fetchOrCreateRelease } from '../release/resolve';
import type { BuildReport, BuildResult, BuildSession } from '../session/session';
import { formatDuration, formatSummary } from '../session/summary';
import type { UploadProgressEvent, UploadSummary } from '../upload/types';
import { deleteMapsAfterUpload } from './delete-maps';
import { listNames, plural } from './display';
import { type FindPairsOptions, findFiles, findSourcePairs } from './find-pairs';
import { type InjectOutcome, injectPairs, readInjectedEntries } from './inject-pairs';
import type { FolderContext, FolderEntry } from './types';
import { dropEmptyMaps, OFFLINE_CLIENT, uploadEntries } from './upload-entries';

/** `inject` only, `upload` what an earlier `inject` produced, or `process`: both, in one run. */
export type FolderStep = 'inject' | 'upload' | 'process';

/** Hands the injected files to a build session: its release, upload, map policy, manifest and summary. */
export interface FolderSessionHandoff {
  session: BuildSession;
  /** The build's output folder: manifest location, and the base of file names in logs. */
  outDir: string;
  /** Whether hogmaps caused this map (it must not ship: its `sourceMappingURL` goes, the map after upload). */
  ownsMap(pair: { jsPath: string; mapPath: string }): boolean;
  /** How each map's `sources` entries are uploaded (the maps on disk are not changed). */
  rewriteSource?: BuildResult['rewriteSource'];
  /**
   * Folders where every map is hogmaps' (none would exist without it): maps no uploaded chunk claims
   * (orphans, CSS maps) are deleted too, and CSS files lose their `sourceMappingURL`.
   */
  ownedFolders?: readonly string[];
}

export interface ProcessDirectoryInput {
  /** Folders (walked recursively) or single files, relative to `cwd`. */
  roots: readonly string[];
  options: ResolvedOptions;
  /** @default 'process' */
  step?: FolderStep;
  /** @default options.cwd */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Which JS files are taken, and how their maps are found. */
  find?: FindPairsOptions;
  /** The release; default: detected from the options, CI, `.git` and package.json. `null`: none. */
  release?: ReleaseIdentity | null;
  /** The API client; default: one made from the options when needed, closed at the end. */
  client?: PostHogClient;
  /** After a complete upload, delete every map under the roots and its `sourceMappingURL` (JS and CSS). */
  deleteAfter?: boolean;
  /** Runs the upload under a progress display. */
  withProgress?: <T>(
    label: string,
    task: (onProgress: (event: UploadProgressEvent) => void) => Promise<T>,
  ) => Promise<T>;
  /** Framework builds: the session finishes the job (upload, map policy, manifest, summary). */
  handoff?: FolderSessionHandoff;
}

export interface DirectoryReport {
  release: ReleaseJson | undefined;
  injection: Omit<InjectOutcome, 'entries'> | undefined;
  /** The chunks uploaded, or that would be (empty maps dropped). */
  entries: FolderEntry[];
  upload: UploadSummary | undefined;
  mapsDeleted: number;
  /** The summary line (already logged); undefined after `inject` alone. */
  summary: string | undefined;
  /** With a handoff: what the session reported. */
  build?: BuildReport;
}

/**
 * The folder pipeline, in process: finds every JS file with its map under the roots, injects chunk
 * ids into the files on disk (maps shifted to match), registers the release (event mode: before, so
 * its id goes into the snippets; symbol-set mode: to bind the sets), uploads the symbol sets and, when
 * asked, deletes the maps. The `hogmaps sourcemap` commands and framework presets (Next.js with
 * Turbopack) both run it; with a `handoff` the build session does the upload and what follows.
 */
export async function processDirectory(input: ProcessDirectoryInput): Promise<DirectoryReport> {
  const started = Date.now();
  const { options, step = 'process' } = input;
  const logger = input.logger ?? createLogger({ level: options.logLevel });
  const context: FolderContext = { logger, cwd: input.cwd ?? options.cwd };
  const env = input.env ?? process.env;
  const { dryRun } = options;
  const mode = options.sourcemaps.releaseMode;
  const reportWithoutMap = input.handoff ? 'debug' : 'info';
  const pairs = await findSourcePairs(context, input.roots, { reportWithoutMap, ...input.find });

  if (input.handoff) return handOff(input.handoff, context, pairs, started);

  const identity =
    input.release === undefined
      ? detectReleaseIdentity({ ...options.release, cwd: options.cwd, env })
      : (input.release ?? undefined);
  // Event mode puts the release id into snippets; symbol-set mode binds sets to it at upload.
  const wantsRelease = mode === 'event' ? step !== 'upload' : step !== 'inject';
  const ownClient =
    !input.client && options.credentials && !dryRun && (step !== 'inject' || (wantsRelease && identity))
      ? createClientFromOptions(options, { logger })
      : undefined;
  const client = input.client ?? ownClient;
  try {
    let release: ReleaseJson | undefined;
    if (identity && wantsRelease && client) {
      release = await fetchOrCreateRelease(client.releases, identity);
      logger.info(`release ${releaseLabel(identity)} (${release.id})`);
    } else if (!identity && wantsRelease) {
      logger.warn(
        'no release found (no release name/version, CI variables, .git or package.json): ' +
          (mode === 'event' ? 'injecting chunk ids only' : 'symbol sets are uploaded without a release'),
      );
    } else if (identity && wantsRelease && step === 'inject' && mode === 'event' && !dryRun) {
      logger.warn(
        `no PostHog credentials: release ${releaseLabel(identity)} is not registered, so only chunk ids are injected`,
      );
    }

    let entries: FolderEntry[];
    let injection: InjectOutcome | undefined;
    if (step === 'upload') {
      const found = await readInjectedEntries(context, pairs);
      if (found.missing.length > 0) throw missingChunkIds(found.missing);
      entries = found.entries;
    } else {
      injection = await injectPairs(context, pairs, {
        releaseId: mode === 'event' ? release?.id : undefined,
        releaseHashId: mode === 'symbol-set' ? identity?.hashId : undefined,
        adoptDebugId: mode === 'event',
        dryRun,
      });
      logInjection(logger, injection, dryRun, step === 'inject' ? Date.now() - started : undefined);
      if (injection.entries.length === 0) {
        throw new HogmapsError('inject_failed', 'no file could be injected (see the warnings above)');
      }
      if (step === 'inject') {
        const counts = countsOf(injection);
        return {
          release,
          injection: counts,
          entries: [],
          upload: undefined,
          mapsDeleted: 0,
          summary: undefined,
        };
      }
      entries = injection.entries;
    }

    // Empty and unreadable maps are skipped as the upload loads them (the summary's `declined`): a
    // map the injection did not judge is read once, for the upload, not once more before it.
    const bindTo = mode === 'symbol-set' ? (release?.id ?? null) : null;
    const run = (onProgress?: (event: UploadProgressEvent) => void) =>
      uploadEntries(context, client ?? OFFLINE_CLIENT, options, entries, bindTo, onProgress);
    const upload = input.withProgress
      ? await input.withProgress(dryRun ? 'packing' : 'uploading', run)
      : await run();
    const declined = new Set(upload.declined);
    entries = entries.filter((entry) => !declined.has(entry.chunkId));

    let mapsDeleted = 0;
    if (input.deleteAfter) {
      if (dryRun) logger.info(`dry run: would delete ${entries.length} source maps`);
      else if (upload.failed.length > 0) {
        logger.warn('source maps kept: they are deleted only after a complete upload');
      } else mapsDeleted = await deleteMapsAfterUpload(context, entries, input.roots);
    }
    const summary = formatSummary({
      release: releaseLabel(identity),
      injected: entries.length,
      upload,
      skippedBecause: undefined,
      mapsDeleted,
      durationMs: Date.now() - started,
    });
    logger.info(summary);
    return { release, injection: injection && countsOf(injection), entries, upload, mapsDeleted, summary };
  } finally {
    await ownClient?.close();
  }
}

/** Injects with the session's release, drops the map reference of maps hogmaps owns, then the session finishes. */
async function handOff(
  handoff: FolderSessionHandoff,
  context: FolderContext,
  pairs: Awaited<ReturnType<typeof findSourcePairs>>,
  started: number,
): Promise<DirectoryReport> {
  const { session, outDir, ownsMap } = handoff;
  const release = await session.prepare();
  const injection = await injectPairs(context, pairs, {
    releaseId: release.releaseId,
    releaseHashId: release.releaseHashId,
    adoptDebugId: release.releaseMode === 'event',
    dryRun: false,
  });
  logInjection(context.logger, injection, false, undefined, 'debug');
  // A map hogmaps turned on never ships, whatever the upload does: no reference may point at it.
  const ours = new Set(injection.entries.filter((entry) => ownsMap(entry)));
  for (const entry of ours) {
    const code = await readFile(entry.jsPath, 'utf8');
    const stripped = stripSourceMappingUrl(code);
    if (stripped !== code) await writeFile(entry.jsPath, stripped);
  }
  const { kept, dropped } = await dropEmptyMaps(context, injection.entries, 'debug');
  const claimed = new Set(kept.map((entry) => entry.mapPath));
  const unclaimed = await unclaimedMaps(context, handoff.ownedFolders ?? [], claimed);
  const build = await session.finishBuild({
    outDir: path.resolve(outDir),
    // Chunks whose map is empty have nothing to map: each got a debug line, none is a symbol set.
    chunks: kept.map((entry) => ({ ...chunkOf(entry), mapIsOurs: ours.has(entry) })),
    extraMapsToDelete: [
      ...new Set([...dropped.filter((entry) => ours.has(entry)).map((entry) => entry.mapPath), ...unclaimed]),
    ].filter((map) => !claimed.has(map)),
    ...(handoff.rewriteSource ? { rewriteSource: handoff.rewriteSource } : {}),
  });
  context.logger.debug(`folder pipeline done in ${formatDuration(Date.now() - started)}`);
  return {
    release: undefined,
    injection: countsOf(injection),
    entries: kept,
    upload: build.upload,
    mapsDeleted: 0,
    summary: build.summary,
    build,
  };
}

/** Maps in folders hogmaps owns that no uploaded chunk claims; CSS files there lose their reference. */
async function unclaimedMaps(
  context: FolderContext,
  folders: readonly string[],
  claimed: ReadonlySet<string>,
): Promise<string[]> {
  if (folders.length === 0) return [];
  for (const css of await findFiles(folders, context.cwd, '.css')) {
    const text = await readFile(css, 'utf8');
    const stripped = stripSourceMappingUrl(text);
    if (stripped !== text) await writeFile(css, stripped);
  }
  const maps = await findFiles(folders, context.cwd, '.map');
  return maps.filter((map) => !claimed.has(map));
}

function countsOf(outcome: InjectOutcome): Omit<InjectOutcome, 'entries'> {
  return { injected: outcome.injected, alreadyInjected: outcome.alreadyInjected, skipped: outcome.skipped };
}

function chunkOf(entry: FolderEntry) {
  return { chunkId: entry.chunkId, jsPath: entry.jsPath, mapPath: entry.mapPath as string | undefined };
}

function logInjection(
  logger: Logger,
  outcome: InjectOutcome,
  dryRun: boolean,
  durationMs: number | undefined,
  level: 'info' | 'debug' = 'info',
): void {
  const already = outcome.alreadyInjected > 0 ? `, ${outcome.alreadyInjected} already injected` : '';
  const skipped = outcome.skipped > 0 ? `, ${outcome.skipped} skipped` : '';
  const took = durationMs === undefined ? '' : ` in ${formatDuration(durationMs)}`;
  logger[level](
    `${dryRun ? 'would inject' : 'injected'} chunk ids into ${outcome.injected} ${plural(outcome.injected, 'file')}${already}${skipped}${took}`,
  );
}

function releaseLabel(identity: ReleaseIdentity | undefined): string | undefined {
  return identity ? `${identity.name}@${identity.version}` : undefined;
}

function missingChunkIds(files: readonly string[]): HogmapsError {
  return new HogmapsError(
    'chunk_id_missing',
    `Chunk ID not found in ${listNames(files)}. Run 'hogmaps sourcemap inject' before 'hogmaps sourcemap upload', or use 'hogmaps sourcemap process' to do both. Nothing was uploaded.`,
  );
}
