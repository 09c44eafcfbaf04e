import { hogmapsRspackPlugin } from '@hogmaps/rspack';
import { type Configuration, type RspackPluginInstance, rspack } from '@rspack/core';
import type { BundlerRunner, NeutralBuild } from '../types';
import { entryHashbang, outcome, runCompiler, xpackBaseConfig } from './xpack-config';

/** The rspack configuration of a neutral build: CSS through rspack's built-in CSS support. */
export function rspackConfig(config: NeutralBuild): Configuration {
  const base = xpackBaseConfig(config);
  const hashbang = config.platform === 'node' ? entryHashbang(config) : undefined;
  const plugins: RspackPluginInstance[] = [];
  if (hashbang) plugins.push(new rspack.BannerPlugin({ banner: hashbang, raw: true, entryOnly: true }));
  if (config.hogmaps) plugins.push(hogmapsRspackPlugin(config.hogmaps));
  return {
    ...base,
    module: { rules: [{ test: /\.css$/i, type: 'css/auto' }] },
    plugins,
  };
}

export const rspackRunner: BundlerRunner = {
  name: 'rspack',
  hashesNames: true,
  async build(config) {
    const warnings = await runCompiler(rspack(rspackConfig(config)));
    return outcome(config, warnings);
  },
};

export default rspackRunner;
