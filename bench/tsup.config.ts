import { defineConfig } from 'tsup';

// The harness runs as plain JavaScript: each build and upload runs in a fresh Node process, so no
// TypeScript loader is in the measured processes. Packages stay external (built `dist` of hogmaps).
export default defineConfig({
  entry: [
    'src/run.ts',
    'src/children/build-child.ts',
    'src/children/upload-child.ts',
    'src/children/server-child.ts',
    'src/children/load-child.ts',
    'src/children/pack-child.ts',
  ],
  format: ['esm'],
  outDir: 'dist',
  target: 'node20',
  platform: 'node',
  clean: true,
  splitting: true,
  sourcemap: true,
  dts: false,
  skipNodeModulesBundle: true,
});
