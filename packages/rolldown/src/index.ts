// @hogmaps/rolldown: PostHog chunk ids, release and source-map upload for rolldown.
import type { Options } from '@hogmaps/core';
import { createHogmapsUnplugin } from '@hogmaps/core/plugin';
import type { Plugin } from 'rolldown';
import { version } from '../package.json';

const unplugin = createHogmapsUnplugin({ version });

/**
 * The hogmaps rolldown plugin: `plugins: [hogmapsRolldownPlugin({ personalApiKey, projectId })]`.
 * Chunk ids are injected before minification and hashing; the upload runs after each output is written.
 */
export function hogmapsRolldownPlugin(options?: Options): Plugin {
  return unplugin.rolldown(options);
}

export default hogmapsRolldownPlugin;
export type { Options as HogmapsRolldownOptions };
