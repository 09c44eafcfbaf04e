import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@hogmaps/source'] },
  ssr: { resolve: { conditions: ['@hogmaps/source'] } },
  test: {
    name: 'frameworks',
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    // Each file builds a framework app (several Vite environments, an adapter) on Node 24: running two at
    // once on a small shared machine only makes both slower.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});
