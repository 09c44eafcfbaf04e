import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@hogmaps/source'] },
  ssr: { resolve: { conditions: ['@hogmaps/source'] } },
  test: {
    name: 'cli',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The tests run the built `hogmaps` binary: build it (and core, server) when sources are newer.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
  },
});
