import { rmSync } from 'node:fs';
import { hogmapsRollupPlugin } from '@hogmaps/rollup';

// rollup never empties its output folders; start clean so old hashed chunks do not pile up.
rmSync('dist', { recursive: true, force: true });

// hogmaps reads POSTHOG_CLI_HOST, POSTHOG_CLI_API_KEY and POSTHOG_CLI_PROJECT_ID.
export default {
  input: { index: 'src/index.js', cli: 'src/cli.js' },
  output: [
    { dir: 'dist/esm', format: 'es', sourcemap: true, chunkFileNames: 'chunks/[name]-[hash].js' },
    {
      dir: 'dist/cjs',
      format: 'cjs',
      sourcemap: true,
      entryFileNames: '[name].cjs',
      chunkFileNames: 'chunks/[name]-[hash].cjs',
    },
  ],
  plugins: [hogmapsRollupPlugin({ sourcemaps: { releaseName: 'example-rollup-lib' } })],
};
