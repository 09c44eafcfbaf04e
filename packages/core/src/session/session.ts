import path from 'node:path';
import { computeChunkId } from '../chunk-id/compute';
import { findDebugId } from '../chunk-id/debug-id';
import { errorMessage, HogmapsError } from '../errors';
import { isInside } from '../files/inside';
import { createLogger, type Logger } from '../logger';
import { describeMissingCredentials } from '../options/describe';
import type { ReleaseMode, ResolvedOptions } from '../options/types';
import { detectReleaseIdentity, type ReleaseIdentity } from '../release/identity';
import type { UploadWorker } from '../upload/off-thread';
import type { UploadSummary } from '../upload/types';
import { finishFailure, reportDisposalProblems, retryHint } from './finish-messages';
import {
  type ChunkOutcome,
  type Manifest,
  recordChunks,
  releaseRecord,
  toManifestPath,
  writeManifest,
} from './manifest';
import { disposeMaps, pendingMapsDir, planDisposal, removePendingMaps } from './map-policy';
import { statusOf } from './status';
import { formatSummary } from './summary';
import { sortByMap } from './uploadable';

export type BundlerName = 'vite' | 'rollup' | 'rolldown' | 'webpack' | 'rspack' | 'esbuild';

export interface SessionMeta {
  /** Who drives the session: a bundler key, `cli`, or a framework preset (`nextjs`). */
  tool: BundlerName | 'cli' | (string & {});
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Package name and version for the User-Agent, e.g. `@hogmaps/vite/0.1.0`. */
  userAgent?: string;
}

/** What injection needs from the session: the release id (event mode) or hash (symbol-set mode). */
export interface InjectionContext {
  releaseMode: ReleaseMode;
  /** The release UUID put into the snippet (event mode, when a release was registered). */
  releaseId: string | undefined;
  /** Mixed into chunk ids in symbol-set mode, so one chunk in two releases gets two ids. */
  releaseHashId: string | undefined;
}

export interface BuildChunk {
  chunkId: string;
  /** Absolute path of the emitted JS file. */
  jsPath: string;
  /** Absolute path of its map, when one was emitted. */
  mapPath: string | undefined;
  /** hogmaps turned maps on for this build: the map must not ship. */
  mapIsOurs: boolean;
}

export interface BuildResult {
  /** The output folder: file names in logs and the manifest are relative to it. */
  outDir: string;
  chunks: readonly BuildChunk[];
  /** Other files hogmaps caused and that must not ship (CSS maps). */
  extraMapsToDelete?: readonly string[];
  /** A watch rebuild or dev server: no upload unless `uploadInWatchMode`. */
  watch?: boolean;
  /** How each `sources` entry of a map is uploaded (a framework's virtual paths made project paths);
   * the map on disk is not changed. */
  rewriteSource?: (source: string, mapPath: string) => string;
}

export interface BuildReport {
  upload: UploadSummary | undefined;
  skippedBecause: string | undefined;
  manifestPath: string | undefined;
  summary: string;
}

export interface BuildSession {
  readonly options: ResolvedOptions;
  readonly logger: Logger;
  /** Detects the release once and, in event mode, registers it so its id can be injected. */
  prepare(): Promise<InjectionContext>;
  /**
   * The chunk id of a chunk's code before injection (call after `prepare`): deterministic, or in event
   * mode the ECMA-426 debug id the chunk (or, else, its map) already carries, as posthog-cli adopts it.
   * `mapText` is read only when the code has no `//# debugId=` comment.
   */
  chunkIdFor(code: string, mapText?: () => string | undefined): string;
  /**
   * Starts the worker this build's upload will run in, when it will take one (credentials, and
   * `uploadThread` picks a worker at this heap size): its boot (about 0.1 s of a core) then overlaps
   * the bundler's rendering instead of the finish. Call once the bundler has its module graph (at
   * the first chunk); again before the finish does nothing. finishBuild uses the worker or ends it.
   */
  warmUpload(): void;
  /** Uploads this build's new chunks, applies the map policy, writes the manifest, logs one line. */
  finishBuild(result: BuildResult): Promise<BuildReport>;
}

function releaseLabel(identity: ReleaseIdentity | undefined): string | undefined {
  return identity ? `${identity.name}@${identity.version}` : undefined;
}

export function createBuildSession(options: ResolvedOptions, meta: SessionMeta): BuildSession {
  const logger = meta.logger ?? createLogger({ level: options.logLevel });
  const env = meta.env ?? process.env;
  const mode = options.sourcemaps.releaseMode;
  const handled = new Set<string>();
  const manifests = new Map<string, Manifest>();
  // What happened to each chunk id this session handled, for every manifest that lists it.
  const outcomes = new Map<string, ChunkOutcome>();
  let identity: ReleaseIdentity | undefined;
  let releaseId: string | undefined;
  // Why the release could not be registered (event mode): this build's code carries no release id.
  let releaseError: string | undefined;
  let prepared: Promise<InjectionContext> | undefined;
  let injection: InjectionContext | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let warnedNoCredentials = false;
  // The worker the next finish uploads from (warmUpload). None once a watch build uploaded nothing:
  // rebuilds would start workers only to end them.
  let startedWorker: Promise<UploadWorker | undefined> | undefined;
  let mayWarm = options.credentials !== undefined;

  for (const note of options.notes) logger[note.level](note.message);

  const remoteMeta = { userAgent: meta.userAgent, logger };
  // Loaded when a build first registers a release or uploads (see remote.ts).
  const remote = () => import('./remote');

  const registerRelease = async (): Promise<string | undefined> => {
    if (releaseId || !identity || !options.credentials || options.dryRun) return releaseId;
    releaseId = await (await remote()).registerRelease(options, identity, remoteMeta);
    logger.debug(`release ${releaseLabel(identity)} is ${releaseId}`);
    return releaseId;
  };

  const doPrepare = async (): Promise<InjectionContext> => {
    identity = detectReleaseIdentity({ ...options.release, cwd: options.cwd, env });
    if (identity) {
      logger.debug(
        `release ${releaseLabel(identity)} (name from ${identity.sources.name}, version from ${identity.sources.version})`,
      );
    } else {
      logger.warn(
        'no release identified (no sourcemaps.releaseName/releaseVersion, CI variables, .git or package.json): ' +
          (mode === 'event' ? 'injecting chunk ids only' : 'symbol sets will be uploaded without a release'),
      );
    }
    if (mode === 'event') {
      try {
        await registerRelease();
      } catch (error) {
        const why = `could not register the release ${releaseLabel(identity)}: ${errorMessage(error)}`;
        if (options.failOnError) throw new HogmapsError('release_failed', why, { cause: error });
        releaseError = errorMessage(error);
        logger.warn(
          `${why}. Injecting chunk ids only: events from this build will carry no release. ` +
            'Rebuild when PostHog is reachable (failOnError: true stops the build instead)',
        );
      }
    }
    injection = {
      releaseMode: mode,
      releaseId: mode === 'event' ? releaseId : undefined,
      releaseHashId: mode === 'symbol-set' ? identity?.hashId : undefined,
    };
    return injection;
  };

  const warnNoCredentials = () => {
    if (warnedNoCredentials) return;
    warnedNoCredentials = true;
    const message = describeMissingCredentials(options) ?? 'no PostHog credentials';
    // In CI a missing secret is almost always a mistake: say it louder.
    if (env.CI) logger.warn(`${message}. Source maps are NOT uploaded in this CI build.`);
    else logger.warn(`${message}. Injecting chunk ids only, uploading nothing.`);
  };

  const doFinish = async (result: BuildResult): Promise<BuildReport> => {
    const started = Date.now();
    const worker = startedWorker;
    startedWorker = undefined;
    await (prepared ?? session.prepare());
    const fresh = result.chunks.filter((chunk) => !handled.has(chunk.chunkId));
    for (const chunk of fresh) handled.add(chunk.chunkId);

    const willUpload = options.credentials !== undefined && (!result.watch || options.uploadInWatchMode);
    // What cannot be uploaded is skipped, counted in the summary and listed at debug level: never a
    // failure, and never an end to this finish (see sortByMap).
    const { onDisk, mapless, missing } = sortByMap(fresh);

    let skippedBecause: string | undefined;
    if (!options.credentials) skippedBecause = 'no credentials';
    else if (result.watch && !options.uploadInWatchMode) skippedBecause = 'watch mode';
    else if (fresh.length === 0) skippedBecause = 'no new chunks';
    else if (onDisk.length === 0) skippedBecause = 'no source maps';
    if (!options.credentials) warnNoCredentials();
    else if (willUpload) {
      const list = (chunks: readonly BuildChunk[], why: string) =>
        chunks.map((chunk) => `${toManifestPath(result.outDir, chunk.jsPath)} (${why})`);
      const skipped = [...list(mapless, 'no source map'), ...list(missing, 'file missing')];
      if (skipped.length > 0) logger.debug(`skipped ${skipped.length} chunks: ${skipped.join(', ')}`);
    }

    let upload: UploadSummary | undefined;
    let fatal: unknown;
    if (skippedBecause === 'watch mode') mayWarm = false;
    if (skippedBecause) void worker?.then((unused) => unused?.cancel());
    else {
      try {
        const bindTo = async () => (mode === 'symbol-set' ? await registerRelease() : undefined);
        upload = await (await remote()).uploadChunks(
          options,
          remoteMeta,
          result,
          onDisk,
          bindTo,
          await worker,
        );
      } catch (error) {
        fatal = error;
        // A worker the upload never reached is ended (one it ran has exited already).
        void worker?.then((unused) => unused?.cancel());
        logger.error(`upload failed: ${errorMessage(error)}`);
      }
    }
    // The upload judged the maps as it read them: one that maps nothing was skipped, not sent.
    const nothingToMap = new Set(upload?.mapsNothing);
    const mappingNothing = onDisk.filter((chunk) => nothingToMap.has(chunk.chunkId));
    const uploadable = onDisk.filter((chunk) => !nothingToMap.has(chunk.chunkId));
    if (upload && uploadable.length === 0 && mappingNothing.length > 0)
      skippedBecause = 'no code worth mapping';

    const status = statusOf(upload, fatal, skippedBecause);
    // Watch rebuilds are superseded by the next one: nothing to retry, so their maps just go.
    const { maps, extraMaps } = planDisposal({
      build: result,
      fresh,
      uploadable,
      unused: [...mappingNothing, ...missing],
      deletion: options.sourcemaps.deleteAfterUpload,
      keepForRetry: (chunkId) =>
        skippedBecause !== 'watch mode' && ['failed', 'pending'].includes(status(chunkId)),
    });
    // Under the project (the working directory), or beside an output outside it: always a parent of
    // the manifest's folder, where `hogmaps upload --manifest` accepts maps from.
    const pendingDir = pendingMapsDir(
      isInside(options.cwd, result.outDir) ? options.cwd : path.dirname(result.outDir),
    );
    const disposal = await disposeMaps(maps, pendingDir, extraMaps);
    const disposalProblems = reportDisposalProblems(logger, disposal, options.cwd, pendingDir);
    const lost = new Map(disposal.lost.map((problem) => [problem.chunkId, problem.reason]));

    const deleted = new Set(maps.map((map) => map.chunkId));
    for (const chunk of uploadable) {
      const failure = upload?.failed.find((failed) => failed.chunkId === chunk.chunkId);
      const failed = failure?.error ?? (fatal ? errorMessage(fatal) : undefined);
      const error = lost.has(chunk.chunkId)
        ? `${failed}; its map could not be kept for a retry (${lost.get(chunk.chunkId)}): rebuild`
        : failed;
      outcomes.set(chunk.chunkId, {
        status: status(chunk.chunkId),
        mapPath:
          disposal.movedAside.get(chunk.chunkId) ?? (deleted.has(chunk.chunkId) ? undefined : chunk.mapPath),
        ...(error ? { error } : {}),
      });
    }

    // Maps an earlier build kept for a retry are not needed once their sets are on the server.
    if (upload && !upload.dryRun)
      await removePendingMaps(pendingDir, [...upload.uploaded, ...upload.alreadyPresent]);

    let manifestPath: string | undefined;
    if (options.manifest.enabled && result.chunks.length > 0) {
      manifestPath = path.resolve(result.outDir, options.manifest.fileName);
      const manifest = manifests.get(manifestPath) ?? newManifest();
      // Every chunk of this output, also those an earlier build of the session already uploaded.
      recordChunks(manifest, path.dirname(manifestPath), result.chunks, outcomes);
      manifest.release = identity ? releaseRecord(identity, releaseId, releaseError) : null;
      manifests.set(manifestPath, manifest);
      await writeManifest(manifestPath, manifest);
    }

    const summary = formatSummary({
      release: releaseLabel(identity),
      releaseNotRegistered: releaseError !== undefined,
      injected: result.chunks.length,
      upload,
      ...(willUpload
        ? { skipped: { noMap: mapless.length, missing: missing.length, mapsNothing: mappingNothing.length } }
        : {}),
      skippedBecause,
      mapsDeleted: disposal.deleted,
      mapsKept: disposal.movedAside.size,
      durationMs: Date.now() - started,
    });
    logger.info(summary);

    const notUploaded = uploadable.filter((chunk) => status(chunk.chunkId) === 'failed');
    const canRetry = notUploaded.filter((chunk) => !lost.has(chunk.chunkId)).length;
    const hint = canRetry > 0 ? retryHint(options.cwd, manifestPath, canRetry) : undefined;
    if (hint) logger.warn(hint);
    if (options.failOnError) {
      const failure = finishFailure({ fatal, notUploaded: notUploaded.length, disposalProblems, hint });
      if (failure) throw failure;
    }
    return { upload, skippedBecause, manifestPath, summary };
  };

  const newManifest = (): Manifest => ({
    manifestVersion: 1,
    tool: `hogmaps/${meta.tool}`,
    createdAt: new Date().toISOString(),
    host: options.host,
    projectId: options.credentials?.projectId ?? null,
    releaseMode: mode,
    release: null,
    chunks: [],
  });

  const session: BuildSession = {
    options,
    logger,
    prepare() {
      prepared ??= doPrepare();
      return prepared;
    },
    chunkIdFor(code, mapText) {
      if (!injection)
        throw new HogmapsError('session_not_prepared', 'BuildSession.prepare() must finish first');
      if (mode === 'event') {
        const debugId = findDebugId(code, mapText);
        if (debugId.adopted !== undefined) return debugId.adopted;
        if (debugId.refused !== undefined) {
          logger.warn(
            `ignoring debug id ${debugId.refused}: not a UUID; the chunk id is derived from the code`,
          );
        }
      }
      return computeChunkId(code, { releaseHashId: injection.releaseHashId });
    },
    warmUpload() {
      if (!mayWarm || startedWorker) return;
      // Not starting one only leaves the finish to start it, as it would without this.
      startedWorker = remote()
        .then(({ startWorkerForUpload }) => startWorkerForUpload(options))
        .catch(() => undefined);
    },
    finishBuild(result) {
      // Builds in one process (client + SSR, multi-compiler) finish one at a time: no chunk twice.
      const next = queue.then(() => doFinish(result));
      queue = next.catch(() => undefined);
      return next;
    },
  };
  return session;
}
