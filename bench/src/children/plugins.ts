// The plugin list of each variant. Imported lazily, so a baseline build loads no plugin code at all
// and each variant pays exactly for what it loads.
import type { Options } from '@hogmaps/core';
import type { BuildJob } from '../variants';

/** The same release for every tool, so none of them spends time detecting one differently. */
const RELEASE = { releaseName: 'bench-app', releaseVersion: '1.0.0' };

export function hogmapsOptions(job: BuildJob): Options {
  const options: Options = { logLevel: 'warn', sourcemaps: { ...RELEASE } };
  if (job.variant !== 'upload') return options;
  if (!job.server) throw new Error('the upload variant needs a server');
  return {
    ...options,
    host: job.server.url,
    projectId: job.server.projectId,
    personalApiKey: job.server.apiKey,
  };
}

/** PostHog's plugins refuse to start without credentials; the stub CLI never sends them anywhere. */
function posthogOptions(job: BuildJob) {
  return {
    personalApiKey: 'phx_bench_stub',
    projectId: '1',
    host: 'http://127.0.0.1:9',
    logLevel: 'warn' as const,
    cliBinaryPath: job.stubCli,
    sourcemaps: { enabled: true, ...RELEASE },
  };
}

/** No auth token: Sentry injects debug ids and the release, and skips the upload with a warning. */
const SENTRY_OPTIONS = { telemetry: false, release: { name: '1.0.0' } };

/** Plugins for the rollup family (vite, rollup, rolldown). */
export async function rollupFamilyPlugins(job: BuildJob): Promise<unknown[]> {
  switch (job.variant) {
    case 'baseline':
      return [];
    case 'inject':
    case 'upload': {
      const options = hogmapsOptions(job);
      if (job.bundler === 'vite') return [(await import('@hogmaps/vite')).hogmapsVitePlugin(options)];
      if (job.bundler === 'rolldown')
        return [(await import('@hogmaps/rolldown')).hogmapsRolldownPlugin(options)];
      return [(await import('@hogmaps/rollup')).hogmapsRollupPlugin(options)];
    }
    case 'sentry':
      return [(await import('@sentry/vite-plugin')).sentryVitePlugin(SENTRY_OPTIONS)].flat();
    case 'posthog':
      return [(await import('@posthog/rollup-plugin')).default(posthogOptions(job))];
  }
}

/** Plugins for webpack and rspack. */
export async function xpackPlugins(job: BuildJob): Promise<unknown[]> {
  switch (job.variant) {
    case 'baseline':
      return [];
    case 'inject':
    case 'upload': {
      const options = hogmapsOptions(job);
      if (job.bundler === 'rspack') return [(await import('@hogmaps/rspack')).hogmapsRspackPlugin(options)];
      return [(await import('@hogmaps/webpack')).hogmapsWebpackPlugin(options)];
    }
    case 'sentry':
      return [(await import('@sentry/webpack-plugin')).sentryWebpackPlugin(SENTRY_OPTIONS)];
    case 'posthog': {
      const { PosthogWebpackPlugin } = await import('@posthog/webpack-plugin');
      return [new PosthogWebpackPlugin(posthogOptions(job))];
    }
  }
}

export async function esbuildPlugins(job: BuildJob): Promise<unknown[]> {
  if (job.variant === 'baseline') return [];
  if (job.variant === 'inject' || job.variant === 'upload') {
    return [(await import('@hogmaps/esbuild')).hogmapsEsbuildPlugin(hogmapsOptions(job))];
  }
  throw new Error(`no ${job.variant} plugin for esbuild`);
}
