// The Vite client build, the only Vite output that is deployed: Nitro copies it to `.output/public`.
// Vite's SSR build is an intermediate that Nitro bundles again, so it gets no snippet of its own.
import type { HogmapsUnplugin, Options } from '@hogmaps/core';

type VitePlugin = ReturnType<HogmapsUnplugin['vite']>;
type ConfigEnvironmentHook = NonNullable<VitePlugin['configEnvironment']>;
type ConfigEnvironment = Extract<ConfigEnvironmentHook, (...args: never[]) => unknown>;
type EnvironmentConfig = Parameters<ConfigEnvironment>[1];

/** The hook's function and its ordering (`order: 'post'`), whichever form the hook has. */
function splitHook(hook: ConfigEnvironmentHook | undefined): {
  handler: ConfigEnvironment | undefined;
  order: 'pre' | 'post' | null | undefined;
} {
  if (hook === undefined || typeof hook === 'function') return { handler: hook, order: undefined };
  return { handler: hook.handler, order: hook.order };
}

/**
 * hogmaps' Vite plugin, applied to the `client` environment only (in Nuxt's separate client and
 * server builds and with Vite's environment API alike). With `mapsAreOurs`, the `build.sourcemap`
 * Nuxt derived from its own option is left unset for hogmaps, which then makes hidden maps, uploads
 * them and deletes them.
 */
export function createClientPlugin(
  unplugin: HogmapsUnplugin,
  options: Options,
  mapsAreOurs: boolean,
): VitePlugin {
  const plugin = unplugin.vite(options);
  const { handler, order } = splitHook(plugin.configEnvironment);
  return {
    ...plugin,
    applyToEnvironment: (environment) => environment.name === 'client',
    configEnvironment: {
      ...(order ? { order } : {}),
      handler(this: ThisParameterType<ConfigEnvironment>, name, config: EnvironmentConfig, env) {
        if (mapsAreOurs && name === 'client' && config.build) delete config.build.sourcemap;
        return handler?.call(this, name, config, env);
      },
    },
  };
}
