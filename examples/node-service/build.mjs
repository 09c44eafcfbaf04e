import { rm } from 'node:fs/promises';
import { hogmapsEsbuildPlugin } from '@hogmaps/esbuild';
import * as esbuild from 'esbuild';

// hogmaps reads POSTHOG_CLI_HOST, POSTHOG_CLI_API_KEY and POSTHOG_CLI_PROJECT_ID. The service reads
// its own PostHog settings (POSTHOG_PROJECT_TOKEN, POSTHOG_API_HOST) when it starts.
await rm('dist', { recursive: true, force: true });
await esbuild.build({
  entryPoints: ['src/server.ts'],
  outfile: 'dist/server.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  plugins: [hogmapsEsbuildPlugin({ sourcemaps: { releaseName: 'example-node-service' } })],
});
