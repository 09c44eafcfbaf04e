import { hogmapsWebpackPlugin } from '@hogmaps/webpack';
import MiniCssExtractPlugin from 'mini-css-extract-plugin';
import webpack, { type Configuration, type WebpackPluginInstance } from 'webpack';
import type { BundlerRunner, NeutralBuild } from '../types';
import { entryHashbang, outcome, runCompiler, xpackBaseConfig } from './xpack-config';

/** The webpack configuration of a neutral build: CSS through mini-css-extract-plugin + css-loader. */
export function webpackConfig(config: NeutralBuild): Configuration {
  const base = xpackBaseConfig(config);
  const hashbang = config.platform === 'node' ? entryHashbang(config) : undefined;
  const plugins: WebpackPluginInstance[] = [
    new MiniCssExtractPlugin({
      filename: base.output.cssFilename,
      chunkFilename: base.output.cssChunkFilename,
    }),
  ];
  if (hashbang) plugins.push(new webpack.BannerPlugin({ banner: hashbang, raw: true, entryOnly: true }));
  if (config.hogmaps) plugins.push(hogmapsWebpackPlugin(config.hogmaps));
  const { cssFilename: _css, cssChunkFilename: _cssChunk, ...output } = base.output;
  return {
    ...base,
    output,
    module: { rules: [{ test: /\.css$/i, use: [MiniCssExtractPlugin.loader, 'css-loader'] }] },
    plugins,
  };
}

export const webpackRunner: BundlerRunner = {
  name: 'webpack',
  hashesNames: true,
  async build(config) {
    const warnings = await runCompiler(webpack(webpackConfig(config)));
    return outcome(config, warnings);
  },
};

export default webpackRunner;
