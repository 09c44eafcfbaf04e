import { AsyncLocalStorage } from 'node:async_hooks';
import { injectInto, type MagicStringLike } from '../inject/inject-into';
import { createLogger, type Logger, type LogLevel } from '../logger';
import { describeOptions } from '../options/describe';
import { resolveOptions } from '../options/resolve';
import type { Options, ResolvedOptions } from '../options/types';
import { getBuildSession } from '../session/registry';
import type { BuildResult, BuildSession, BundlerName, InjectionContext } from '../session/session';
import { releaseIdForChunk } from './startup-chunks';

/** What the plugin knows of who created it: the adapter's version, a framework's project root, and
 * maybe who finishes builds. */
export interface PluginMeta {
  version?: string;
  /** Where the release is detected (`.git`, `package.json`); defaults to the process's working directory. */
  cwd?: string;
  /**
   * Takes each build's chunks instead of the session (which would upload them now): for a framework
   * that runs several compilers, maybe in several processes, and finishes once afterwards.
   */
  finishBuild?: (result: BuildResult, session: BuildSession) => Promise<unknown>;
  /**
   * Whether the upload's worker may start while the bundler renders (BuildSession.warmUpload): by
   * default only without `finishBuild`, as a build finished elsewhere would not use it. A
   * `finishBuild` that hands each build to `session.finishBuild` at once, here, can say yes.
   */
  warmUpload?: boolean;
}

/** Where warnings go while a bundler hook runs: the bundler's own channel (`this.warn`, stats). */
export interface BuildReporter {
  warn(message: string): void;
  /**
   * Also print the line on stderr: for a bundler that collects messages without showing them
   * (esbuild's JS API never prints what `onEnd` returns).
   */
  print?: boolean;
}

/** Everything a bundler's hooks need, built once per plugin instance. Hooks read nothing else. */
export interface PluginContext {
  readonly bundler: BundlerName;
  readonly options: ResolvedOptions;
  readonly session: BuildSession;
  readonly logger: Logger;
  /** False when `enabled: false` or `sourcemaps.enabled: false`: every hook is a no-op. */
  readonly active: boolean;
  /**
   * Whether hogmaps should turn on hidden maps when the user configured none: only when something
   * will be uploaded (credentials present); otherwise maps would be made for nothing.
   */
  readonly wantsMaps: boolean;
  /** Resolves the release (once per process) before any chunk is rendered. */
  prepare(): Promise<InjectionContext>;
  /**
   * The session's chunk id for a chunk's code (BuildSession.chunkIdFor). The bundler has its module
   * graph by now, so this also starts the upload's worker (BuildSession.warmUpload) where
   * `PluginMeta.warmUpload` allows.
   */
  chunkIdFor(code: string, mapText?: () => string | undefined): string;
  /** Hands a written build to the session (upload, map policy, manifest, summary), or to `PluginMeta.finishBuild`. */
  finishBuild(result: BuildResult): Promise<unknown>;
  /** `PluginMeta.finishBuild` was given: this build is judged (and its summary printed) elsewhere. */
  readonly finishesElsewhere: boolean;
  /**
   * The release id for one chunk's snippet (event mode, once prepared): for a startup chunk (one the
   * bundler's hooks found to carry the release under `sourcemaps.releaseInjection`, see
   * startup-chunks.ts), or for every chunk with 'every-chunk'; undefined otherwise (chunk-id-only
   * snippet).
   */
  releaseIdFor(startup: boolean): string | undefined;
  /**
   * Injects one chunk with the session's release into the bundler's editor (its `magicString` or
   * ReplaceSource), which makes the map; `prepare()` must have finished. `injected` is false when the
   * code already carried an id.
   */
  inject(
    code: string,
    options: { startup: boolean; magicString: MagicStringLike; appendComment?: boolean },
  ): { injected: boolean; chunkId: string };
  /**
   * Runs `task` with hogmaps' warnings and errors (its own and the shared session's) sent to
   * `reporter` instead of stderr, so they reach the user, and the bundler's log filters, the way the
   * bundler reports everything else. Info and debug lines still go to stderr.
   */
  reportThrough<T>(reporter: BuildReporter, task: () => T): T;
}

// Module-wide, so a session created by one plugin instance reports through whichever bundler hook is
// running (Vite client and SSR builds share one session).
const reporters = new AsyncLocalStorage<BuildReporter>();
const PREFIX = '[hogmaps]';

/** A logger whose warnings and errors go to the bundler while one of its hooks runs. */
function createRoutedLogger(level: LogLevel): Logger {
  const stderr = (line: string) => process.stderr.write(`${line}\n`);
  return createLogger({
    level,
    prefix: PREFIX,
    write(line, at) {
      const reporter = at === 'warn' || at === 'error' ? reporters.getStore() : undefined;
      if (!reporter || reporter.print) stderr(line);
      if (!reporter) return;
      // The bundler names the plugin itself; keep only the tag of an error, which is still news.
      const message = line.replace(/^\[hogmaps[^\]]*\] (?:warning: )?/, '');
      reporter.warn(message);
    },
  });
}

export function createPluginContext(
  userOptions: Options | undefined,
  bundler: BundlerName,
  meta: PluginMeta = {},
): PluginContext {
  const options = resolveOptions(userOptions, process.env, { cwd: meta.cwd });
  const logger = createRoutedLogger(options.logLevel);
  const session = getBuildSession(options, {
    tool: bundler,
    logger,
    userAgent: `@hogmaps/${bundler}/${meta.version ?? '0.1.0'}`,
  });
  const active = options.enabled && options.sourcemaps.enabled;
  if (active) logger.debug(describeOptions(options));
  else logger.debug('disabled: no chunk ids are injected and nothing is uploaded');
  let injection: InjectionContext | undefined;
  const warms = meta.warmUpload ?? meta.finishBuild === undefined;
  const chunkIdFor = (code: string, mapText?: () => string | undefined): string => {
    if (warms) session.warmUpload();
    return session.chunkIdFor(code, mapText);
  };
  const releaseIdFor = (startup: boolean): string | undefined => {
    if (!injection) throw new Error('hogmaps: prepare() must finish before chunks are injected');
    return releaseIdForChunk(injection.releaseId, options.sourcemaps.releaseInjection, startup);
  };

  return {
    bundler,
    options,
    session,
    logger,
    active,
    wantsMaps: active && options.credentials !== undefined,
    async prepare() {
      injection = await session.prepare();
      return injection;
    },
    finishBuild(result) {
      return meta.finishBuild ? meta.finishBuild(result, session) : session.finishBuild(result);
    },
    finishesElsewhere: meta.finishBuild !== undefined,
    chunkIdFor,
    releaseIdFor,
    inject(code, { startup, magicString, appendComment }) {
      const releaseId = releaseIdFor(startup);
      const { chunkId, target } = injectInto(
        code,
        {
          chunkId: chunkIdFor(code),
          ...(releaseId ? { releaseId } : {}),
          ...(appendComment !== undefined ? { appendComment } : {}),
        },
        () => magicString,
      );
      return { injected: target !== undefined, chunkId };
    },
    reportThrough(reporter, task) {
      return reporters.run(reporter, task);
    },
  };
}
