import type { LogLevel } from '../logger';

/** `event`: release id injected, symbol sets uploaded unbound. `symbol-set`: sets bound at upload. */
export type ReleaseMode = 'symbol-set' | 'event';

/** How symbol-set containers are compressed: `auto` uses zstd when it is available. */
/** Where a build uploads from (see `uploadThread`). */
export type UploadThread = 'auto' | 'worker' | 'main';

export type Compression = 'auto' | 'zstd' | 'none';

/**
 * Selects output files by their path relative to the output directory (forward slashes, any
 * `?query` removed). A glob without `/` matches the base name (`*.worker.js`); one with `/`
 * matches the whole relative path (`assets/**`).
 */
export type FilePattern = string | RegExp | ((fileName: string) => boolean);

/**
 * The options users pass to every hogmaps plugin and to the CLI. PostHog's own plugin options
 * (`@posthog/rollup-plugin`, `@posthog/webpack-plugin`) are accepted with the same meaning.
 *
 * An empty or blank string counts as "not set", so `personalApiKey: process.env.KEY` falls back
 * to the environment and then to inject-only mode when a CI secret is unavailable.
 */
export interface Options {
  /**
   * Master switch. `false` makes the plugin do nothing at all (no injection, no upload).
   * @default true
   */
  enabled?: boolean;
  /**
   * PostHog personal API key (`phx_…`) with the `error_tracking:write` scope. Falls back to
   * `POSTHOG_PERSONAL_API_KEY`, then `POSTHOG_CLI_API_KEY`, then the legacy `POSTHOG_CLI_TOKEN`.
   * Without a key (or a project id) chunk ids are still injected and nothing is uploaded.
   * @default undefined
   */
  personalApiKey?: string;
  /**
   * Numeric PostHog project id. Falls back to `POSTHOG_CLI_PROJECT_ID`, then the legacy
   * `POSTHOG_CLI_ENV_ID`.
   * @default undefined
   */
  projectId?: string | number;
  /**
   * @deprecated Use `projectId`; accepted because PostHog's plugins accepted it.
   * @default undefined
   */
  envId?: string | number;
  /**
   * PostHog API host (http or https URL; a trailing slash is removed). Falls back to
   * `POSTHOG_CLI_HOST`. Use `https://eu.i.posthog.com` for the EU cloud.
   * @default 'https://us.i.posthog.com'
   */
  host?: string;
  /**
   * How much hogmaps prints; `silent` prints nothing.
   * @default 'info'
   */
  logLevel?: LogLevel;
  /**
   * Accepted for compatibility with PostHog's plugins and ignored: hogmaps needs no native binary.
   * @default undefined
   */
  cliBinaryPath?: string;
  /** Source-map and release settings, as in PostHog's plugins. */
  sourcemaps?: SourcemapsOptions;
  /**
   * Fail the build when the upload fails (network, auth, server). Invalid options always fail.
   * @default false
   */
  failOnError?: boolean;
  /**
   * Maximum concurrent file uploads (1–64).
   * @default 10
   */
  concurrency?: number;
  /**
   * Milliseconds an HTTP request may go without progress (no headers, no body bytes) before it
   * fails and is retried. See `requestTimeout` for a limit on the whole request.
   * @default 30000
   */
  timeout?: number;
  /**
   * Milliseconds one HTTP request may take in all, from connecting to the last body byte, however
   * steadily a slow server trickles: then it fails and is retried like a network error.
   * @default 300000
   */
  requestTimeout?: number;
  /**
   * Milliseconds the whole symbol-set upload of a build may take (every set, retries and waits
   * included). What is not on the server by then is reported as failed, its maps are kept
   * out of the output, and `hogmaps upload --manifest` finishes the job: a slow or throttling
   * server never holds a CI job for long. A server's `Retry-After` is honoured up to 10 s.
   * @default 600000
   */
  uploadTimeout?: number;
  /**
   * Where a build uploads from. `'worker'`: a worker thread, so the upload's buffers (tens of MB)
   * never make V8 collect the bundler's heap; `'main'`: the build's own thread; `'auto'`: a worker
   * when the build's JavaScript heap is 1 GiB or more as its first chunk renders (rollup on a big
   * app), where that collection costs seconds and a worker about 0.1 s to start, which it does then,
   * while the bundler works on. A proxy, or a preset that rewrites map sources, always uploads from
   * the build's own thread.
   * @default 'auto'
   */
  uploadThread?: UploadThread;
  /**
   * Retries after a failed attempt (network error, 408, 429, 5xx), with exponential backoff
   * (0–10). The default makes 3 attempts in all, like PostHog's CLI.
   * @default 2
   */
  retries?: number;
  /**
   * HTTP(S) proxy URL for every request. `false` ignores the proxy environment variables.
   * When unset: `https_proxy`/`HTTPS_PROXY` (https URLs, else `http_proxy`/`HTTP_PROXY`),
   * honouring `no_proxy`/`NO_PROXY`.
   * @default undefined (from the environment)
   */
  proxy?: string | false;
  /**
   * Extra headers on every PostHog API request (not on object-storage uploads). `Authorization`
   * cannot be set here: it comes from `personalApiKey`.
   * @default {}
   */
  headers?: Record<string, string>;
  /**
   * Only files matching at least one pattern get chunk ids and are uploaded.
   * @default undefined (every JavaScript chunk)
   */
  include?: FilePattern | readonly FilePattern[];
  /**
   * Files matching any pattern are skipped, even when `include` matches them.
   * @default undefined
   */
  exclude?: FilePattern | readonly FilePattern[];
  /**
   * Inject and log every request that would be made, without sending any.
   * @default false
   */
  dryRun?: boolean;
  /**
   * Write a manifest (release, chunk ids, files, hashes, upload status) so `hogmaps upload` can
   * retry later. `true` writes `hogmaps-manifest.json` in the output directory; a string names
   * the file (relative paths are relative to the output directory).
   * @default true
   */
  manifest?: boolean | string;
  /**
   * Also upload on watch-mode rebuilds (`vite build --watch`, `webpack --watch`).
   * @default false
   */
  uploadInWatchMode?: boolean;
  /**
   * Keep what the server has when a chunk id was already uploaded with other content.
   * Cannot be combined with `force`.
   * @default false
   */
  skipOnConflict?: boolean;
  /**
   * Replace what the server has when a chunk id was already uploaded with other content.
   * @default true in event mode (as PostHog's CLI does), false in symbol-set mode
   */
  force?: boolean;
  /**
   * Compression of uploaded symbol sets. `auto` uses zstd when available, else none.
   * @default 'auto'
   */
  compression?: Compression;
}

export interface SourcemapsOptions {
  /**
   * `false` turns the source-map feature off: no chunk ids, no upload.
   * @default true
   */
  enabled?: boolean;
  /**
   * Release name. Default: detected from CI or git (repository name), then `package.json`.
   * @default undefined (detected)
   */
  releaseName?: string;
  /**
   * Alias of `releaseName` (PostHog's older spelling).
   * @default undefined
   */
  project?: string;
  /**
   * Release version. Default: detected from CI or git (commit SHA), then `package.json`.
   * @default undefined (detected)
   */
  releaseVersion?: string;
  /**
   * Alias of `releaseVersion` (PostHog's older spelling).
   * @default undefined
   */
  version?: string;
  /**
   * Build number, stored as `version+build` like PostHog's CLI.
   * @default undefined
   */
  build?: string | number;
  /**
   * Delete the source maps hogmaps turned on (hidden maps, so no `sourceMappingURL` points at them)
   * once they are uploaded, so they never ship. Maps whose upload failed are moved out of the output
   * to `node_modules/.cache/hogmaps/pending` for `hogmaps upload --manifest`. Maps you configured
   * yourself are left alone.
   * @default true
   */
  deleteAfterUpload?: boolean;
  /**
   * Symbol sets per `bulk_start_upload` request (1–1000).
   * @default 50
   */
  batchSize?: number;
  /**
   * Falls back to `POSTHOG_RELEASE_MODE`.
   * @default 'event'
   */
  releaseMode?: ReleaseMode;
  /**
   * Event mode: which chunks carry the release id (`_posthogReleaseId`, which the SDK sends as
   * `$release_id`; the first chunk that runs sets it).
   *
   * - `'entries'`: the chunks that start the app: entry chunks and webpack/Rspack runtime chunks. Every
   *   other chunk gets the chunk-id-only snippet and keeps its bytes across releases, so a deploy
   *   renames only the entries, the chunks whose code changed, and the chunks whose code names those
   *   files. The cost: an ES-module entry runs after the chunks it imports statically, so an error
   *   thrown while those are first evaluated (before the entry's own code runs; with a facade entry,
   *   which Rollup and Rolldown make when the entry module went into a shared chunk, that includes the
   *   entry module's top-level code) reaches PostHog without `$release_id`; its stack trace still
   *   resolves (through the chunk ids).
   *   In a Vite app built from HTML pages, each page carries it instead of its entry chunk: a small
   *   script (`assets/hogmaps-release-[hash].js`, deferred, before the page's module scripts) sets it
   *   before any chunk runs, so that a release alone renames no chunk, not even the lazy chunks that
   *   import the code Vite keeps in the entry chunk. A page served other than as Vite built it (a
   *   backend that renders its own HTML from Vite's manifest) then has no release: use
   *   `'entry-chunks'`.
   * - `'entry-chunks'`: the entry chunks and runtime chunks, also in Vite apps built from HTML pages.
   * - `'startup-chunks'`: the entries and also the chunks an ES-module entry imports statically, so
   *   that even those errors carry the release; a release then renames the shared chunks and every
   *   chunk that imports them.
   * - `'every-chunk'`: every chunk, as PostHog's own plugins do: every file changes (and, with
   *   content-hashed names, is renamed and downloaded again) on every release.
   *
   * Symbol sets are not uploaded again for a release alone either way (the content hash ignores it).
   * @default 'entries'
   */
  releaseInjection?: ReleaseInjection;
}

/** Which chunks get the release id in event mode; see `SourcemapsOptions.releaseInjection`. */
export type ReleaseInjection = 'entries' | 'entry-chunks' | 'startup-chunks' | 'every-chunk';

/** Where the API key came from, for logs: the option name or the environment variable. */
export type ApiKeySource =
  | 'personalApiKey'
  | 'POSTHOG_PERSONAL_API_KEY'
  | 'POSTHOG_CLI_API_KEY'
  | 'POSTHOG_CLI_TOKEN';

/** Where the project id came from. */
export type ProjectIdSource = 'projectId' | 'envId' | 'POSTHOG_CLI_PROJECT_ID' | 'POSTHOG_CLI_ENV_ID';

/** A message from resolution for the caller to log once its logger exists. */
export interface OptionNote {
  readonly level: 'debug' | 'warn';
  readonly message: string;
}

export interface Credentials {
  /** The personal API key. Never log it: use `maskApiKey`. */
  readonly apiKey: string;
  /** Numeric, as a string. */
  readonly projectId: string;
}

/** Every option resolved: explicit option, then environment, then default. Frozen. */
export interface ResolvedOptions {
  readonly enabled: boolean;
  /** `undefined` when the key or the project id is missing: inject only, upload nothing. */
  readonly credentials: Credentials | undefined;
  /** Which of the two credentials are missing; empty when `credentials` is set. */
  readonly missingCredentials: readonly ('personalApiKey' | 'projectId')[];
  readonly apiKeySource: ApiKeySource | undefined;
  readonly projectIdSource: ProjectIdSource | undefined;
  /** No trailing slash. */
  readonly host: string;
  readonly logLevel: LogLevel;
  readonly sourcemaps: {
    readonly enabled: boolean;
    readonly deleteAfterUpload: boolean;
    readonly batchSize: number;
    readonly releaseMode: ReleaseMode;
    readonly releaseInjection: ReleaseInjection;
  };
  /** Explicit release identity; what is `undefined` here is detected later. */
  readonly release: {
    readonly name: string | undefined;
    readonly version: string | undefined;
    readonly build: string | undefined;
  };
  readonly failOnError: boolean;
  readonly concurrency: number;
  /** Milliseconds without progress before a request fails. */
  readonly timeout: number;
  /** Milliseconds one request may take in all. */
  readonly requestTimeout: number;
  /** Milliseconds the whole upload may take. */
  readonly uploadTimeout: number;
  readonly uploadThread: UploadThread;
  /** Retries after the first attempt: `retries + 1` attempts in all. */
  readonly retries: number;
  /** The proxy for requests to `host`, or `undefined` for a direct connection. */
  readonly proxy: string | undefined;
  /**
   * The proxy for any URL (presigned object-storage URLs differ from `host`); undefined when no
   * request can go through one.
   */
  readonly proxyFor: ((url: string) => string | undefined) | undefined;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  /** `include` and `exclude` as one predicate over output-relative file names. */
  readonly filter: (fileName: string) => boolean;
  /** False when neither `include` nor `exclude` is given: `filter` passes every file. */
  readonly filtersFiles: boolean;
  readonly dryRun: boolean;
  readonly manifest: { readonly enabled: boolean; readonly fileName: string };
  readonly uploadInWatchMode: boolean;
  readonly force: boolean;
  readonly skipOnConflict: boolean;
  readonly compression: Compression;
  /** Absolute working directory (release detection reads `.git` and `package.json` from it). */
  readonly cwd: string;
  /** Deprecations, ignored options and detected values, to log at their level. */
  readonly notes: readonly OptionNote[];
}
