import path from 'node:path';
import { createClientFromOptions } from '../api/client-from-options';
import { computeChunkId } from '../chunk-id/compute';
import { errorMessage, HogmapsError } from '../errors';
import { createLogger, type Logger } from '../logger';
import { describeMissingCredentials } from '../options/describe';
import type { ReleaseMode, ResolvedOptions } from '../options/types';
import { detectReleaseIdentity, type ReleaseIdentity } from '../release/identity';
import { fetchOrCreateRelease } from '../release/resolve';
import { uploadSymbolSets } from '../upload/pipeline';
import { readSourcePair } from '../upload/read-pair';
import type { UploadInput, UploadSummary } from '../upload/types';
import {
  type ChunkOutcome,
  type Manifest,
  type ManifestChunkStatus,
  recordChunks,
  toManifestPath,
  writeManifest,
} from './manifest';
import { disposeMaps, type MapToDispose, pendingMapsDir } from './map-policy';
import { formatSummary } from './summary';
import { sortByMap } from './uploadable';

export type BundlerName = 'vite' | 'rollup' | 'rolldown' | 'webpack' | 'rspack' | 'esbuild';

export interface SessionMeta {
  /** Who drives the session: a bundler key, or `cli`. */
  tool: BundlerName | 'cli';
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
  /** The deterministic chunk id of a chunk's code before injection (call after `prepare`). */
  chunkIdFor(code: string | Uint8Array): string;
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
  let prepared: Promise<InjectionContext> | undefined;
  let injection: InjectionContext | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let warnedNoCredentials = false;

  for (const note of options.notes) logger[note.level](note.message);

  const client = () => createClientFromOptions(options, { userAgent: meta.userAgent, logger });

  const registerRelease = async (): Promise<string | undefined> => {
    if (releaseId || !identity || !options.credentials || options.dryRun) return releaseId;
    const api = client();
    try {
      const release = await fetchOrCreateRelease(api.releases, identity);
      releaseId = release.id;
      logger.debug(`release ${releaseLabel(identity)} is ${release.id}`);
    } finally {
      await api.close();
    }
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
        if (options.failOnError) throw error;
        logger.warn(`could not register the release, injecting chunk ids only: ${errorMessage(error)}`);
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

  const toInputs = (outDir: string, chunks: readonly BuildChunk[]): UploadInput[] =>
    chunks.map((chunk) => {
      const fileName = toManifestPath(outDir, chunk.jsPath);
      return {
        chunkId: chunk.chunkId,
        fileName,
        load: () => readSourcePair(chunk.jsPath, chunk.mapPath, fileName),
      };
    });

  const doFinish = async (result: BuildResult): Promise<BuildReport> => {
    const started = Date.now();
    await (prepared ?? session.prepare());
    const fresh = result.chunks.filter((chunk) => !handled.has(chunk.chunkId));
    for (const chunk of fresh) handled.add(chunk.chunkId);

    const willUpload = options.credentials !== undefined && (!result.watch || options.uploadInWatchMode);
    // What cannot be uploaded is skipped, counted in the summary and listed at debug level: never a
    // failure, and never an end to this finish (see sortByMap).
    const { uploadable, mapless, missing, mappingNothing } = await sortByMap(fresh, willUpload);

    let skippedBecause: string | undefined;
    if (!options.credentials) skippedBecause = 'no credentials';
    else if (result.watch && !options.uploadInWatchMode) skippedBecause = 'watch mode';
    else if (fresh.length === 0) skippedBecause = 'no new chunks';
    else if (uploadable.length === 0)
      skippedBecause = mappingNothing.length > 0 ? 'no code worth mapping' : 'no source maps';
    if (!options.credentials) warnNoCredentials();
    else if (willUpload) {
      const list = (chunks: readonly BuildChunk[], why: string) =>
        chunks.map((chunk) => `${toManifestPath(result.outDir, chunk.jsPath)} (${why})`);
      const skipped = [
        ...list(mapless, 'no source map'),
        ...list(missing, 'file missing'),
        ...list(mappingNothing, 'map maps nothing'),
      ];
      if (skipped.length > 0) logger.debug(`skipped ${skipped.length} chunks: ${skipped.join(', ')}`);
    }

    let upload: UploadSummary | undefined;
    let fatal: unknown;
    if (!skippedBecause) {
      const api = client();
      try {
        const bindTo = mode === 'symbol-set' ? await registerRelease() : undefined;
        upload = await uploadSymbolSets(api, toInputs(result.outDir, uploadable), {
          releaseId: bindTo ?? null,
          batchSize: options.sourcemaps.batchSize,
          concurrency: options.concurrency,
          force: options.force,
          skipOnConflict: options.skipOnConflict,
          dryRun: options.dryRun,
          compression: options.compression,
          logger,
        });
      } catch (error) {
        fatal = error;
        logger.error(`upload failed: ${errorMessage(error)}`);
      } finally {
        await api.close();
      }
    }

    const status = statusOf(upload, fatal, skippedBecause);
    const deletion = options.sourcemaps.deleteAfterUpload;
    // Watch rebuilds are superseded by the next one: nothing to retry, so their maps just go.
    const retryable = (chunkId: string) =>
      skippedBecause !== 'watch mode' && ['failed', 'pending'].includes(status(chunkId));
    const maps: MapToDispose[] = uploadable
      .filter((chunk) => deletion && chunk.mapIsOurs)
      .map((chunk) => ({
        chunkId: chunk.chunkId,
        mapPath: chunk.mapPath!,
        keepForRetry: retryable(chunk.chunkId),
      }));
    // A chunk id an earlier build of this session handled (a MultiCompiler's byte-identical chunk): its
    // symbol set went (or waits for a retry) with that build, so this build's copy of our map just goes.
    const freshChunks = new Set(fresh);
    const repeatedMaps = result.chunks
      .filter((chunk) => !freshChunks.has(chunk) && chunk.mapIsOurs && chunk.mapPath)
      .map((chunk) => chunk.mapPath!);
    // Maps of ours that go with no upload: those mapping nothing, and those whose JS is gone.
    const unused = [...mappingNothing, ...missing]
      .filter((chunk) => chunk.mapIsOurs && chunk.mapPath)
      .map((chunk) => chunk.mapPath!);
    const extraMaps = deletion ? [...(result.extraMapsToDelete ?? []), ...repeatedMaps, ...unused] : [];
    const disposal = await disposeMaps(maps, pendingMapsDir(options.cwd), extraMaps);

    const deleted = new Set(maps.map((map) => map.chunkId));
    for (const chunk of uploadable) {
      const failure = upload?.failed.find((failed) => failed.chunkId === chunk.chunkId);
      const error = failure?.error ?? (fatal ? errorMessage(fatal) : undefined);
      outcomes.set(chunk.chunkId, {
        status: status(chunk.chunkId),
        mapPath:
          disposal.movedAside.get(chunk.chunkId) ?? (deleted.has(chunk.chunkId) ? undefined : chunk.mapPath),
        ...(error ? { error } : {}),
      });
    }

    let manifestPath: string | undefined;
    if (options.manifest.enabled && result.chunks.length > 0) {
      manifestPath = path.resolve(result.outDir, options.manifest.fileName);
      const manifest = manifests.get(manifestPath) ?? newManifest();
      // Every chunk of this output, also those an earlier build of the session already uploaded.
      recordChunks(manifest, path.dirname(manifestPath), result.chunks, outcomes);
      manifest.release = identity
        ? { id: releaseId ?? null, name: identity.name, version: identity.version, hashId: identity.hashId }
        : null;
      manifests.set(manifestPath, manifest);
      await writeManifest(manifestPath, manifest);
    }

    const summary = formatSummary({
      release: releaseLabel(identity),
      injected: result.chunks.length,
      upload,
      ...(willUpload
        ? { skipped: { noMap: mapless.length, missing: missing.length, mapsNothing: mappingNothing.length } }
        : {}),
      skippedBecause,
      mapsDeleted: disposal.deleted,
      durationMs: Date.now() - started,
    });
    logger.info(summary);

    const failures = (upload?.failed.length ?? 0) > 0 || fatal !== undefined;
    if (failures && options.failOnError) {
      throw new HogmapsError(
        'upload_failed',
        fatal
          ? `hogmaps upload failed: ${errorMessage(fatal)}`
          : `hogmaps upload failed for ${upload!.failed.length} symbol sets`,
        { cause: fatal },
      );
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
    chunkIdFor(code) {
      if (!injection)
        throw new HogmapsError('session_not_prepared', 'BuildSession.prepare() must finish first');
      return computeChunkId(code, { releaseHashId: injection.releaseHashId });
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

function statusOf(
  upload: UploadSummary | undefined,
  fatal: unknown,
  skippedBecause: string | undefined,
): (chunkId: string) => ManifestChunkStatus {
  if (!upload) return () => (fatal ? 'failed' : skippedBecause === 'no new chunks' ? 'uploaded' : 'pending');
  const uploaded = new Set(upload.uploaded);
  const present = new Set(upload.alreadyPresent);
  const tooLarge = new Set(upload.tooLarge);
  const failed = new Set(upload.failed.map((failure) => failure.chunkId));
  return (chunkId) => {
    if (failed.has(chunkId)) return 'failed';
    if (tooLarge.has(chunkId)) return 'too-large';
    if (present.has(chunkId)) return 'already-present';
    if (uploaded.has(chunkId)) return upload.dryRun ? 'pending' : 'uploaded';
    return 'pending';
  };
}
