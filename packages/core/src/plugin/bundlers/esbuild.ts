// esbuild: placeholders in `banner.js` / `footer.js` (esbuild-placeholders.ts) so that every output
// file, code-split chunks included, is injected with valid maps and `[hash]` names. esbuild writes the
// files; onEnd finishes them where they are (esbuild-outputs.ts), before any later plugin's onEnd,
// then uploads. A `write: false` build is finished in memory.
import path from 'node:path';
import type { BuildOptions, BuildResult, PartialMessage, PluginBuild } from 'esbuild';
import { errorMessage, HogmapsError, shouldFailBuild } from '../../errors';
import type { PluginContext } from '../context';
import { type FinishRun, finishInMemory, finishOnDisk, outputPaths } from './esbuild-outputs';
import { createPlaceholders } from './esbuild-placeholders';
import { entryReleaseNames, renameInMetafile } from './esbuild-release-names';
import { entryFormatOf, releaseInNames, startupOutputs } from './esbuild-startup';

type UserSettings = Pick<BuildOptions, 'write' | 'sourcemap' | 'banner' | 'footer' | 'metafile'>;
const SETTINGS = ['write', 'sourcemap', 'banner', 'footer', 'metafile'] as const;
/** The user's own settings of an options object while hogmaps' changes are in it (reused objects). */
const originals = new WeakMap<BuildOptions, UserSettings>();

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

export function createEsbuildSetup(context: PluginContext): (build: PluginBuild) => void | Promise<void> {
  const { options } = context;

  return async (build) => {
    if (!context.active) return;
    const initial = build.initialOptions;
    const user = originals.get(initial) ?? snapshot(initial);
    const outDir = outDirOf(initial);
    const workingDir = initial.absWorkingDir ?? process.cwd();
    if (outDir === undefined) {
      context.logger.warn('esbuild has no outdir or outfile (output to stdout): no chunk ids are injected');
      return;
    }
    // Warnings before the first build ends are printed now (esbuild's JS API never prints what a
    // plugin returns from onEnd) and returned with it, in `result.warnings`.
    const pending: string[] = [];
    const setupReporter = { warn: (message: string) => pending.push(message), print: true };
    const warnNow = (message: string) =>
      context.reportThrough(setupReporter, () => context.logger.warn(message));
    const injection = await context.reportThrough(setupReporter, () => context.prepare());
    const write = user.write !== false;
    // Maps off (unset or false): hogmaps makes external maps (no sourceMappingURL), uploads and deletes them.
    const mapsOff = user.sourcemap === undefined || user.sourcemap === false;
    const mapsAreOurs = mapsOff && write && context.wantsMaps;
    if (context.wantsMaps && !write) warnNow(NOT_WRITTEN);
    else if (context.wantsMaps && user.sourcemap === 'inline') warnNow(MAPS_INLINE);

    const inNames = releaseInNames(initial, options.sourcemaps.releaseInjection);
    // Hashed entry names without the release in them: an entry is renamed once it carries it.
    const entryFormat = inNames ? undefined : entryFormatOf(initial);
    const placeholders = createPlaceholders(injection, inNames);
    originals.set(initial, user);
    // The metafile names every file esbuild wrote, for onEnd to finish, and which ones run first.
    initial.metafile = true;
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
      const failures: unknown[] = [];
      const reporter = { warn: (message: string) => warnings.push(message), print: true };
      await context.reportThrough(reporter, async () => {
        try {
          await finishOutputs(result, {
            rebuild,
            fail: (error) => failures.push(error),
            warn: (message) => context.logger.warn(message),
          });
        } catch (error) {
          failures.push(error);
        }
      });
      // Printed here, outside the reporter: each once, on stderr, and returned to esbuild.
      const errors: string[] = [];
      for (const failure of failures) {
        const text = errorMessage(failure);
        if (shouldFailBuild(failure, options)) {
          errors.push(text);
          context.logger.error(text);
        } else {
          warnings.push(text);
          context.logger.warn(text);
        }
      }
      return { errors: errors.map(toMessage), warnings: warnings.map(toMessage) };
    });

    async function finishOutputs(
      result: BuildResult,
      run: { rebuild: boolean; fail(error: unknown): void; warn(message: string): void },
    ) {
      // A failed build writes nothing.
      if (result.errors.length > 0 || outDir === undefined) return;
      const { metafile } = result;
      const startup = metafile
        ? startupOutputs(metafile, initial, workingDir, inNames, options.sourcemaps.releaseInjection)
        : undefined;
      const finish: FinishRun = {
        outDir,
        placeholders,
        jsExtension: initial.outExtension?.['.js'],
        // Without a metafile (a later plugin took it) every output counts as one that runs first.
        releaseIdFor: (file) => context.releaseIdFor(startup === undefined || startup.has(file)),
        mapsAreOurs,
        context,
        fail: run.fail,
        renames: new Map(),
        releaseNameFor:
          metafile && entryFormat
            ? entryReleaseNames(metafile, workingDir, entryFormat, run.warn)
            : undefined,
      };
      if (result.outputFiles) {
        // write is off (the user's setting, or a later plugin's): nothing is on disk to upload.
        finishInMemory(result.outputFiles, finish);
        if (metafile) renameInMetafile(metafile, finish.renames, workingDir);
        if (write && context.wantsMaps) run.warn(NOT_WRITTEN);
        // Maps hogmaps turned on must not ship with what that plugin writes.
        if (mapsAreOurs)
          result.outputFiles = result.outputFiles.filter((file) => !file.path.endsWith('.map'));
        return;
      }
      if (!metafile) {
        throw new HogmapsError(
          'esbuild_no_metafile',
          'esbuild returned no metafile: the written files are unknown',
        );
      }
      const chunks = await finishOnDisk(outputPaths(metafile, workingDir), finish);
      renameInMetafile(metafile, finish.renames, workingDir);
      const files = outputPaths(metafile, workingDir);

      const maps = mapsAreOurs ? files.filter((file) => file.endsWith('.map')) : [];
      const chunkMaps = new Set(chunks.map((chunk) => chunk.mapPath));
      await context.finishBuild({
        outDir,
        chunks,
        extraMapsToDelete: maps.filter((map) => !chunkMaps.has(map)),
        watch: run.rebuild,
      });
    }
  };
}

function toMessage(text: string): PartialMessage {
  return { text };
}
