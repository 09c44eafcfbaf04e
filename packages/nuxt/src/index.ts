// @hogmaps/nuxt: PostHog chunk ids, one release and source-map upload for `nuxt build` and
// `nuxt generate`. What is deployed is the Vite client build and Nitro's server bundle, so those two
// get chunk ids and are uploaded, in one session (one release) of the one build process.
import { createHogmapsUnplugin, createLogger, type Options, resolveOptions } from '@hogmaps/core';
import { addVitePlugin, defineNuxtModule } from '@nuxt/kit';
import type { NuxtModule } from '@nuxt/schema';
import { version } from '../package.json';
import { createClientPlugin } from './client';
import { addToNitroBuild, keepSourcesInMaps, type NitroConfigLike, type NitroLike } from './nitro';
import { claimSourcemaps } from './sourcemaps';

/** The module's options (`hogmaps: { … }` in `nuxt.config`): the same as every hogmaps plugin's. */
export type HogmapsNuxtOptions = Options;

const VITE_BUILDER = '@nuxt/vite-builder';

/**
 * The hogmaps Nuxt module: `modules: ['@hogmaps/nuxt']`, options under `hogmaps`. Acts in production
 * builds only (`nuxt build`, `nuxt generate`); `nuxt dev` and `nuxt prepare` are left alone.
 */
export const hogmapsNuxtModule: NuxtModule<HogmapsNuxtOptions> = defineNuxtModule<HogmapsNuxtOptions>({
  meta: { name: '@hogmaps/nuxt', configKey: 'hogmaps', compatibility: { nuxt: '>=4.0.0' } },
  setup(options, nuxt) {
    if (nuxt.options.dev || nuxt.options._prepare) return;
    const cwd = nuxt.options.rootDir;
    // Validates now, so a bad option fails `nuxt build` before anything is built.
    const resolved = resolveOptions(options, process.env, { cwd });
    if (!resolved.enabled || !resolved.sourcemaps.enabled) return;
    const logger = createLogger({ level: resolved.logLevel });
    const unplugin = createHogmapsUnplugin({ version, cwd });

    // Maps are made for the upload only: without credentials nothing changes but the chunk ids.
    const ownership = resolved.credentials
      ? claimSourcemaps(nuxt.options.sourcemap)
      : { client: false, server: false };
    if (ownership.client || ownership.server) {
      const sides = [ownership.client && 'client', ownership.server && 'server']
        .filter(Boolean)
        .join(' and ');
      logger.debug(`hidden source maps turned on for the ${sides}: uploaded, then deleted`);
    }

    const builder = typeof nuxt.options.builder === 'string' ? nuxt.options.builder : undefined;
    if (builder === VITE_BUILDER) {
      addVitePlugin(() => createClientPlugin(unplugin, options, ownership.client), { dev: false });
    } else {
      logger.warn(
        `Nuxt's ${builder ?? 'custom'} builder is not supported: the client build gets no chunk ids and is not ` +
          `uploaded (the Nitro server is). Use ${VITE_BUILDER}, Nuxt's default.`,
      );
    }

    // biome-ignore lint/suspicious/noExplicitAny: Nitro's hooks are typed by @nuxt/nitro-server's augments.
    const hook = nuxt.hook as (name: string, handler: (...args: any[]) => unknown) => unknown;
    if (resolved.credentials) hook('nitro:config', (config: NitroConfigLike) => keepSourcesInMaps(config));
    hook('nitro:init', (nitro: NitroLike) => addToNitroBuild(nitro, unplugin, options, ownership.server));
  },
});

export default hogmapsNuxtModule;
