import { readdirSync } from 'node:fs';
import path from 'node:path';
import { hogmapsEsbuildPlugin } from '@hogmaps/esbuild';
import { type BuildOptions, build, type Message } from 'esbuild';
import type { BundlerRunner, NeutralBuild } from '../types';

/**
 * The esbuild options of a neutral build: bundled, code-split ESM with `[name]-[hash]` names, CSS
 * through esbuild's own loader. A Node build writes `.mjs` files, so that `node <entry>` runs them as
 * ESM; esbuild keeps an entry's hashbang by itself.
 */
export function esbuildOptions(config: NeutralBuild): BuildOptions {
  const names = config.hashedNames === false ? '[name]' : '[name]-[hash]';
  const entryNames = config.hashedEntryNames === false ? '[name]' : names;
  return {
    absWorkingDir: config.root,
    entryPoints: Object.fromEntries(
      Object.entries(config.entries).map(([name, file]) => [name, path.join(config.root, file)]),
    ),
    outdir: config.outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: config.platform,
    target: config.platform === 'node' ? 'node20' : 'es2020',
    ...(config.platform === 'node' ? { outExtension: { '.js': '.mjs' } } : {}),
    // As the rollup runners do: a Node entry keeps its plain name, so `node <outDir>/cli.mjs` runs it.
    entryNames: config.platform === 'node' ? '[name]' : entryNames,
    chunkNames: names,
    assetNames: names,
    minify: config.minify !== false,
    // 'external' in the neutral config means a map the user wants, with its comment: esbuild's 'linked'.
    ...(config.sourcemap === undefined
      ? {}
      : { sourcemap: config.sourcemap === 'external' ? 'linked' : false }),
    logLevel: 'silent',
    plugins: config.hogmaps ? [hogmapsEsbuildPlugin(config.hogmaps)] : [],
  };
}

export function formatWarning(warning: Message): string {
  return warning.pluginName ? `[${warning.pluginName}] ${warning.text}` : warning.text;
}

/** Every file under `outDir`, relative, with forward slashes, sorted. */
function listFiles(outDir: string): string[] {
  return readdirSync(outDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(outDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

export const esbuildRunner: BundlerRunner = {
  name: 'esbuild',
  hashesNames: true,
  async build(config) {
    const result = await build(esbuildOptions(config));
    return {
      outDir: config.outDir,
      files: listFiles(config.outDir),
      warnings: result.warnings.map(formatWarning),
    };
  },
};

export default esbuildRunner;
