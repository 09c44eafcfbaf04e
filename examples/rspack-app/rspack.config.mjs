import { fileURLToPath } from 'node:url';
import { HogmapsRspackPlugin } from '@hogmaps/rspack';
import { rspack } from '@rspack/core';

// hogmaps reads POSTHOG_CLI_HOST, POSTHOG_CLI_API_KEY and POSTHOG_CLI_PROJECT_ID; the app's own
// PostHog settings are compiled in from POSTHOG_PROJECT_TOKEN and POSTHOG_API_HOST.
export default {
  mode: 'production',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: './src/main.ts',
  output: {
    path: fileURLToPath(new URL('./dist', import.meta.url)),
    filename: 'assets/[name].[contenthash:8].js',
    chunkFilename: 'assets/[name].[contenthash:8].js',
    clean: true,
  },
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    rules: [
      {
        test: /\.ts$/,
        loader: 'builtin:swc-loader',
        options: { jsc: { parser: { syntax: 'typescript' } } },
        type: 'javascript/auto',
      },
    ],
  },
  // `rspack build` turns source maps off when no devtool is set; hidden maps are uploaded, never linked.
  devtool: 'hidden-source-map',
  plugins: [
    new rspack.DefinePlugin({
      __POSTHOG_TOKEN__: JSON.stringify(process.env.POSTHOG_PROJECT_TOKEN ?? ''),
      __POSTHOG_HOST__: JSON.stringify(process.env.POSTHOG_API_HOST || process.env.POSTHOG_CLI_HOST || ''),
    }),
    new rspack.HtmlRspackPlugin({ template: './index.html' }),
    new HogmapsRspackPlugin({ sourcemaps: { releaseName: 'example-rspack-app' } }),
  ],
};
