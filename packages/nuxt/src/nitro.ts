// Nitro's server bundle (`.output/server`), the server code that is deployed. Its rollup build gets
// hogmaps' rollup plugin; the prerenderer, a Nitro build of its own that is run during the build and
// never deployed, does not.
import type { HogmapsUnplugin, Options } from '@hogmaps/core';

type RollupPlugin = ReturnType<HogmapsUnplugin['rollup']>;

/** The parts of Nitro's rollup config used here. */
export interface NitroRollupConfig {
  plugins?: unknown;
  output?: { sourcemap?: unknown; sourcemapExcludeSources?: boolean };
}

/** The parts of a Nitro instance used here. */
export interface NitroLike {
  hooks: {
    hook(name: 'rollup:before', handler: (nitro: NitroLike, config: NitroRollupConfig) => void): unknown;
  };
}

/** The parts of Nuxt's Nitro config (the `nitro:config` hook) used here. */
export interface NitroConfigLike {
  rollupConfig?: { output?: { sourcemapExcludeSources?: boolean } } & Record<string, unknown>;
}

/**
 * Nitro leaves the original sources out of its maps (`sourcemapExcludeSources: true`); PostHog shows
 * the lines around each frame from them. A value the user set is kept.
 */
export function keepSourcesInMaps(config: NitroConfigLike): void {
  config.rollupConfig ??= {};
  config.rollupConfig.output ??= {};
  config.rollupConfig.output.sourcemapExcludeSources ??= false;
}

/**
 * Adds hogmaps' rollup plugin to the build of `nitro` (and of no other Nitro instance). With
 * `mapsAreOurs`, the hidden maps Nuxt asked Nitro for are left to hogmaps, which then makes them
 * hidden, uploads them and deletes them.
 */
export function addToNitroBuild(
  nitro: NitroLike,
  unplugin: HogmapsUnplugin,
  options: Options,
  mapsAreOurs: boolean,
): void {
  let plugin: RollupPlugin | undefined;
  nitro.hooks.hook('rollup:before', (building, config) => {
    if (building !== nitro) return;
    plugin ??= unplugin.rollup(options);
    const plugins = config.plugins;
    config.plugins = [...(Array.isArray(plugins) ? plugins : plugins ? [plugins] : []), plugin];
    if (mapsAreOurs && config.output?.sourcemap === 'hidden') config.output.sourcemap = undefined;
  });
}
