// The plugin list of each variant. Imported lazily, so a baseline build loads no plugin code at all
// and each variant pays exactly for what it loads.
import type { Options } from '@hogmaps/core';
import type { BuildJob } from '../variants';
import { probedHogmapsPlugin } from './upload-probe';

/** The same release for every tool, so none of them spends time detecting one differently. */
const RELEASE = { releaseName: 'bench-app', releaseVersion: '1.0.0' };

/** hogmaps without credentials: chunk ids injected, nothing uploaded. */
export function injectOnlyOptions(release: Options['sourcemaps'] = RELEASE): Options {
  return { logLevel: 'warn', sourcemaps: { ...release } };
}

export function hogmapsOptions(job: BuildJob): Options {
  const options = injectOnlyOptions(
    job.release
      ? { ...RELEASE, releaseVersion: job.release.version, releaseMode: job.release.mode }
      : RELEASE,
  );
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

/** hogmaps through its adapter, as a user loads it, or through the upload probe when the job asks. */
async function hogmapsPlugin(job: BuildJob): Promise<unknown> {
  const options = hogmapsOptions(job);
  if (job.probeUpload) return probedHogmapsPlugin(job.bundler, options);
  switch (job.bundler) {
    case 'vite':
      return (await import('@hogmaps/vite')).hogmapsVitePlugin(options);
    case 'rollup':
      return (await import('@hogmaps/rollup')).hogmapsRollupPlugin(options);
    case 'rolldown':
      return (await import('@hogmaps/rolldown')).hogmapsRolldownPlugin(options);
    case 'webpack':
      return (await import('@hogmaps/webpack')).hogmapsWebpackPlugin(options);
    case 'rspack':
      return (await import('@hogmaps/rspack')).hogmapsRspackPlugin(options);
    case 'esbuild':
      return (await import('@hogmaps/esbuild')).hogmapsEsbuildPlugin(options);
  }
}

/** Plugins for the rollup family (vite, rollup, rolldown). */
export async function rollupFamilyPlugins(job: BuildJob): Promise<unknown[]> {
  switch (job.variant) {
    case 'baseline':
      return [];
    case 'inject':
    case 'upload':
      return [await hogmapsPlugin(job)];
    case 'sentry':
      return [(await import('@sentry/vite-plugin')).sentryVitePlugin(SENTRY_OPTIONS)].flat();
    case 'posthog':
      return [(await import('@posthog/rollup-plugin')).default(posthogOptions(job))];
    case 'read':
    case 'rewrite':
      return [(await import('./reference-plugins')).rewritePlugin(job.variant === 'rewrite')];
    case 'placeholder':
      return [(await import('./reference-plugins')).placeholderPlugin()];
  }
}

/** Plugins for webpack and rspack. */
export async function xpackPlugins(job: BuildJob): Promise<unknown[]> {
  switch (job.variant) {
    case 'baseline':
      return [];
    case 'inject':
    case 'upload':
      return [await hogmapsPlugin(job)];
    case 'sentry':
      return [(await import('@sentry/webpack-plugin')).sentryWebpackPlugin(SENTRY_OPTIONS)];
    case 'posthog': {
      const { PosthogWebpackPlugin } = await import('@posthog/webpack-plugin');
      return [new PosthogWebpackPlugin(posthogOptions(job))];
    }
    case 'read':
    case 'rewrite':
    case 'placeholder':
      throw new Error(`no ${job.variant} reference for webpack and rspack`);
  }
}

export async function esbuildPlugins(job: BuildJob): Promise<unknown[]> {
  if (job.variant === 'baseline') return [];
  if (job.variant === 'inject' || job.variant === 'upload') return [await hogmapsPlugin(job)];
  throw new Error(`no ${job.variant} plugin for esbuild`);
}
