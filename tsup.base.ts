import type { Options } from 'tsup';

/** The one build recipe every package spreads: ESM + CJS + declarations, Node 20. */
export function packageBuild(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    ...overrides,
  };
}
