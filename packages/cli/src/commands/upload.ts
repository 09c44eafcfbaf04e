import { rm } from 'node:fs/promises';
import path from 'node:path';
import {
  chunksToRetry,
  formatSummary,
  HogmapsError,
  isPendingMapPath,
  type Manifest,
  OFFLINE_CLIENT,
  type ReleaseIdentity,
  readManifest,
  type UploadClient,
  type UploadSummary,
  uploadSettingsFrom,
  uploadSymbolSets,
  writeManifest,
} from '@hogmaps/core';
import { UsageError } from '../args';
import { resolveCliOptions, withClient } from '../connection';
import type { CommandContext, CommandSpec } from '../context';
import { checkManifestTarget, manifestInputs } from '../manifest-trust';
import { registerRelease, releaseLabel } from '../release';
import { plural } from '../sourcemap/files';

async function loadManifest(context: CommandContext, file: string): Promise<Manifest> {
  try {
    return await readManifest(file);
  } catch (error) {
    if (error instanceof HogmapsError && error.code === 'manifest_not_found') {
      throw new UsageError(`manifest not found: ${file}`, context.command.name);
    }
    throw error;
  }
}

/** The manifest's release, registered when the build could not do it (symbol-set mode binds to it). */
async function releaseIdFor(
  manifest: Manifest,
  register: (identity: ReleaseIdentity) => Promise<string>,
): Promise<string | null> {
  if (manifest.releaseMode !== 'symbol-set' || !manifest.release) return null;
  if (manifest.release.id) return manifest.release.id;
  const { name, version, hashId } = manifest.release;
  return register({
    name,
    version,
    hashId,
    metadata: undefined,
    sources: { name: 'option', version: 'option' },
  });
}

/** Records each chunk's new status; maps kept aside only for this retry are removed once uploaded. */
async function updateManifest(
  manifest: Manifest,
  manifestPath: string,
  summary: UploadSummary,
): Promise<void> {
  const failed = new Map(summary.failed.map((failure) => [failure.chunkId, failure.error]));
  const uploaded = new Set(summary.uploaded);
  const present = new Set(summary.alreadyPresent);
  const tooLarge = new Set(summary.tooLarge);
  for (const chunk of manifest.chunks) {
    if (failed.has(chunk.chunkId)) {
      chunk.status = 'failed';
      chunk.error = failed.get(chunk.chunkId);
      continue;
    }
    if (tooLarge.has(chunk.chunkId)) chunk.status = 'too-large';
    else if (present.has(chunk.chunkId)) chunk.status = 'already-present';
    else if (uploaded.has(chunk.chunkId)) chunk.status = 'uploaded';
    else continue;
    delete chunk.error;
    if (chunk.status !== 'too-large' && isPendingMapPath(manifestPath, chunk)) {
      await rm(path.resolve(path.dirname(manifestPath), chunk.map!), { force: true });
      chunk.map = null;
    }
  }
}

async function runUpload(context: CommandContext): Promise<number> {
  const { args, io, logger } = context;
  args.positionals(0, 0, '');
  args.exclusive('force', 'skip-on-conflict');
  const file = args.string('manifest');
  if (!file) {
    throw new UsageError(
      '--manifest is required: hogmaps upload --manifest dist/hogmaps-manifest.json (to upload a folder, use hogmaps sourcemap upload <dir>)',
      context.command.name,
    );
  }
  const started = Date.now();
  const manifestPath = path.resolve(io.cwd, file);
  const manifest = await loadManifest(context, manifestPath);
  const options = resolveCliOptions(context, {
    dryRun: args.flag('dry-run'),
    sourcemaps: {
      releaseMode: manifest.releaseMode,
      deleteAfterUpload: false,
      batchSize: args.integer('batch-size', { min: 1, max: 1000 }),
    },
    concurrency: args.integer('concurrency', { min: 1, max: 64 }),
    force: args.flag('force') || undefined,
    skipOnConflict: args.flag('skip-on-conflict') || undefined,
  });
  if (manifest.chunks.length === 0) {
    logger.error(
      `${file} lists no symbol sets: the build uploaded nothing and kept nothing to retry (it ran without ` +
        'PostHog credentials, or emitted no source maps). Set POSTHOG_PERSONAL_API_KEY and POSTHOG_PROJECT_ID ' +
        '(or the plugin options) and rebuild',
    );
    return 1;
  }
  checkManifestTarget(context, file, manifest, options);
  const unreleased = unregisteredRelease(manifest, file);

  const retry = chunksToRetry(manifest);
  if (retry.length === 0) {
    logger.info(`nothing to upload: the ${manifest.chunks.length} symbol sets in ${file} are all settled`);
    if (unreleased) logger.error(unreleased);
    return unreleased ? 1 : 0;
  }
  logger.info(
    `${retry.length} of ${manifest.chunks.length} symbol ${plural(manifest.chunks.length, 'set')} still to upload from ${file}`,
  );
  const inputs = await manifestInputs(manifestPath, manifest, retry);
  const upload = (client: UploadClient, releaseId: string | null) =>
    context.withProgress(options.dryRun ? 'packing' : 'uploading', (progress) =>
      uploadSymbolSets(client, inputs, {
        releaseId,
        ...uploadSettingsFrom(options),
        logger,
        onProgress: (event) => progress.update(event),
      }),
    );
  const summary = options.dryRun
    ? await upload(OFFLINE_CLIENT, manifest.release?.id ?? null)
    : await withClient(context, options, async (client) =>
        upload(
          client,
          await releaseIdFor(manifest, async (identity) => (await registerRelease(client, identity)).id),
        ),
      );
  if (!options.dryRun) {
    await updateManifest(manifest, manifestPath, summary);
    await writeManifest(manifestPath, manifest);
  }
  logger.info(
    formatSummary({
      release: releaseLabel(manifest.release),
      injected: retry.length,
      upload: summary,
      skippedBecause: undefined,
      mapsDeleted: 0,
      durationMs: Date.now() - started,
    }),
  );
  if (unreleased) logger.error(unreleased);
  return summary.failed.length > 0 || unreleased ? 1 : 0;
}

/**
 * An event-mode build that could not register its release shipped code without a release id: no
 * upload can put it there, only a rebuild. Says so, instead of calling the manifest done.
 */
function unregisteredRelease(manifest: Manifest, file: string): string | undefined {
  const { release } = manifest;
  if (manifest.releaseMode !== 'event' || !release || release.id) return undefined;
  const why = release.error ? ` (${release.error})` : '';
  return (
    `the build behind ${file} did not register release ${release.name}@${release.version}${why}, so its code ` +
    'carries no release id and its errors will not be linked to a release: rebuild (and redeploy) with PostHog reachable'
  );
}

export const uploadCommand: CommandSpec = {
  name: 'upload',
  summary: "finish or retry the upload recorded in a build's manifest, without rebuilding",
  usage: ['upload --manifest <file> [options]'],
  description: [
    'A build with a hogmaps plugin writes hogmaps-manifest.json next to its output: the release, each chunk id ' +
      'with its files and upload status. This uploads only the symbol sets that failed or were never sent, then ' +
      'records the new statuses in the manifest. Host, project id and key come from the flags and the environment ' +
      'only: a manifest written for another host or project is refused, and every file it names must be in its ' +
      'folder (or a map the build moved to node_modules/.cache/hogmaps/pending).',
  ],
  options: {
    manifest: { type: 'string', value: '<file>', description: 'the manifest of the build (required)' },
    'dry-run': { type: 'boolean', description: 'pack and report, send nothing, leave the manifest as is' },
    'batch-size': {
      type: 'string',
      value: '<n>',
      description: 'most symbol sets per start/finish request (the first has --concurrency)',
      default: '50',
    },
    concurrency: { type: 'string', value: '<n>', description: 'parallel file uploads', default: '10' },
    force: { type: 'boolean', description: 'replace symbol sets stored with other content' },
    'skip-on-conflict': { type: 'boolean', description: 'keep symbol sets stored with other content' },
    'ignore-manifest-target': {
      type: 'boolean',
      description:
        "upload to the host and project of the flags and environment even when the manifest's differ",
    },
  },
  examples: ['hogmaps upload --manifest dist/hogmaps-manifest.json'],
  run: runUpload,
};
