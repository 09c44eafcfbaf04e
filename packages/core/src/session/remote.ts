// What a build session does over the network: register the release, upload the chunks. The session
// imports this module when a build first needs it, so a build without credentials (most local builds)
// never loads the API client or the upload pipeline; at build end a few ms of loading go unnoticed.
import { clientOptionsFrom, createClientFromOptions } from '../api/client-from-options';
import type { Logger } from '../logger';
import type { ResolvedOptions } from '../options/types';
import type { ReleaseIdentity } from '../release/identity';
import { fetchOrCreateRelease } from '../release/resolve';
import { startUploadWorker, type UploadWorker, uploadThreadFor } from '../upload/off-thread';
import { type PathInput, uploadInputsFrom } from '../upload/path-inputs';
import { uploadSymbolSets } from '../upload/pipeline';
import { uploadSettingsFrom } from '../upload/settings';
import type { UploadSummary } from '../upload/types';
import { toManifestPath } from './manifest';
import type { BuildChunk, BuildResult } from './session';

/** Who talks to PostHog: the User-Agent's package and the session's logger. */
export interface RemoteMeta {
  userAgent: string | undefined;
  logger: Logger;
}

/** Fetches or creates the release and returns its id. */
export async function registerRelease(
  options: ResolvedOptions,
  identity: ReleaseIdentity,
  meta: RemoteMeta,
): Promise<string> {
  const api = createClientFromOptions(options, meta);
  try {
    return (await fetchOrCreateRelease(api.releases, identity)).id;
  } finally {
    await api.close();
  }
}

/** The chunks as files (what a worker can be given), named in messages as in the manifest. */
function pathInputs(result: BuildResult, chunks: readonly BuildChunk[]): PathInput[] {
  return chunks.map((chunk) => ({
    chunkId: chunk.chunkId,
    fileName: toManifestPath(result.outDir, chunk.jsPath),
    jsPath: chunk.jsPath,
    mapPath: chunk.mapPath,
  }));
}

/**
 * A worker for a build's upload, started now, when uploadThreadFor picks one at this heap size;
 * undefined for the build's own thread. The session starts it while the bundler renders, so that
 * its boot does not wait for the files to be written.
 */
export function startWorkerForUpload(options: ResolvedOptions): UploadWorker | undefined {
  const needs = { proxy: options.proxyFor !== undefined, rewrite: false };
  const script = uploadThreadFor(options.uploadThread, needs);
  return script && startUploadWorker(script);
}

/**
 * Uploads the symbol sets of one build's chunks, bound to the release `bindTo` names (symbol-set mode):
 * from a worker thread or this one, as uploadThreadFor decides, or from `started` (a worker the
 * session started while the bundler rendered) unless this build must upload from its own thread.
 */
export async function uploadChunks(
  options: ResolvedOptions,
  meta: RemoteMeta,
  result: BuildResult,
  chunks: readonly BuildChunk[],
  bindTo: () => Promise<string | undefined>,
  started?: UploadWorker,
): Promise<UploadSummary> {
  // A build's maps of chunks made only of dependencies map nothing (Nitro's): nothing to upload.
  const settings = {
    releaseId: (await bindTo()) ?? null,
    ...uploadSettingsFrom(options),
    skipMapsNothing: true,
  };
  // A preset's map rewrite is a function, which no worker can be given: this thread uploads.
  const rewrite = result.rewriteSource !== undefined;
  if (rewrite) started?.cancel();
  const worker = rewrite ? undefined : (started ?? startWorkerForUpload(options));
  const inputs = pathInputs(result, chunks);
  if (worker) {
    const { logger: _logger, proxyFor: _proxyFor, ...client } = clientOptionsFrom(options, meta);
    const job = { client, inputs, options: settings, logLevel: meta.logger.level };
    meta.logger.debug(
      `uploading ${inputs.length} symbol sets from a worker thread${started ? ' (started while the bundler rendered)' : ''}`,
    );
    return worker.run(job, meta.logger);
  }
  const api = createClientFromOptions(options, meta);
  try {
    const loaded = uploadInputsFrom(inputs, result.rewriteSource);
    return await uploadSymbolSets(api, loaded, { ...settings, logger: meta.logger });
  } finally {
    await api.close();
  }
}
