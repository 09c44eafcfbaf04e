import type { Options } from '@hogmaps/core';
import { createHogmapsUnplugin } from '@hogmaps/core/plugin';
import type { Compiler, WebpackPluginInstance } from 'webpack';
import { version } from '../package.json';

const unplugin = createHogmapsUnplugin({ version });

/** PostHog error tracking for webpack: `plugins: [hogmapsWebpackPlugin({ personalApiKey, projectId })]`. */
export function hogmapsWebpackPlugin(options?: Options): WebpackPluginInstance {
  return unplugin.webpack(options);
}

/** The same plugin as a class, as `@posthog/webpack-plugin` offers it: `new HogmapsWebpackPlugin({ … })`. */
export class HogmapsWebpackPlugin implements WebpackPluginInstance {
  readonly #plugin: WebpackPluginInstance;
  constructor(options?: Options) {
    this.#plugin = hogmapsWebpackPlugin(options);
  }

  apply(compiler: Compiler): void {
    this.#plugin.apply(compiler);
  }
}

export default hogmapsWebpackPlugin;
export type { Options as HogmapsWebpackOptions };
