import { hogmapsRollupPlugin } from '@hogmaps/rollup';
import { type OutputOptions, type Plugin, type RollupOptions, rollup, watch } from 'rollup';
import { minify } from 'terser';
import type { BundlerRunner, NeutralBuild } from '../types';
import {
  absoluteEntries,
  cssAssetsPlugin,
  fileNames,
  firstWatchBuild,
  formatWarning,
  outcome,
  userSourcemap,
} from './rollup-shared';

/** Minifies each chunk in renderChunk, as @rollup/plugin-terser does, with a map for rollup to chain. */
function terserPlugin(module: boolean): Plugin {
  return {
    name: 'scenario-terser',
    async renderChunk(code) {
      const result = await minify(code, { module, sourceMap: { asObject: true } });
      return { code: result.code ?? '', map: result.map as never };
    },
  };
}

/** The rollup configuration of a neutral build: ESM for browsers, CommonJS for Node, terser to minify. */
export function rollupConfig(
  config: NeutralBuild,
  warnings: string[],
): RollupOptions & { output: OutputOptions } {
  const node = config.platform === 'node';
  const plugins: Plugin[] = [cssAssetsPlugin() as Plugin];
  if (config.hogmaps) plugins.push(hogmapsRollupPlugin(config.hogmaps));
  if (config.minify !== false) plugins.push(terserPlugin(!node));
  return {
    input: absoluteEntries(config),
    plugins,
    onwarn: (warning) => warnings.push(formatWarning(warning)),
    output: {
      dir: config.outDir,
      format: node ? 'cjs' : 'es',
      ...fileNames(config),
      ...userSourcemap(config),
    },
  };
}

export const rollupRunner: BundlerRunner = {
  name: 'rollup',
  hashesNames: true,
  async build(config) {
    const warnings: string[] = [];
    const { output, ...input } = rollupConfig(config, warnings);
    const bundle = await rollup(input);
    try {
      await bundle.write(output);
    } finally {
      await bundle.close();
    }
    return outcome(config, warnings);
  },
};

/** `rollup --watch`: the first build only. */
export async function rollupWatchOnce(config: NeutralBuild) {
  const warnings: string[] = [];
  await firstWatchBuild(watch({ ...rollupConfig(config, warnings), watch: { clearScreen: false } }) as never);
  return outcome(config, warnings);
}

export default rollupRunner;
