import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@hogmaps/source'] },
  ssr: { resolve: { conditions: ['@hogmaps/source'] } },
  test: {
    name: 'bench',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
