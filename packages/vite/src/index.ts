// @hogmaps/vite: PostHog chunk ids, release and source-map upload for `vite build`.
import type { Options } from '@hogmaps/core';
import { createHogmapsUnplugin } from '@hogmaps/core/plugin';
import type { Plugin } from 'vite';
import { version } from '../package.json';

const unplugin = createHogmapsUnplugin({ version });

/**
 * The hogmaps Vite plugin: `plugins: [hogmapsVitePlugin({ personalApiKey, projectId })]`. Runs in
 * `vite build` only (client, SSR and every environment share one release and one upload); the dev
 * server is left alone.
 */
export function hogmapsVitePlugin(options?: Options): Plugin {
  return unplugin.vite(options);
}

export default hogmapsVitePlugin;
export type { Options as HogmapsViteOptions };
