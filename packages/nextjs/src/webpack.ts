import { createHogmapsUnplugin, type Options } from '@hogmaps/core';
import type { NextConfig } from 'next';

type WebpackHook = NonNullable<NextConfig['webpack']>;
type WebpackConfig = { devtool?: unknown; plugins?: unknown[] };

/**
 * The `webpack()` hook for production builds: the user's own hook first, then hogmaps' plugin in each
 * compiler (client, server, edge), built on the compiler's own webpack (Next's bundled copy), so no
 * second webpack is installed. Next's `devtool: false` default is lifted, so hogmaps adds hidden maps
 * (no `sourceMappingURL`) for the upload. With `deferred`, each compiler only injects: the upload
 * happens once for all of them in `runAfterProductionCompile`, also when they ran in build workers.
 */
export function createWebpackHook(
  user: NextConfig['webpack'],
  options: Options,
  meta: { version: string; deferred: boolean },
): WebpackHook {
  const finishBuild = meta.deferred ? { finishBuild: async () => undefined } : {};
  return (config, context) => {
    const result = (user ? user(config, context) : config) as WebpackConfig;
    if (context.dev) return result;
    if (result.devtool === false) result.devtool = undefined;
    // The release is detected in the project folder Next builds (`next build apps/web` runs elsewhere).
    const unplugin = createHogmapsUnplugin({ version: meta.version, cwd: context.dir, ...finishBuild });
    result.plugins = [...(result.plugins ?? []), unplugin.webpack(options)];
    return result;
  };
}
