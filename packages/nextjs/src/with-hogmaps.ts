import { createLogger, type Options, resolveOptions } from '@hogmaps/core';
import type { NextConfig } from 'next';
import { version } from '../package.json';
import { detectBundler, hasAfterCompileHook, nextVersion } from './bundler';
import { type AfterCompileMetadata, finishNextBuild } from './finish';
import { mapOwnership, withTurbopackMaps } from './maps';
import { createWebpackHook } from './webpack';

/** The `phase` Next passes to a config function while `next build` runs. */
const PHASE_PRODUCTION_BUILD = 'phase-production-build';

/** Options of `withHogmaps`: those of every hogmaps plugin. */
export type HogmapsNextOptions = Options;

/** A Next.js config as `next.config.*` may export it: an object, or a (sync or async) function of the phase. */
export type NextConfigInput =
  | NextConfig
  | Promise<NextConfig>
  | ((phase: string, context: { defaultConfig: NextConfig }) => NextConfig | Promise<NextConfig>);

/** What `withHogmaps` returns: the config function Next calls. */
export type NextConfigFunction = (
  phase: string,
  context: { defaultConfig: NextConfig },
) => Promise<NextConfig>;

/**
 * Wraps a Next.js config so that `next build` gives every chunk a chunk id and uploads its source map
 * to PostHog, with webpack (`next build --webpack`) and with Turbopack (Next ≥ 15.4.1). Other phases
 * (`next dev`, `next start`) get the config unchanged. Whatever the config already has (a `webpack()`
 * hook, `compiler.runAfterProductionCompile`) still runs, before hogmaps' part.
 *
 * ```ts
 * export default withHogmaps(nextConfig, { sourcemaps: { releaseName: 'web' } });
 * ```
 */
export function withHogmaps(config: NextConfigInput, options: HogmapsNextOptions = {}): NextConfigFunction {
  return async (phase, context) => {
    const user = await (typeof config === 'function' ? config(phase, context) : config);
    if (phase !== PHASE_PRODUCTION_BUILD) return user;
    return configureBuild(user, options, process.cwd());
  };
}

function configureBuild(user: NextConfig, options: Options, cwd: string): NextConfig {
  // Invalid options fail `next build` here, all listed. The project folder is known only later (Next
  // passes it to the hooks; `next build apps/web` runs elsewhere), so each hook resolves them again there.
  const checked = resolveOptions(options, process.env, { cwd });
  if (!checked.enabled || !checked.sourcemaps.enabled) return user;
  const bundler = detectBundler();
  const next = nextVersion(cwd);
  const afterCompile = hasAfterCompileHook(next);
  const owned = mapOwnership(user, bundler);
  const userAgent = `@hogmaps/nextjs/${version}`;
  const finish = (metadata: AfterCompileMetadata) =>
    finishNextBuild(metadata, {
      options: resolveOptions(options, process.env, { cwd: metadata.projectDir }),
      bundler,
      owned,
      userAgent,
      config: user,
    });
  const withFinish = (base: NextConfig): NextConfig => {
    const userHook = base.compiler?.runAfterProductionCompile;
    return {
      ...base,
      compiler: {
        ...base.compiler,
        async runAfterProductionCompile(metadata) {
          await userHook?.(metadata);
          await finish(metadata);
        },
      },
    };
  };

  if (bundler === 'turbopack') {
    if (!afterCompile) {
      createLogger({ level: checked.logLevel }).warn(
        `Next.js ${next} with Turbopack has no compiler.runAfterProductionCompile (Next 15.4.1 added it): nothing is injected or uploaded. Upgrade Next.js, or build with webpack (next build without --turbopack).`,
      );
      return user;
    }
    // Without credentials nothing is uploaded: no maps are made for nothing (chunk ids still go in).
    return withFinish(checked.credentials ? withTurbopackMaps(user, owned) : user);
  }
  // webpack (and next-rspack, whose compilers expose the same API)
  const webpack = createWebpackHook(user.webpack, options, { version, deferred: afterCompile });
  const base = { ...user, webpack };
  return afterCompile ? withFinish(base) : base;
}
