import { existsSync } from 'node:fs';
import { errorMessage, shouldFailBuild } from '../../errors';
import { listNames } from '../../folder/display';
import type { PluginContext } from '../context';
import {
  type ChunkRecords,
  collectBuildChunks,
  createChunkRecords,
  finalizeChunkRecords,
  orphanMaps,
} from './xpack-chunks';
import { hasMapPlugin, hiddenMapOptions, planSourceMaps, type SourceMapPlan } from './xpack-devtool';
import { injectAssets } from './xpack-inject';
import { applyReservedLine, fillAssets, reservedLineStage, reservesLine } from './xpack-reserved-line';
import type { XpackApi, XpackCompiler } from './xpack-types';

export type { XpackCompiler } from './xpack-types';

const NAME = 'hogmaps';

/** `compiler.rspack` on rspack, `compiler.webpack` on webpack: classes always come from the host. */
function bundlerApi(compiler: XpackCompiler, context: PluginContext): XpackApi {
  const api = (context.bundler === 'rspack' ? (compiler.rspack ?? compiler.webpack) : compiler.webpack) as
    | XpackApi
    | undefined;
  if (!api?.sources || !api.Compilation) {
    throw new Error(
      `hogmaps: this ${context.bundler} compiler has no compiler.${context.bundler} API (webpack ≥ 5 / rspack ≥ 1 needed)`,
    );
  }
  return api;
}

/**
 * webpack and rspack support, one code path for both (called from unplugin's `webpack(compiler)` and
 * `rspack(compiler)` hooks, while the plugin is applied and before the bundler fills in its defaults).
 *
 * - The release is prepared from the start of each run (`beforeRun` / `watchRun`), awaited before
 *   injecting.
 * - Every JavaScript file of every chunk is injected in `processAssets`, after minification
 *   (OPTIMIZE_SIZE) and before real content hashes are computed (OPTIMIZE_HASH): `[contenthash]`
 *   names and SRI hashes cover the injected code. webpack injects before source maps are made
 *   (DEV_TOOLING): the asset becomes a ReplaceSource over its own source, and a map, if the devtool
 *   makes one, maps through the insertions exactly, in the same single pass and at the same size as
 *   without hogmaps. rspack fills a line reserved for the snippet after the maps are made
 *   (xpack-reserved-line.ts), so no map leaves Rust.
 * - With no devtool configured, hidden maps (no sourceMappingURL) are added for the upload and deleted
 *   afterwards; a user's devtool is respected; an explicit `false` gets one warning (ids only).
 * - After emit (files on disk), the files are handed to the process-wide session, which uploads each
 *   chunk id once even across a MultiCompiler's compilers, and skips watch rebuilds unless asked.
 */
export function applyXpackPlugin(compiler: XpackCompiler, context: PluginContext): void {
  if (!context.active) return;
  const api = bundlerApi(compiler, context);
  // Read now: webpack and rspack replace an unset devtool with their default right after plugins apply.
  const configuredDevtool = compiler.options.devtool;
  const userMapPlugin = hasMapPlugin(compiler, api);
  const reserved = reservesLine(context, api);
  if (reserved) applyReservedLine(compiler, api);
  let plan: SourceMapPlan | undefined;
  let warned = false;
  let records: ChunkRecords = createChunkRecords();
  const decide = (): SourceMapPlan =>
    planSourceMaps({
      configured: configuredDevtool,
      effective: compiler.options.devtool,
      userMapPlugin,
      wantsMaps: context.wantsMaps,
    });

  compiler.hooks.afterEnvironment.tap(NAME, () => {
    plan = decide();
    if (plan.kind === 'ours') {
      new api.SourceMapDevToolPlugin(hiddenMapOptions(compiler)).apply(compiler);
      context.logger.debug(
        `${context.bundler}: no devtool configured, adding hidden source maps for the upload`,
      );
    }
  });

  // No compilation exists yet: the release's warnings go to webpack's / rspack's infrastructure log.
  const infrastructure = compiler.getInfrastructureLogger(NAME);
  const uploads = () => !compiler.watchMode || context.options.uploadInWatchMode;
  const prepare = async () => {
    await context.reportThrough({ warn: (message) => infrastructure.warn(message) }, () => context.prepare());
  };
  // Started before each run and awaited where chunks are injected: the release is detected (and in
  // event mode registered) while the bundler compiles. A failure surfaces there, as a build error.
  const startPreparing = async () => void prepare().catch(() => undefined);
  compiler.hooks.beforeRun.tapPromise(NAME, startPreparing);
  compiler.hooks.watchRun.tapPromise(NAME, startPreparing);

  compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
    // Applied to a compiler that was already set up (no afterEnvironment seen): too late to add maps.
    if (!plan) {
      const late = decide();
      plan = late.kind === 'ours' ? { kind: 'none', warning: undefined } : late;
    }
    const currentPlan = plan;
    const current = createChunkRecords();
    records = current;
    const stage = reserved ? reservedLineStage(api) : api.Compilation.PROCESS_ASSETS_STAGE_DEV_TOOLING - 1;
    compilation.hooks.processAssets.tapPromise({ name: NAME, stage }, async () => {
      // Missing maps only matter to a build that uploads; watch rebuilds do not, unless asked.
      if (currentPlan.warning && !warned && uploads()) {
        warned = true;
        compilation.warnings.push(bundlerError(api, currentPlan.warning));
      }
      await prepare(); // started in beforeRun / watchRun, unless a tool compiles without running
      if (!reserved) return injectAssets(compilation, api, context, current);
      const { late, directivesStay } = fillAssets(compilation, api, context, current);
      const warn = (files: string[], why: string) => {
        if (files.length === 0) return;
        compilation.warnings.push(
          bundlerError(
            api,
            `${files.length} JavaScript file(s) ${why}, got no chunk id: ${listNames(files)}`,
          ),
        );
      };
      warn(
        late,
        'added or rewritten by another plugin after minification, without the line hogmaps reserves there',
      );
      warn(
        directivesStay,
        'starting with a directive continued over a line break, which cannot move onto the line hogmaps reserves',
      );
    });
    // After OPTIMIZE_HASH: files renamed by realContentHash are recorded under their final names.
    compilation.hooks.processAssets.tapPromise(
      { name: NAME, stage: api.Compilation.PROCESS_ASSETS_STAGE_REPORT },
      async () => finalizeChunkRecords(compilation, current),
    );
  });

  compiler.hooks.afterEmit.tapPromise(NAME, async (compilation) => {
    const outDir = compilation.outputOptions.path ?? compiler.outputPath;
    const ours = plan?.kind === 'ours';
    const chunks = collectBuildChunks(compilation, records, outDir, ours);
    if (chunks.length > 0 && !chunks.some((chunk) => existsSync(chunk.jsPath))) {
      // A dev server's in-memory output: nothing on disk to upload, and no manifest to write.
      context.logger.debug(`${context.bundler}: the output is not on disk, nothing to upload`);
      return;
    }
    // A framework that finishes once for several compilers judges the whole build, not this compiler.
    if (chunks.length === 0 && !context.finishesElsewhere) {
      compilation.warnings.push(
        bundlerError(api, 'no JavaScript chunk was given a chunk id (check include/exclude)'),
      );
    }
    const reporter = { warn: (message: string) => compilation.warnings.push(bundlerError(api, message)) };
    try {
      await context.reportThrough(reporter, () =>
        context.finishBuild({
          outDir,
          chunks,
          extraMapsToDelete: ours ? orphanMaps(records, outDir, chunks) : [],
          watch: compiler.watchMode,
        }),
      );
    } catch (error) {
      const message = errorMessage(error).replace(/^hogmaps /, '');
      const report = bundlerError(
        api,
        message.startsWith('upload failed') ? message : `upload failed: ${message}`,
      );
      if (shouldFailBuild(error, context.options)) compilation.errors.push(report);
      else compilation.warnings.push(report);
    }
  });
}

function bundlerError(api: XpackApi, message: string): Error {
  const ErrorClass = api.WebpackError ?? Error;
  return new ErrorClass(`[hogmaps] ${message}`);
}
