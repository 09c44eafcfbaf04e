import {
  FileError,
  type Manifest,
  type ManifestChunk,
  type ResolvedOptions,
  resolveManifestChunkFiles,
  type UploadInput,
  uploadInputsFrom,
} from '@hogmaps/core';
import { UsageError } from './args';
import type { CommandContext } from './context';

function normalizeHost(host: string): string {
  const url = new URL(host);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * A manifest is untrusted: host, project and key come from flags and the environment only. A manifest
 * written for another host or project is refused (the key would go where the file says), unless
 * `--ignore-manifest-target` says to upload to the flags' target anyway.
 */
export function checkManifestTarget(
  context: CommandContext,
  file: string,
  manifest: Manifest,
  options: ResolvedOptions,
): void {
  // A dry run sends nothing, so no key can go anywhere.
  if (options.dryRun || context.args.flag('ignore-manifest-target')) return;
  const differences: string[] = [];
  const host = normalizeHost(manifest.host);
  if (host !== options.host) differences.push(`host ${host} (this upload: ${options.host})`);
  const project = options.credentials?.projectId;
  if (manifest.projectId !== null && project !== undefined && manifest.projectId !== project) {
    differences.push(`project ${manifest.projectId} (this upload: ${project})`);
  }
  if (differences.length === 0) return;
  const flags = [
    ...(host !== options.host ? [`--host ${host}`] : []),
    ...(manifest.projectId !== null && manifest.projectId !== project
      ? [`--project-id ${manifest.projectId}`]
      : []),
  ];
  throw new UsageError(
    `${file} was written for ${differences.join(' and ')}. The API key only goes where you point it: ` +
      `pass ${flags.join(' ')} (or set POSTHOG_CLI_HOST / POSTHOG_CLI_PROJECT_ID) to upload there, ` +
      'or --ignore-manifest-target to upload to this target anyway. Nothing was uploaded.',
    context.command.name,
  );
}

/**
 * The upload inputs of manifest entries. Every path is checked first (inside the manifest's folder,
 * or a pending map a build moved aside), so a tampered manifest is refused before anything is read or
 * sent; each file is then validated as it is read (UTF-8 JavaScript, a JSON source map), into memory
 * the run reuses as a build's upload does.
 */
export async function manifestInputs(
  manifestFile: string,
  manifest: Manifest,
  chunks: readonly ManifestChunk[],
): Promise<UploadInput[]> {
  const files = await Promise.all(
    chunks.map((chunk) => resolveManifestChunkFiles(manifestFile, chunk, manifest.chunks.indexOf(chunk))),
  );
  const inputs = uploadInputsFrom(
    files.map(({ jsPath, mapPath }, index) => ({
      chunkId: chunks[index]!.chunkId,
      fileName: chunks[index]!.file,
      jsPath,
      mapPath,
    })),
  );
  return inputs.map((input, index) =>
    files[index]!.mapPath
      ? input
      : {
          ...input,
          load() {
            throw new FileError('map_not_found', input.fileName, 'the manifest records no source map for it');
          },
        },
  );
}
