// @hogmaps/esbuild: PostHog chunk ids, release and source-map upload for esbuild.
import type { Options } from '@hogmaps/core';
import { createHogmapsUnplugin } from '@hogmaps/core/plugin';
import type { Plugin } from 'esbuild';

const unplugin = createHogmapsUnplugin({ version: '0.1.0' });

/**
 * The hogmaps esbuild plugin: `plugins: [hogmapsEsbuildPlugin({ personalApiKey, projectId })]`. Every
 * output file, code-split chunks included, gets a chunk id before it is written; symbol sets are
 * uploaded when the first build of a build() or context() ends (rebuilds only with `uploadInWatchMode`).
 */
export function hogmapsEsbuildPlugin(options?: Options): Plugin {
  return unplugin.esbuild(options);
}

export default hogmapsEsbuildPlugin;
export type { Options as HogmapsEsbuildOptions };
