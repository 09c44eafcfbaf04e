import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HogmapsWebpackPlugin } from '@hogmaps/webpack';

const app = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// hogmaps reads POSTHOG_CLI_HOST, POSTHOG_CLI_API_KEY and POSTHOG_CLI_PROJECT_ID. The worker reads
// its own PostHog settings (POSTHOG_PROJECT_TOKEN, POSTHOG_API_HOST) when it runs.
export default {
  mode: 'production',
  target: 'node20',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: './src/worker.js',
  output: {
    path: fileURLToPath(new URL('./dist', import.meta.url)),
    filename: 'worker.cjs',
    chunkFilename: 'chunks/[name].[contenthash:8].cjs',
    library: { type: 'commonjs2' },
    clean: true,
  },
  plugins: [new HogmapsWebpackPlugin({ sourcemaps: { releaseName: app.name } })],
};
