import { copyFile, rm } from 'node:fs/promises';
import { hogmapsEsbuildPlugin } from '@hogmaps/esbuild';
import * as esbuild from 'esbuild';

// hogmaps reads POSTHOG_CLI_HOST, POSTHOG_CLI_API_KEY and POSTHOG_CLI_PROJECT_ID; the app's own
// PostHog settings are compiled in from POSTHOG_PROJECT_TOKEN and POSTHOG_API_HOST.
await rm('dist', { recursive: true, force: true });
await esbuild.build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: 'es2020',
  outdir: 'dist',
  entryNames: 'assets/[name]',
  chunkNames: 'assets/chunks/[name]-[hash]',
  define: {
    __POSTHOG_TOKEN__: JSON.stringify(process.env.POSTHOG_PROJECT_TOKEN ?? ''),
    __POSTHOG_HOST__: JSON.stringify(process.env.POSTHOG_API_HOST || process.env.POSTHOG_CLI_HOST || ''),
  },
  plugins: [hogmapsEsbuildPlugin({ sourcemaps: { releaseName: 'example-esbuild-app' } })],
});
await copyFile('index.html', 'dist/index.html');
