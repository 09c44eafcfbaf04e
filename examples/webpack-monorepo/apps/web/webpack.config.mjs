import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HogmapsWebpackPlugin } from '@hogmaps/webpack';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import webpack from 'webpack';

const app = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// hogmaps reads POSTHOG_CLI_HOST, POSTHOG_CLI_API_KEY and POSTHOG_CLI_PROJECT_ID; the app's own
// PostHog settings are compiled in from POSTHOG_PROJECT_TOKEN and POSTHOG_API_HOST.
export default {
  mode: 'production',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: './src/index.js',
  output: {
    path: fileURLToPath(new URL('./dist', import.meta.url)),
    filename: '[name].[contenthash:8].js',
    chunkFilename: 'chunks/[name].[contenthash:8].js',
    clean: true,
  },
  plugins: [
    new webpack.DefinePlugin({
      __POSTHOG_TOKEN__: JSON.stringify(process.env.POSTHOG_PROJECT_TOKEN ?? ''),
      __POSTHOG_HOST__: JSON.stringify(process.env.POSTHOG_API_HOST || process.env.POSTHOG_CLI_HOST || ''),
    }),
    new HtmlWebpackPlugin({ title: 'hogmaps example: webpack-monorepo web' }),
    // Each app is its own release: named after its package, versioned by the git commit.
    new HogmapsWebpackPlugin({ sourcemaps: { releaseName: app.name } }),
  ],
};
