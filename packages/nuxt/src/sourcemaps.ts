// Who makes Nuxt's source maps, and so who keeps or deletes them. Nuxt's defaults are server maps on
// and client maps off; a side whose maps are off is hogmaps' to make (hidden), upload and delete.

/** One side of Nuxt's resolved `sourcemap` option. */
export type NuxtSourcemapSetting = boolean | 'hidden' | 'inline' | undefined;

/** Nuxt's resolved `sourcemap` option (`nuxt.options.sourcemap`). */
export interface NuxtSourcemaps {
  client?: NuxtSourcemapSetting;
  server?: NuxtSourcemapSetting;
}

/** The sides whose maps hogmaps turned on: they never ship. */
export interface MapOwnership {
  client: boolean;
  server: boolean;
}

/**
 * Turns on hidden maps for each side whose maps are off, in Nuxt's own option, so that everything
 * that reads it makes maps: Nuxt's transforms of `.vue` files, Vite's SSR build, and the step that
 * hands the SSR build's maps to Nitro (without it, Nitro's maps stop at the intermediate
 * `.nuxt/dist/server` files). Must run before the build starts. Maps that are on stay the user's:
 * uploaded and kept.
 */
export function claimSourcemaps(sourcemap: NuxtSourcemaps): MapOwnership {
  const ownership = { client: !sourcemap.client, server: !sourcemap.server };
  if (ownership.client) sourcemap.client = 'hidden';
  if (ownership.server) sourcemap.server = 'hidden';
  return ownership;
}
