// The Vite client build, the only Vite output that is deployed: Nitro copies it to `.output/public`.
// Vite's SSR build is an intermediate that Nitro bundles again, so it gets no snippet of its own.
import type { HogmapsUnplugin, Options } from '@hogmaps/core';

type VitePlugin = ReturnType<HogmapsUnplugin['vite']>;
type ConfigEnvironmentHook = NonNullable<VitePlugin['configEnvironment']>;
type HookFunction<T> = T extends { handler: infer H } ? H : T;

function handlerOf<T>(hook: T): HookFunction<T> {
  return (typeof hook === 'function' ? hook : (hook as { handler: unknown }).handler) as HookFunction<T>;
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
  const configEnvironment = plugin.configEnvironment;
  return {
    ...plugin,
    applyToEnvironment: (environment) => environment.name === 'client',
    configEnvironment(this: ThisParameterType<HookFunction<ConfigEnvironmentHook>>, name, config, env) {
      if (mapsAreOurs && name === 'client' && config.build) delete config.build.sourcemap;
      return configEnvironment ? handlerOf(configEnvironment).call(this, name, config, env) : undefined;
    },
  };
}
