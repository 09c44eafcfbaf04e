import type { BundlerName, Options } from '@hogmaps/core';

/** A bundler-neutral build: each runner maps it to its bundler's native config and runs it in-process. */
export interface NeutralBuild {
  /** Folder holding the scenario's sources (copied per test, so builds never share files). */
  root: string;
  /** Absolute output folder (fresh per build). */
  outDir: string;
  /** Entry points, relative to `root`, by output name: e.g. `{ app: 'src/main.js' }`. */
  entries: Record<string, string>;
  /**
   * Browser-like ESM app (`browser`) or a Node program (`node`: keep the hashbang, target node). A
   * `node` build must run with `node <outDir>/<entry file>` (CommonJS output, or `.mjs`), its entry file
   * named after the entry (`cli.cjs`, `cli.<hash>.js`, …).
   */
  platform: 'browser' | 'node';
  /** Options passed to the hogmaps plugin; `undefined` builds WITHOUT the plugin (baseline). */
  hogmaps: Options | undefined;
  /** Minify the output (the default production setting of each bundler). @default true */
  minify?: boolean;
  /** Content-hashed file names (`[name]-[contenthash].js`) where the bundler supports them. @default true */
  hashedNames?: boolean;
  /** Content-hashed names for entry files too (esbuild's default names entries `[dir]/[name]`). @default hashedNames */
  hashedEntryNames?: boolean;
  /**
   * Source maps the USER configured: `undefined` = none configured (hogmaps turns on hidden maps),
   * `'external'` = user wants maps with a sourceMappingURL comment, `false` = explicitly off.
   */
  sourcemap?: 'external' | false;
}

export interface BuildOutcome {
  outDir: string;
  /** Every emitted file, relative to `outDir`, forward slashes, sorted. */
  files: string[];
  /**
   * Warnings the bundler (or hogmaps through the bundler) reported. A plugin's warning reads
   * `[<plugin name>] <message>`, so hogmaps' own start with `[hogmaps]`.
   */
  warnings: string[];
}

export interface BundlerRunner {
  readonly name: BundlerName;
  /** True when the bundler names output files by content hash (its `[contenthash]` / `[hash]`). */
  readonly hashesNames: boolean;
  build(config: NeutralBuild): Promise<BuildOutcome>;
}
