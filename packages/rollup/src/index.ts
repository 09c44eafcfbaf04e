// @hogmaps/rollup: PostHog chunk ids, release and source-map upload for rollup.
import type { Options } from '@hogmaps/core';
import { createHogmapsUnplugin } from '@hogmaps/core/plugin';
import type { Plugin } from 'rollup';
import { version } from '../package.json';

const unplugin = createHogmapsUnplugin({ version });

/**
 * The hogmaps rollup plugin: `plugins: [hogmapsRollupPlugin({ personalApiKey, projectId })]`. Every
 * output gets chunk ids; symbol sets are uploaded after each output is written (not in watch mode).
 */
export function hogmapsRollupPlugin(options?: Options): Plugin {
  return unplugin.rollup(options);
}

export default hogmapsRollupPlugin;
export type { Options as HogmapsRollupOptions };
