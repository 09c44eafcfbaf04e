// Next 16, Nuxt 4.5 and their servers run on Node 24 from @hogmaps/node24 (Nuxt needs Node >= 22);
// everything else in the suite stays on the system Node.
import * as path from 'node:path';
import { node24Binary } from '@hogmaps/node24';

/** Node >= 22 for a framework build, or a clear error naming what to install. */
export function requireNode24(framework: string): string {
  const binary = node24Binary();
  if (!binary) {
    throw new Error(
      `The ${framework} tests need Node >= 22: \`pnpm install\` brings Node 24 in tools/node24 (linux-x64), ` +
        'or set HOGMAPS_NODE24 to a Node >= 22 binary.',
    );
  }
  return binary;
}

/** `env` with Node 24 first on PATH, so `npm run <script>` runs the framework's CLI on it. */
export function withNode24OnPath(env: NodeJS.ProcessEnv, framework: string): NodeJS.ProcessEnv {
  const node = requireNode24(framework);
  return { ...env, PATH: `${path.dirname(node)}${path.delimiter}${env.PATH ?? ''}` };
}
