import type { NextConfig } from 'next';
import type { NextBundler } from './bundler';

/**
 * Which of Next's source maps hogmaps turned on (those must not ship), from the user's config:
 * - webpack: Next sets `devtool: false` for the browser unless `productionBrowserSourceMaps`, and for
 *   Node.js server code unless `experimental.serverSourceMaps`; hogmaps then adds hidden maps (no
 *   `sourceMappingURL`). The edge compiler always has Next's own maps, which reference their files.
 * - Turbopack: server maps are on by default (Next's own); browser maps are turned on by hogmaps
 *   through `productionBrowserSourceMaps` unless the user set it. `turbopackSourceMaps: false` turns
 *   every map off, so then all are hogmaps'.
 */
export interface MapOwnership {
  client: boolean;
  server: boolean;
}

export function mapOwnership(config: NextConfig, bundler: NextBundler): MapOwnership {
  const experimental = (config.experimental ?? {}) as {
    serverSourceMaps?: boolean;
    turbopackSourceMaps?: boolean;
  };
  if (bundler === 'turbopack') {
    const allOff = experimental.turbopackSourceMaps === false;
    return { client: allOff || !config.productionBrowserSourceMaps, server: allOff };
  }
  return { client: !config.productionBrowserSourceMaps, server: !experimental.serverSourceMaps };
}

/** The config Turbopack needs so that every chunk has a map: the ones hogmaps owns turned on. */
export function withTurbopackMaps(config: NextConfig, owned: MapOwnership): NextConfig {
  if (!owned.client && !owned.server) return config;
  return {
    ...config,
    productionBrowserSourceMaps: true,
    ...(owned.server
      ? { experimental: { ...config.experimental, turbopackSourceMaps: true } as NextConfig['experimental'] }
      : {}),
  };
}
