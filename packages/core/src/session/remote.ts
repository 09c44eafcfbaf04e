// What a build session does over the network: register the release, upload the chunks. The session
// imports this module when a build first needs it, so a build without credentials (most local builds)
// never loads the API client or the upload pipeline; at build end a few ms of loading go unnoticed.
import { clientOptionsFrom, createClientFromOptions } from '../api/client-from-options';
import type { Logger } from '../logger';
import type { ResolvedOptions } from '../options/types';
import type { ReleaseIdentity } from '../release/identity';
import { fetchOrCreateRelease } from '../release/resolve';
import { uploadOffThread, uploadThreadFor } from '../upload/off-thread';
import { uploadSymbolSets } from '../upload/pipeline';
import { readSourcePair } from '../upload/read-pair';
import { rewriteMapSources } from '../upload/rewrite-sources';
import { uploadSettingsFrom } from '../upload/settings';
import type { UploadInput, UploadSummary } from '../upload/types';
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

function toInputs(result: BuildResult, chunks: readonly BuildChunk[]): UploadInput[] {
  return chunks.map((chunk) => {
    const fileName = toManifestPath(result.outDir, chunk.jsPath);
    const rewrite = result.rewriteSource;
    return {
      chunkId: chunk.chunkId,
      fileName,
      load: async () => {
        const pair = await readSourcePair(chunk.jsPath, chunk.mapPath, fileName);
        if (!rewrite || !chunk.mapPath) return pair;
        const mapPath = chunk.mapPath;
        return { ...pair, map: rewriteMapSources(pair.map, (source) => rewrite(source, mapPath)) };
      },
    };
  });
}

/**
 * Uploads the symbol sets of one build's chunks, bound to the release `bindTo` names (symbol-set mode):
 * from a worker thread or this one, as uploadThreadFor decides.
 */
export async function uploadChunks(
  options: ResolvedOptions,
  meta: RemoteMeta,
  result: BuildResult,
  chunks: readonly BuildChunk[],
  bindTo: () => Promise<string | undefined>,
): Promise<UploadSummary> {
  const settings = { releaseId: (await bindTo()) ?? null, ...uploadSettingsFrom(options) };
  const script = uploadThreadFor(options.uploadThread, {
    proxy: options.proxyFor !== undefined,
    rewrite: result.rewriteSource !== undefined,
  });
  if (script) {
    const { logger: _logger, proxyFor: _proxyFor, ...client } = clientOptionsFrom(options, meta);
    const inputs = chunks.map((chunk) => ({
      chunkId: chunk.chunkId,
      fileName: toManifestPath(result.outDir, chunk.jsPath),
      jsPath: chunk.jsPath,
      mapPath: chunk.mapPath,
    }));
    const job = { client, inputs, options: settings, logLevel: meta.logger.level };
    meta.logger.debug(`uploading ${inputs.length} symbol sets from a worker thread`);
    return uploadOffThread(script, job, meta.logger);
  }
  const api = createClientFromOptions(options, meta);
  try {
    return await uploadSymbolSets(api, toInputs(result, chunks), { ...settings, logger: meta.logger });
  } finally {
    await api.close();
  }
}
