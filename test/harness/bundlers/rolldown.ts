import { hogmapsRolldownPlugin } from '@hogmaps/rolldown';
import { type OutputOptions, type Plugin, type RolldownOptions, rolldown, watch } from 'rolldown';
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

/** The rolldown configuration of a neutral build: ESM for browsers, CommonJS for Node, built-in minifier. */
export function rolldownConfig(
  config: NeutralBuild,
  warnings: string[],
): RolldownOptions & { output: OutputOptions } {
  const node = config.platform === 'node';
  const plugins: Plugin[] = [cssAssetsPlugin() as Plugin];
  if (config.hogmaps) plugins.push(hogmapsRolldownPlugin(config.hogmaps));
  return {
    input: absoluteEntries(config),
    platform: node ? 'node' : 'browser',
    plugins,
    onwarn: (warning) => warnings.push(formatWarning(warning)),
    output: {
      dir: config.outDir,
      format: node ? 'cjs' : 'es',
      minify: config.minify !== false,
      ...fileNames(config),
      ...userSourcemap(config),
    },
  };
}

export const rolldownRunner: BundlerRunner = {
  name: 'rolldown',
  hashesNames: true,
  async build(config) {
    const warnings: string[] = [];
    const { output, ...input } = rolldownConfig(config, warnings);
    const bundle = await rolldown(input);
    try {
      await bundle.write(output);
    } finally {
      await bundle.close();
    }
    return outcome(config, warnings);
  },
};

/** `rolldown --watch`: the first build only. */
export async function rolldownWatchOnce(config: NeutralBuild) {
  const warnings: string[] = [];
  await firstWatchBuild(
    watch({ ...rolldownConfig(config, warnings), watch: { clearScreen: false } }) as never,
  );
  return outcome(config, warnings);
}

export default rolldownRunner;
