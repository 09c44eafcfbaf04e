import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@hogmaps/source'] },
  ssr: { resolve: { conditions: ['@hogmaps/source'] } },
  test: {
    name: 'e2e',
    // e2e/frameworks is a project of its own (`frameworks`).
    include: ['test/**/*.test.ts'],
    // Real builds (posthog-js minified by each bundler) on a small shared machine.
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
