// The only module that imports unplugin. One plugin named `hogmaps` per bundler, built from one
// PluginContext per plugin instance; the bundler-specific hooks do all the work (unplugin's generic
// hooks lack renderChunk, generateBundle and per-output arguments).
import { createUnplugin, type UnpluginInstance, type UnpluginOptions } from 'unplugin';
import { HogmapsError } from '../errors';
import type { Options } from '../options/types';
import type { BundlerName } from '../session/session';
import { createEsbuildSetup } from './bundlers/esbuild';
import { createRolldownHooks, createRollupHooks, createViteHooks } from './bundlers/rollup';
import { applyXpackPlugin } from './bundlers/xpack';
import { createPluginContext, type PluginContext, type PluginMeta } from './context';

/** The name of the plugin in every bundler (in warnings, errors and plugin lists). */
export const PLUGIN_NAME = 'hogmaps';

/** `.vite(options)`, `.rollup(options)`, … each returning one plugin in that bundler's type. */
export type HogmapsUnplugin = UnpluginInstance<Options | undefined, false>;

const BUNDLERS: readonly BundlerName[] = ['vite', 'rollup', 'rolldown', 'webpack', 'rspack', 'esbuild'];

function toBundlerName(framework: string): BundlerName {
  if ((BUNDLERS as readonly string[]).includes(framework)) return framework as BundlerName;
  throw new HogmapsError(
    'unsupported_bundler',
    `hogmaps does not support ${framework}; use one of ${BUNDLERS.join(', ')}, or the hogmaps CLI after the build`,
  );
}

/** The bundler's own hooks; in unplugin they replace the generic hooks of the same name. */
function pluginFor(context: PluginContext): UnpluginOptions {
  const plugin: UnpluginOptions = { name: PLUGIN_NAME };
  // Disabled: a plugin without hooks, so the build is exactly what it would be without hogmaps.
  if (!context.active) return plugin;
  switch (context.bundler) {
    case 'rollup':
      return { ...plugin, rollup: createRollupHooks(context) };
    case 'rolldown':
      return { ...plugin, rolldown: createRolldownHooks(context) };
    case 'vite':
      return { ...plugin, vite: createViteHooks(context) };
    case 'webpack':
      return { ...plugin, webpack: (compiler) => applyXpackPlugin(compiler, context) };
    case 'rspack':
      return { ...plugin, rspack: (compiler) => applyXpackPlugin(compiler, context) };
    case 'esbuild':
      return { ...plugin, esbuild: { setup: createEsbuildSetup(context) } };
  }
}

/** Who creates the unplugin: its package version (User-Agent) and, for a framework, its project root
 * and maybe who finishes builds. */
export type UnpluginMeta = PluginMeta;

/**
 * The hogmaps unplugin. Options are resolved (and validated, throwing one OptionsError naming every
 * bad option) when the plugin is created, i.e. when the bundler config is loaded.
 */
export function createHogmapsUnplugin(meta: UnpluginMeta = {}): HogmapsUnplugin {
  return createUnplugin<Options | undefined, false>((userOptions, unplugin) =>
    pluginFor(createPluginContext(userOptions, toBundlerName(unplugin.framework), meta)),
  );
}
