// esbuild: placeholders in `banner.js` / `footer.js` (esbuild-placeholders.ts) so that every output
// file, code-split chunks included, is injected in memory with valid maps and `[hash]` names. hogmaps
// turns `write` off, finishes the files in onEnd, writes them as esbuild would have, then uploads.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildOptions, BuildResult, OutputFile, PartialMessage, PluginBuild } from 'esbuild';
import { errorMessage, shouldFailBuild } from '../../errors';
import type { BuildChunk } from '../../session/session';
import { forEachConcurrent } from '../../upload/pool';
import type { PluginContext } from '../context';
import {
  createPlaceholders,
  type EsbuildPlaceholders,
  type FinalizedChunk,
  finalizeChunk,
} from './esbuild-placeholders';

type UserSettings = Pick<BuildOptions, 'write' | 'sourcemap' | 'banner' | 'footer'>;
const SETTINGS = ['write', 'sourcemap', 'banner', 'footer'] as const;
/** The user's own settings of an options object while hogmaps' changes are in it (reused objects). */
const originals = new WeakMap<BuildOptions, UserSettings>();
const JS_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);
const WRITE_CONCURRENCY = 16;
const encoder = new TextEncoder();

const MAPS_OFF =
  'source maps are turned off in the esbuild options (sourcemap: false): chunk ids are injected, but nothing can be ' +
  'uploaded. Remove the sourcemap option and hogmaps makes external maps for the upload and deletes them afterwards.';
const MAPS_INLINE =
  "inline source maps cannot be uploaded: chunk ids are injected, nothing is uploaded. Use sourcemap 'external' or 'linked'.";
const NOT_WRITTEN =
  'esbuild write is false: chunk ids are injected into the output files in memory, but nothing is on disk to upload. ' +
  'Write the files, then run `hogmaps upload`.';

function snapshot(options: BuildOptions): UserSettings {
  const settings: UserSettings = {};
  for (const key of SETTINGS)
    if (options[key] !== undefined) Object.assign(settings, { [key]: options[key] });
  return settings;
}

function restore(options: BuildOptions, settings: UserSettings): void {
  for (const key of SETTINGS) {
    if (settings[key] === undefined) delete options[key];
    else Object.assign(options, { [key]: settings[key] });
  }
  originals.delete(options);
}

/** Our placeholder goes last, so a user banner's hashbang or directives stay in front of it. */
function appendLine(user: string | undefined, ours: string): string {
  return user ? `${user}\n${ours}` : ours;
}

function outDirOf(options: BuildOptions): string | undefined {
  const dir = options.outdir ?? (options.outfile ? path.dirname(options.outfile) : undefined);
  return dir === undefined ? undefined : path.resolve(options.absWorkingDir ?? process.cwd(), dir);
}

/** As esbuild writes them: parent folders made, hashbang files executable. */
async function writeOutputs(files: readonly OutputFile[]): Promise<void> {
  const folders = new Set(files.map((file) => path.dirname(file.path)));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  await forEachConcurrent(files, WRITE_CONCURRENCY, async (file) => {
    const hashbang = file.contents[0] === 0x23 && file.contents[1] === 0x21;
    await writeFile(file.path, file.contents, { mode: hashbang ? 0o755 : 0o644 });
  });
}

export function createEsbuildSetup(context: PluginContext): (build: PluginBuild) => void | Promise<void> {
  const { options, session } = context;

  return async (build) => {
    if (!context.active) return;
    const initial = build.initialOptions;
    const user = originals.get(initial) ?? snapshot(initial);
    const outDir = outDirOf(initial);
    if (outDir === undefined) {
      context.logger.warn('esbuild has no outdir or outfile (output to stdout): no chunk ids are injected');
      return;
    }
    // Warnings before the first build ends are returned with it, through esbuild's own log.
    const pending: string[] = [];
    const injection = await context.reportThrough({ warn: (message) => pending.push(message) }, () =>
      context.prepare(),
    );
    const write = user.write !== false;
    const mapsAreOurs = user.sourcemap === undefined && write && context.wantsMaps;
    if (context.wantsMaps && !write) pending.push(NOT_WRITTEN);
    else if (context.wantsMaps && user.sourcemap === false) pending.push(MAPS_OFF);
    else if (context.wantsMaps && user.sourcemap === 'inline') pending.push(MAPS_INLINE);

    const placeholders = createPlaceholders(injection);
    originals.set(initial, user);
    initial.write = false;
    initial.banner = { ...user.banner, js: appendLine(user.banner?.js, placeholders.banner) };
    initial.footer = { ...user.footer, js: appendLine(user.footer?.js, placeholders.footer) };
    if (mapsAreOurs) initial.sourcemap = 'external';
    // esbuild has read the options once the first build starts (rebuilds reuse them): give the
    // user's object back as it was, so a second build() with the same object starts from it.
    let restored = false;
    build.onStart(() => {
      if (restored) return;
      restored = true;
      restore(initial, user);
    });

    let builds = 0;
    build.onEnd(async (result) => {
      builds += 1;
      // esbuild gives plugins no sign of build() versus context(): every build after the first of this
      // setup is a rebuild (context rebuild(), watch(), serve()).
      const rebuild = builds > 1;
      const warnings = pending.splice(0);
      const errors: string[] = [];
      const fail = (error: unknown) =>
        (shouldFailBuild(error, options) ? errors : warnings).push(errorMessage(error));
      await context.reportThrough({ warn: (message) => warnings.push(message) }, async () => {
        try {
          await finishOutputs(result, { rebuild, fail });
        } catch (error) {
          fail(error);
        }
      });
      return { errors: errors.map(toMessage), warnings: warnings.map(toMessage) };
    });

    async function finishOutputs(result: BuildResult, run: { rebuild: boolean; fail(error: unknown): void }) {
      const files = result.outputFiles;
      // A failed build writes nothing, as esbuild itself would not have.
      if (result.errors.length > 0 || !files || outDir === undefined) return;
      const chunks = injectOutputs(files, {
        outDir,
        placeholders,
        jsExtension: initial.outExtension?.['.js'],
        releaseId: injection.releaseId,
        mapsAreOurs,
        context,
        fail: run.fail,
      });
      if (!write) return;
      await writeOutputs(files);
      result.outputFiles = undefined;

      const maps = mapsAreOurs
        ? files.filter((file) => file.path.endsWith('.map')).map((file) => file.path)
        : [];
      const chunkMaps = new Set(chunks.map((chunk) => chunk.mapPath));
      await session.finishBuild({
        outDir,
        chunks,
        extraMapsToDelete: maps.filter((map) => !chunkMaps.has(map)),
        watch: run.rebuild,
      });
    }
  };
}

interface InjectRun {
  outDir: string;
  placeholders: EsbuildPlaceholders;
  /** The user's `outExtension['.js']`, when set. */
  jsExtension: string | undefined;
  releaseId: string | undefined;
  mapsAreOurs: boolean;
  context: PluginContext;
  fail(error: unknown): void;
}

/** Finishes every JS output in place (contents replaced) and returns the chunks that carry an id. */
function injectOutputs(files: readonly OutputFile[], run: InjectRun): BuildChunk[] {
  const { options, session } = run.context;
  const byPath = new Map(files.map((file) => [file.path, file]));
  const chunks: BuildChunk[] = [];
  for (const file of files) {
    const extension = path.extname(file.path);
    if (!JS_EXTENSIONS.has(extension) && !(run.jsExtension && file.path.endsWith(run.jsExtension))) continue;
    const mapFile = byPath.get(`${file.path}.map`);
    const fileName = path.relative(run.outDir, file.path).split(path.sep).join('/');
    let finished: FinalizedChunk | undefined;
    try {
      finished = finalizeChunk({ code: file.text, map: mapFile?.text }, run.placeholders, {
        inject: options.filter(fileName),
        releaseId: run.releaseId,
        chunkIdFor: (code) => session.chunkIdFor(code),
        fileName,
      });
    } catch (error) {
      run.fail(error);
      continue;
    }
    if (!finished) continue;
    file.contents = encoder.encode(finished.code);
    if (mapFile && finished.map !== undefined && finished.map !== mapFile.text) {
      mapFile.contents = encoder.encode(finished.map);
    }
    if (finished.chunkId === undefined) continue;
    chunks.push({
      chunkId: finished.chunkId,
      jsPath: file.path,
      mapPath: mapFile?.path,
      mapIsOurs: run.mapsAreOurs && mapFile !== undefined,
    });
  }
  return chunks;
}

function toMessage(text: string): PartialMessage {
  return { text };
}
