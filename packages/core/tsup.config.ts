import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

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
  }),
);
