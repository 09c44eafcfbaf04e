import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import { writeBundledLicenses } from '../../scripts/bundled-licenses.mjs';
import { packageBuild } from '../../tsup.base';

/**
 * Packages bundled into core's chunks rather than imported at run time: what the plugin entry loads.
 * Node resolves and loads a package file by file (package.json lookups, `exports`, CJS lexing for
 * picomatch): unplugin with picomatch and @jridgewell/* cost a config load about 30 ms, the same code
 * inside our chunk about 6 ms (docs/benchmarks.md, round 12). They stay dependencies of core, so
 * installs, audits and unplugin's types (which our declarations import) see them as before; their
 * notices ship in dist/THIRD-PARTY-LICENSES.md.
 */
const BUNDLED_DEPENDENCIES = ['unplugin', 'picomatch', /^@jridgewell\//];

/**
 * `import process from 'node:process'` (unplugin's) as the global it is. Node builds such an import's
 * namespace by reading every property of `process`, which opens stdin and loads the diagnostics
 * report: about 10 ms of a config load (docs/benchmarks.md, round 24). A named import fails the build.
 */
const processAsGlobal: Plugin = {
  name: 'process-as-global',
  setup(build) {
    build.onResolve({ filter: /^(node:)?process$/ }, () => ({
      path: 'process',
      namespace: 'process-as-global',
    }));
    build.onLoad({ filter: /.*/, namespace: 'process-as-global' }, () => ({
      contents: 'export default globalThis.process;',
      loader: 'js',
    }));
  },
};

// Two entries over shared chunks: `@hogmaps/core/plugin` (what the adapters load) and the whole API.
// Split, so both see one copy of each module, and the session's `import()` of the upload path is a
// chunk of its own that a build without an upload never loads. The shims give the CJS chunks
// `import.meta.url` (load-optional.ts), which tsup's CJS splitting would otherwise leave as it is.
// The third entry is the upload's worker thread (upload/off-thread.ts), not an export.
export default defineConfig(
  packageBuild({
    entry: ['src/index.ts', 'src/plugin/index.ts', 'src/upload/off-thread-worker.ts'],
    splitting: true,
    shims: true,
    noExternal: BUNDLED_DEPENDENCIES,
    // Keep `node:` (Node 20.19 knows it), so built-ins reach processAsGlobal rather than tsup's own
    // plugin, which strips the prefix and makes them external first.
    removeNodeProtocol: false,
    esbuildPlugins: [processAsGlobal],
    esbuildOptions(options, { format }) {
      // unplugin locates its webpack/rspack loaders with `import.meta.dirname`, which CJS lacks (a
      // syntax error there). hogmaps gives unplugin no transform or load hook, so they are never used.
      if (format === 'cjs') options.define = { ...options.define, 'import.meta.dirname': '__dirname' };
    },
    metafile: true,
    onSuccess: async () => {
      await writeBundledLicenses('dist');
    },
  }),
);
