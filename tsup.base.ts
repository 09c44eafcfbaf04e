import type { Options } from 'tsup';

/**
 * The one JavaScript recipe every package spreads: ESM + CJS for Node 20, with source maps (their
 * sources embedded, so `src/` need not be published). Declarations are not tsup's job: scripts/build.mjs
 * emits them for every package in one tsc program and bundles them per entry.
 */
export function packageBuild(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: false,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    ...overrides,
  };
}
