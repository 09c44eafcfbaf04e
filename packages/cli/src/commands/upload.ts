import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  chunksToRetry,
  FileError,
  formatSummary,
  HogmapsError,
  type Manifest,
  type ManifestChunk,
  OFFLINE_CLIENT,
  type ReleaseIdentity,
  readManifest,
  type UploadClient,
  type UploadInput,
  type UploadSummary,
  uploadSymbolSets,
  writeManifest,
} from '@hogmaps/core';
import { UsageError } from '../args';
import { resolveCliOptions, withClient } from '../connection';
import type { CommandContext, CommandSpec } from '../context';
import { registerRelease, releaseLabel } from '../release';
import { plural } from '../sourcemap/files';

// Where the build moved maps it must not ship but could not upload (core's pendingMapsDir).
const PENDING = `${path.sep}.cache${path.sep}hogmaps${path.sep}pending${path.sep}`;

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

function explicitSetting(context: CommandContext, flag: string, ...envNames: string[]): boolean {
  return context.args.string(flag) !== undefined || envNames.some((name) => context.io.env[name]?.trim());
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

function inputFor(manifestDir: string, chunk: ManifestChunk): UploadInput {
  const jsPath = path.resolve(manifestDir, chunk.file);
  return {
    chunkId: chunk.chunkId,
    fileName: chunk.file,
    async load() {
      if (!chunk.map)
        throw new FileError('map_not_found', chunk.file, 'the manifest records no source map for it');
      const mapPath = path.resolve(manifestDir, chunk.map);
      const read = (file: string) =>
        readFile(file).catch((error: Error) => {
          throw new FileError('read_failed', file, `cannot read file (${error.message})`);
        });
      const [minified, map] = await Promise.all([read(jsPath), read(mapPath)]);
      return { minified, map };
    },
  };
}

/** Records each chunk's new status; maps kept aside only for this retry are removed once uploaded. */
async function updateManifest(
  manifest: Manifest,
  manifestDir: string,
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
    if (chunk.map && chunk.status !== 'too-large' && path.resolve(manifestDir, chunk.map).includes(PENDING)) {
      await rm(path.resolve(manifestDir, chunk.map), { force: true });
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
  const manifestDir = path.dirname(manifestPath);
  const hostKnown = explicitSetting(context, 'host', 'POSTHOG_CLI_HOST');
  const projectKnown = explicitSetting(context, 'project-id', 'POSTHOG_CLI_PROJECT_ID', 'POSTHOG_CLI_ENV_ID');
  const options = resolveCliOptions(context, {
    ...(hostKnown ? {} : { host: manifest.host }),
    ...(projectKnown || manifest.projectId === null ? {} : { projectId: manifest.projectId }),
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

  const retry = chunksToRetry(manifest);
  if (retry.length === 0) {
    logger.info(
      `nothing to upload: the ${manifest.chunks.length} symbol sets in ${file} are all on the server`,
    );
    return 0;
  }
  logger.info(
    `${retry.length} of ${manifest.chunks.length} symbol ${plural(manifest.chunks.length, 'set')} still to upload from ${file}`,
  );
  const upload = (client: UploadClient, releaseId: string | null) =>
    context.withProgress(options.dryRun ? 'packing' : 'uploading', (progress) =>
      uploadSymbolSets(
        client,
        retry.map((chunk) => inputFor(manifestDir, chunk)),
        {
          releaseId,
          batchSize: options.sourcemaps.batchSize,
          concurrency: options.concurrency,
          force: options.force,
          skipOnConflict: options.skipOnConflict,
          dryRun: options.dryRun,
          compression: options.compression,
          logger,
          onProgress: (event) => progress.update(event),
        },
      ),
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
    await updateManifest(manifest, manifestDir, summary);
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
  return summary.failed.length > 0 ? 1 : 0;
}

export const uploadCommand: CommandSpec = {
  name: 'upload',
  summary: "finish or retry the upload recorded in a build's manifest, without rebuilding",
  usage: ['upload --manifest <file> [options]'],
  description: [
    'A build with a hogmaps plugin writes hogmaps-manifest.json next to its output: the release, each chunk id ' +
      'with its files and upload status. This uploads only the symbol sets that failed or were never sent, then ' +
      'records the new statuses in the manifest. Host and project id default to the ones the build used.',
  ],
  options: {
    manifest: { type: 'string', value: '<file>', description: 'the manifest of the build (required)' },
    'dry-run': { type: 'boolean', description: 'pack and report, send nothing, leave the manifest as is' },
    'batch-size': {
      type: 'string',
      value: '<n>',
      description: 'symbol sets per start/finish request',
      default: '50',
    },
    concurrency: { type: 'string', value: '<n>', description: 'parallel file uploads', default: '10' },
    force: { type: 'boolean', description: 'replace symbol sets stored with other content' },
    'skip-on-conflict': { type: 'boolean', description: 'keep symbol sets stored with other content' },
  },
  examples: ['hogmaps upload --manifest dist/hogmaps-manifest.json'],
  run: runUpload,
};
