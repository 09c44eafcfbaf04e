// One production build per bundler, configured as a user would: minified where the bundler minifies
// by itself, content-hashed names, code splitting, and hidden source maps in every variant (hogmaps
// does not turn maps on without credentials, so the baseline makes the same maps as the others).
import path from 'node:path';
import type { BuildJob, Bundler } from '../variants';
import { esbuildPlugins, rollupFamilyPlugins, xpackPlugins } from './plugins';

type Runner = (job: BuildJob, warnings: string[]) => Promise<void>;

const vite: Runner = async (job, warnings) => {
  const { build } = await import('vite');
  const plugins = (await rollupFamilyPlugins(job)) as import('vite').PluginOption[];
  await build({
    root: job.root,
    configFile: false,
    logLevel: 'warn',
    plugins,
    build: {
      outDir: job.outDir,
      emptyOutDir: true,
      sourcemap: 'hidden',
      // Gzip-sizing every chunk for the report is not build work any plugin adds to.
      reportCompressedSize: false,
      rollupOptions: { onwarn: (warning) => void warnings.push(warning.message) },
    },
  });
};

const rollup: Runner = async (job, warnings) => {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const plugins = (await rollupFamilyPlugins(job)) as import('rollup').Plugin[];
  const bundle = await rollup({
    input: { main: path.join(job.root, job.entry) },
    plugins: [nodeResolve({ browser: true }), ...plugins],
    onwarn: (warning) => void warnings.push(warning.message),
  });
  try {
    // No minifier: rollup has none built in, and terser would take most of the build at this size.
    await bundle.write({
      dir: job.outDir,
      format: 'es',
      sourcemap: 'hidden',
      entryFileNames: '[name]-[hash].js',
      chunkFileNames: '[name]-[hash].js',
    });
  } finally {
    await bundle.close();
  }
};

const rolldown: Runner = async (job, warnings) => {
  const { rolldown } = await import('rolldown');
  const plugins = (await rollupFamilyPlugins(job)) as import('rolldown').Plugin[];
  const bundle = await rolldown({
    input: { main: path.join(job.root, job.entry) },
    platform: 'browser',
    plugins,
    onwarn: (warning) => void warnings.push(warning.message),
  });
  try {
    await bundle.write({
      dir: job.outDir,
      format: 'es',
      minify: true,
      sourcemap: 'hidden',
      entryFileNames: '[name]-[hash].js',
      chunkFileNames: '[name]-[hash].js',
    });
  } finally {
    await bundle.close();
  }
};

interface XpackCompiler {
  run(callback: (error: Error | null, stats?: XpackStats) => void): void;
  close(callback: (error?: Error | null) => void): void;
}
interface XpackStats {
  hasErrors(): boolean;
  toJson(options: object): { errors?: Array<{ message: string }>; warnings?: Array<{ message: string }> };
}

function xpackConfig(job: BuildJob, plugins: unknown[]) {
  return {
    mode: 'production' as const,
    context: job.root,
    entry: { main: `./${job.entry}` },
    output: {
      path: job.outDir,
      filename: '[name].[contenthash].js',
      chunkFilename: '[name].[contenthash].js',
    },
    // PostHog's webpack plugin adds its own SourceMapDevToolPlugin: a devtool as well would make maps twice.
    devtool: job.variant === 'posthog' ? false : ('hidden-source-map' as const),
    plugins,
    // webpack's default minifier (terser) takes ~10x the rest of the build at this size, far past the
    // time budget; rspack keeps its default (native SWC) minifier.
    ...(job.bundler === 'webpack' ? { optimization: { minimize: false } } : {}),
    performance: { hints: false as const },
    infrastructureLogging: { level: 'error' as const },
  };
}

async function runXpack(compiler: XpackCompiler, warnings: string[]): Promise<void> {
  try {
    const stats = await new Promise<XpackStats>((resolve, reject) =>
      compiler.run((error, result) => (error || !result ? reject(error) : resolve(result))),
    );
    const json = stats.toJson({ all: false, errors: true, warnings: true });
    for (const warning of json.warnings ?? []) warnings.push(warning.message);
    if (stats.hasErrors()) throw new Error((json.errors ?? []).map((error) => error.message).join('\n'));
  } finally {
    await new Promise<void>((resolve) => compiler.close(() => resolve()));
  }
}

const webpack: Runner = async (job, warnings) => {
  const { default: webpack } = await import('webpack');
  const plugins = await xpackPlugins(job);
  await runXpack(
    webpack(xpackConfig(job, plugins) as import('webpack').Configuration) as XpackCompiler,
    warnings,
  );
};

const rspack: Runner = async (job, warnings) => {
  const { rspack } = await import('@rspack/core');
  const plugins = await xpackPlugins(job);
  await runXpack(
    rspack(xpackConfig(job, plugins) as import('@rspack/core').Configuration) as XpackCompiler,
    warnings,
  );
};

const esbuild: Runner = async (job, warnings) => {
  const { build } = await import('esbuild');
  const plugins = (await esbuildPlugins(job)) as import('esbuild').Plugin[];
  const result = await build({
    absWorkingDir: job.root,
    entryPoints: { main: job.entry },
    outdir: job.outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    // esbuild's 'external': a map file and no sourceMappingURL comment (hidden).
    sourcemap: 'external',
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    logLevel: 'silent',
    plugins,
  });
  for (const warning of result.warnings) warnings.push(warning.text);
};

export const RUNNERS: Record<Bundler, Runner> = { vite, rollup, rolldown, webpack, rspack, esbuild };
