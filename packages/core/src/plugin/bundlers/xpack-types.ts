// The slice of webpack's and rspack's compiler API that xpack.ts uses, typed structurally: core imports
// neither bundler, and one code path serves both (their classes come from `compiler.webpack` /
// `compiler.rspack`, never from a second copy of the bundler).

export interface XpackTap {
  name: string;
  stage?: number;
}

interface SyncHook<Args extends unknown[]> {
  tap(options: string | XpackTap, fn: (...args: Args) => void): void;
}

interface AsyncHook<Args extends unknown[]> {
  tapPromise(options: string | XpackTap, fn: (...args: Args) => Promise<void>): void;
}

export interface XpackSource {
  source(): string | Buffer;
}

export interface XpackAssetInfo {
  hotModuleReplacement?: boolean;
  related?: { sourceMap?: string | string[] | null | undefined };
  [key: string]: unknown;
}

export interface XpackAsset {
  name: string;
  source: XpackSource;
  info: XpackAssetInfo;
}

export interface XpackChunk {
  files: Iterable<string>;
  /** The chunk holds the runtime, which runs every module of its entrypoint (webpack and rspack). */
  hasRuntime(): boolean;
}

export interface XpackCompilation {
  hooks: {
    processAssets: AsyncHook<[assets: Record<string, unknown>]>;
  };
  chunks: Iterable<XpackChunk>;
  getAsset(name: string): Readonly<XpackAsset> | undefined;
  getAssets(): ReadonlyArray<Readonly<XpackAsset>>;
  /** `source` is one made from the same bundler's `sources`, `info` a function of the previous info
   * (typed `never`: each bundler's Source and AssetInfo have more members than xpack needs). */
  updateAsset(name: string, source: never, info: never): void;
  errors: { push(...errors: Error[]): unknown };
  warnings: { push(...warnings: Error[]): unknown };
  outputOptions: { path?: string | undefined };
}

/** webpack-sources' ReplaceSource (rspack's keeps the edits native when its original is). */
export interface XpackReplaceSource extends XpackSource {
  insert(position: number, content: string): void;
}

export interface XpackSources {
  RawSource: new (value: string) => XpackSource;
  ReplaceSource: new (source: XpackSource, name?: string) => XpackReplaceSource;
  CachedSource: new (source: XpackSource) => XpackSource;
  CompatSource: new (source: XpackSource) => XpackSource;
}

export interface XpackSourceMapDevToolOptions {
  filename: string;
  append: false;
  noSources: boolean;
  test: RegExp;
  moduleFilenameTemplate?: unknown;
  fallbackModuleFilenameTemplate?: unknown;
  namespace?: string;
}

/** What `compiler.webpack` and `compiler.rspack` both offer. */
export interface XpackApi {
  Compilation: {
    PROCESS_ASSETS_STAGE_OPTIMIZE_SIZE: number;
    PROCESS_ASSETS_STAGE_DEV_TOOLING: number;
    PROCESS_ASSETS_STAGE_REPORT: number;
  };
  SourceMapDevToolPlugin: new (
    options: XpackSourceMapDevToolOptions,
  ) => { apply(compiler: XpackCompiler): void };
  WebpackError?: new (message: string) => Error;
  /** rspack's is native (xpack-reserved-line.ts). */
  BannerPlugin?: new (options: {
    banner: string;
    raw: boolean;
    test: RegExp;
    stage: number;
  }) => { apply(compiler: XpackCompiler): void };
  sources: XpackSources;
}

export interface XpackOutputOptions {
  path?: string | undefined;
  devtoolModuleFilenameTemplate?: unknown;
  devtoolFallbackModuleFilenameTemplate?: unknown;
  devtoolNamespace?: string | undefined;
}

/** Structurally both `webpack.Compiler` and `@rspack/core`'s `Compiler`. */
export interface XpackCompiler {
  options: {
    devtool?: unknown;
    mode?: string | undefined;
    watch?: boolean | undefined;
    output: XpackOutputOptions;
    plugins: readonly unknown[];
  };
  outputPath: string;
  watchMode: boolean;
  webpack?: unknown;
  rspack?: unknown;
  getInfrastructureLogger(name: string): { warn(...args: unknown[]): void };
  hooks: {
    afterEnvironment: SyncHook<[]>;
    beforeRun: AsyncHook<[compiler: unknown]>;
    watchRun: AsyncHook<[compiler: unknown]>;
    thisCompilation: SyncHook<[compilation: XpackCompilation]>;
    afterEmit: AsyncHook<[compilation: XpackCompilation]>;
  };
}
