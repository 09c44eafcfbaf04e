import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@hogmaps/source'] },
  ssr: { resolve: { conditions: ['@hogmaps/source'] } },
  test: {
    name: 'bundlers',
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/fixtures/**', 'pack/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
