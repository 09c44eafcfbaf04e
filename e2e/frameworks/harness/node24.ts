// Framework builds and production servers run on Node 24 (SvelteKit 3, Astro 7, Next 16 and Nuxt 4.5 need
// Node >= 22); the test runner itself stays on the system Node.
import * as path from 'node:path';
import { node24Binary } from '@hogmaps/node24';

/** Node >= 22, or a clear error naming what to install. */
export function requireNode24(): string {
  const binary = node24Binary();
  if (!binary) {
    throw new Error(
      'The framework tests need Node >= 22: `pnpm install` brings Node 24 in tools/node24 (linux-x64), ' +
        'or set HOGMAPS_NODE24 to a Node >= 22 binary.',
    );
  }
  return binary;
}

/**
 * `env` with Node 24 first on PATH (so `npm run` and `#!/usr/bin/env node` scripts use it) and the
 * frameworks' telemetry off.
 */
export function withNode24(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const node = requireNode24();
  // What vitest sets for its own workers (NODE_ENV=test, VITEST*) would make a framework build for
  // development or tests: a build runs as from a user's shell.
  const clean = Object.fromEntries(
    Object.entries(env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')),
  );
  return {
    ...clean,
    PATH: `${path.dirname(node)}${path.delimiter}${env.PATH ?? ''}`,
    NEXT_TELEMETRY_DISABLED: '1',
    NUXT_TELEMETRY_DISABLED: '1',
    ASTRO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
  };
}
