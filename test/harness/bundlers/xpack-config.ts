// What the webpack and rspack runners share: the neutral build mapped to their (nearly identical)
// configuration, the run itself, and reading the outcome.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOutcome, NeutralBuild } from '../types';

/** Scenario sources live in temp folders: packages and loaders resolve from the test package. */
const TEST_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

/** The common part of a webpack / rspack configuration for a neutral build. */
export function xpackBaseConfig(config: NeutralBuild) {
  const names = config.hashedNames === false ? '[name]' : '[name].[contenthash]';
  const entryNames = config.hashedEntryNames === false ? '[name]' : names;
  return {
    mode: 'production' as const,
    context: config.root,
    entry: Object.fromEntries(
      Object.entries(config.entries).map(([name, file]) => [name, `./${file.replace(/^\.\//, '')}`]),
    ),
    target: config.platform === 'node' ? ('node' as const) : ('web' as const),
    output: {
      path: config.outDir,
      filename: `${entryNames}.js`,
      chunkFilename: `${names}.js`,
      cssFilename: `${names}.css`,
      cssChunkFilename: `${names}.css`,
    },
    ...(config.sourcemap === undefined
      ? {}
      : { devtool: config.sourcemap === 'external' ? ('source-map' as const) : (false as const) }),
    optimization: { minimize: config.minify !== false },
    resolve: { modules: ['node_modules', TEST_NODE_MODULES] },
    resolveLoader: { modules: ['node_modules', TEST_NODE_MODULES] },
    // Size hints and the like are not what the scenarios check; hogmaps' own warnings are.
    performance: false as const,
    infrastructureLogging: { level: 'error' as const },
    stats: 'none' as const,
  };
}

/** The hashbang of the first entry that has one: webpack and rspack drop it, a raw banner restores it. */
export function entryHashbang(config: NeutralBuild): string | undefined {
  for (const file of Object.values(config.entries)) {
    const first = readFileSync(path.join(config.root, file), 'utf8').split('\n', 1)[0] ?? '';
    if (first.startsWith('#!')) return first.trimEnd();
  }
  return undefined;
}

interface StatsLike {
  hasErrors(): boolean;
  toJson(options: object): { errors?: { message: string }[]; warnings?: { message: string }[] };
}

interface CompilerLike {
  run(callback: (error: Error | null, stats?: StatsLike) => void): void;
  close(callback: (error?: Error | null) => void): void;
}

/** Runs a compiler once (promisified), closes it, throws with every stats error, returns the warnings. */
export async function runCompiler(compiler: CompilerLike): Promise<string[]> {
  const stats = await new Promise<StatsLike>((resolve, reject) => {
    compiler.run((error, result) => {
      compiler.close((closeError) => {
        if (error || closeError || !result) reject(error ?? closeError ?? new Error('no stats'));
        else resolve(result);
      });
    });
  });
  const json = stats.toJson({ all: false, errors: true, warnings: true });
  if (stats.hasErrors()) {
    throw new Error(`build failed:\n${(json.errors ?? []).map((error) => error.message).join('\n')}`);
  }
  return (json.warnings ?? []).map((warning) => warning.message);
}

/** Every file under `outDir`, relative, with forward slashes, sorted. */
export function listFiles(outDir: string): string[] {
  return (readdirSync(outDir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(outDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

export function outcome(config: NeutralBuild, warnings: string[]): BuildOutcome {
  return { outDir: config.outDir, files: listFiles(config.outDir), warnings };
}
