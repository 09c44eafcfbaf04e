import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@hogmaps/source'] },
  ssr: { resolve: { conditions: ['@hogmaps/source'] } },
  test: {
    name: 'pack',
    include: ['**/*.test.ts'],
    // pnpm pack, attw and an npm install on a small shared machine.
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
