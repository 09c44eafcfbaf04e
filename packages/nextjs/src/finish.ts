import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  createLogger,
  describeMissingCredentials,
  errorMessage,
  findSourceMappingUrl,
  getBuildSession,
  isHogmapsError,
  processDirectory,
  type ResolvedOptions,
  shouldFailBuild,
} from '@hogmaps/core';
import type { NextConfig } from 'next';
import { type NextBundler, turbopackRoot } from './bundler';
import type { MapOwnership } from './maps';
import { createSourceRewriter } from './sources';

/** What `compiler.runAfterProductionCompile` receives from Next. */
export interface AfterCompileMetadata {
  projectDir: string;
  distDir: string;
}

export interface FinishSettings {
  options: ResolvedOptions;
  bundler: NextBundler;
  owned: MapOwnership;
  userAgent: string;
  /** The user's config (where Turbopack's root may be set). */
  config: NextConfig;
}

/**
 * Runs once in Next's main process after every compiler is done (webpack: client, server and edge,
 * maybe in build workers; Turbopack): the chunks under `<distDir>/static` (what the browser loads)
 * and `<distDir>/server` (what `next start` runs) go through core's folder pipeline into one build
 * session: one release, one upload, one manifest (`<distDir>/hogmaps-manifest.json`), one summary line.
 * webpack chunks were injected in memory by the compilers and are only read here; Turbopack's are
 * injected on disk here.
 */
export async function finishNextBuild(
  metadata: AfterCompileMetadata,
  settings: FinishSettings,
): Promise<void> {
  const { options, bundler, owned } = settings;
  const logger = createLogger({ level: options.logLevel });
  const distDir = path.resolve(metadata.projectDir, metadata.distDir);
  const staticDir = path.join(distDir, 'static');
  const serverDir = path.join(distDir, 'server');
  const roots = [staticDir, serverDir].filter((dir) => existsSync(dir));
  // Folders with no map of Next's own: every map there (orphans such as Turbopack's nomodule polyfill
  // map, CSS maps) is hogmaps' and goes. webpack's server folder also holds the edge compiler's maps.
  const ownedFolders = [
    ...(owned.client ? [staticDir] : []),
    ...(owned.server && bundler === 'turbopack' ? [serverDir] : []),
  ].filter((dir) => existsSync(dir));
  const session = getBuildSession(options, { tool: 'nextjs', logger, userAgent: settings.userAgent });
  const isClient = (file: string) => file.startsWith(staticDir + path.sep);
  const ownsMap = ({ jsPath }: { jsPath: string }) => {
    if (!(isClient(jsPath) ? owned.client : owned.server)) return false;
    // webpack: hogmaps' hidden maps are never referenced; a referenced map is Next's (the edge compiler).
    return bundler === 'turbopack' || findSourceMappingUrl(readFileSync(jsPath, 'utf8')) === undefined;
  };
  try {
    await processDirectory({
      roots,
      options,
      cwd: metadata.projectDir,
      logger,
      handoff: {
        session,
        outDir: distDir,
        ownsMap,
        ownedFolders,
        rewriteSource: createSourceRewriter(
          metadata.projectDir,
          bundler === 'turbopack' ? turbopackRoot(metadata.projectDir, settings.config) : undefined,
        ),
      },
    });
  } catch (error) {
    if (isHogmapsError(error) && ['no_source_files', 'no_source_maps'].includes(error.code)) {
      // Nothing to map is only news when an upload was expected.
      logger.warn(describeMissingCredentials(options) ?? `nothing uploaded: ${errorMessage(error)}`);
      return;
    }
    if (shouldFailBuild(error, options)) throw error;
    logger.error(errorMessage(error));
  }
}
