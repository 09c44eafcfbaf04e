import { createRequire } from 'node:module';

/**
 * Synchronously loads an optional package, or returns undefined when it is missing or its native
 * binary does not load. Sync because encoding a symbol set is sync. Resolution starts at this
 * module: `import.meta.url`, which tsup's shim makes the chunk's own file URL in the CJS build.
 * (A bare `require` does not work here: bundlers replace it with a stub in ESM output.)
 */
export function loadOptional<T>(id: string): T | undefined {
  try {
    return createRequire(import.meta.url)(id) as T;
  } catch {
    return undefined;
  }
}
