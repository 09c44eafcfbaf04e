import type { Options } from '@hogmaps/core';
import { createHogmapsUnplugin } from '@hogmaps/core/plugin';
import type { Compiler, RspackPluginInstance } from '@rspack/core';
import { version } from '../package.json';

const unplugin = createHogmapsUnplugin({ version });

/** PostHog error tracking for rspack: `plugins: [hogmapsRspackPlugin({ personalApiKey, projectId })]`. */
export function hogmapsRspackPlugin(options?: Options): RspackPluginInstance {
  return unplugin.rspack(options);
}

/** The same plugin as a class, like `@posthog/webpack-plugin`'s: `new HogmapsRspackPlugin({ … })`. */
export class HogmapsRspackPlugin implements RspackPluginInstance {
  readonly #plugin: RspackPluginInstance;
  constructor(options?: Options) {
    this.#plugin = hogmapsRspackPlugin(options);
  }

  apply(compiler: Compiler): void {
    this.#plugin.apply(compiler);
  }
}

export default hogmapsRspackPlugin;
export type { Options as HogmapsRspackOptions };
