// Rollup, Vite and rolldown: one code path. Inject in renderChunk (before content hashes), add the
// trailing comment in generateBundle (Vite 8 and rolldown minify after renderChunk and strip it),
// upload in writeBundle once the files are on disk.
import path from 'node:path';
import type { Plugin as RolldownPlugin } from 'rolldown';
import type { Plugin as RollupPlugin } from 'rollup';
import type { Plugin as VitePlugin } from 'vite';
import { detectChunkId } from '../../chunk-id/detect';
import { errorMessage, shouldFailBuild } from '../../errors';
import { appendChunkIdComment, type MagicStringLike } from '../../inject/inject';
import { createChunkIdComment } from '../../inject/snippet';
import type { BuildChunk } from '../../session/session';
import type { PluginContext } from '../context';

type Flavor = 'rollup' | 'rolldown' | 'vite';
type SourcemapOption = boolean | 'inline' | 'hidden' | undefined;
type PathTransform = (relativeSourcePath: string, sourcemapPath: string) => string;

/** The parts of the three bundlers' hook contexts and objects used here (their types differ slightly). */
interface HookThis {
  warn(message: string): void;
  error(error: unknown): never;
  meta: { watchMode?: boolean };
  /** Vite 6+: the environment (`client`, `ssr`, …) being built. */
  environment?: { name: string };
}
interface OutputOptionsLike {
  dir?: string | undefined;
  file?: string | undefined;
  sourcemap?: SourcemapOption;
  sourcemapPathTransform?: PathTransform | undefined;
}
interface RenderedChunkLike {
  fileName: string;
  facadeModuleId: string | null;
}
interface OutputFileLike {
  type: 'chunk' | 'asset';
  fileName: string;
  preliminaryFileName?: string;
  code?: string;
  sourcemapFileName?: string | null;
}
type BundleLike = Record<string, OutputFileLike>;

const JS_FILE = /\.[cm]?js(?:[?#].*)?$/;
const SOURCE_MAPPING_URL_LINE = /\n\/\/[#@] sourceMappingURL=[^\n]*\n?$/;
/** What Vite leaves of an HTML entry that has no inline script: imports only (Vite then drops it). */
const IMPORTS_ONLY = /^\s*(?:import\s*(?:"[^"\n]*"|'[^'\n]*')\s*;?|\/\*[\s\S]*?\*\/|\/\/[^\n]*(?:\n|$)|\s)*$/;

/** Chunks that get an id: JavaScript, not empty, and not an import-only HTML facade. */
function isInjectable(chunk: RenderedChunkLike, code: string): boolean {
  if (!JS_FILE.test(chunk.fileName) || code.trim() === '') return false;
  const facade = chunk.facadeModuleId?.replace(/[?#].*$/, '');
  return !(facade?.endsWith('.html') && IMPORTS_ONLY.test(code));
}

function outDirOf(options: OutputOptionsLike): string {
  return path.resolve(options.dir ?? path.dirname(options.file ?? 'index.js'));
}

/** Adds `//# chunkId=` at the end, before a trailing sourceMappingURL so that one stays last. */
function withChunkIdComment(code: string, chunkId: string): string {
  const existing = detectChunkId(code);
  if (existing === chunkId) return code;
  const url = existing === undefined ? SOURCE_MAPPING_URL_LINE.exec(code) : null;
  if (!url) return appendChunkIdComment(code, chunkId);
  return code.slice(0, url.index) + createChunkIdComment(chunkId) + code.slice(url.index);
}

/** The separate map file of a chunk, when the output has one. */
function mapFileOf(file: OutputFileLike, options: OutputOptionsLike): string | undefined {
  if (!options.sourcemap || options.sourcemap === 'inline') return undefined;
  return file.sourcemapFileName ?? `${file.fileName}.map`;
}

function createHooks(context: PluginContext, flavor: Flavor) {
  const { options, session } = context;
  /** `outDir \0 preliminary file name` → chunk id, from renderChunk to generateBundle. */
  const rendered = new Map<string, string>();
  /** `outDir \0 final file name` → chunk id, from generateBundle to writeBundle. */
  const written = new Map<string, string>();
  /** Marks the outputs (rollup, rolldown) whose maps hogmaps turned on: it survives normalization. */
  const ourTransforms = new WeakSet<PathTransform>();
  /** Vite environments whose maps hogmaps turned on. */
  const ourEnvironments = new Set<string>();
  let userTurnedMapsOff = false;
  let warnedMapsOff = false;

  const key = (outDir: string, fileName: string) => `${outDir}\0${fileName}`;
  const turnOnMaps = (watch: boolean) => context.wantsMaps && (!watch || options.uploadInWatchMode);
  const mapsAreOurs = (hook: HookThis, output: OutputOptionsLike): boolean =>
    flavor === 'vite'
      ? output.sourcemap === 'hidden' && ourEnvironments.has(hook.environment?.name ?? 'client')
      : output.sourcemapPathTransform !== undefined && ourTransforms.has(output.sourcemapPathTransform);
  const reportTo = (hook: HookThis) => ({ warn: (message: string) => hook.warn(message) });
  const fail = (hook: HookThis, error: unknown) => {
    if (shouldFailBuild(error, options)) hook.error(error);
    hook.warn(errorMessage(error));
  };

  const hooks = {
    async buildStart(this: HookThis) {
      await context.reportThrough(reportTo(this), async () => {
        try {
          await context.prepare();
        } catch (error) {
          // Without a prepared session no chunk can get an id: this is always fatal.
          this.error(error);
        }
      });
    },

    renderStart(this: HookThis, output: OutputOptionsLike) {
      if (warnedMapsOff || !context.wantsMaps) return;
      const off = output.sourcemap === false && userTurnedMapsOff;
      if (!off && output.sourcemap !== 'inline') return;
      warnedMapsOff = true;
      this.warn(
        off
          ? 'source maps are turned off in the build config: chunk ids are injected, but nothing can be uploaded. ' +
              'Remove the sourcemap setting and hogmaps makes hidden maps for the upload and deletes them afterwards.'
          : 'inline source maps cannot be uploaded: chunk ids are injected, nothing is uploaded. Use hidden or external maps.',
      );
    },

    renderChunk: {
      order: 'post' as const,
      handler(
        this: HookThis,
        code: string,
        chunk: RenderedChunkLike,
        output: OutputOptionsLike,
        meta?: { magicString?: MagicStringLike },
      ) {
        // include/exclude see the file name before hashes are filled in (`main-!~{001}~.js`).
        if (!isInjectable(chunk, code) || !options.filter(chunk.fileName)) return null;
        const magicString = meta?.magicString;
        const result = context.inject(code, {
          fileName: chunk.fileName,
          ...(magicString ? { magicString } : {}),
        });
        rendered.set(key(outDirOf(output), chunk.fileName), result.chunkId);
        if (!result.injected) return null;
        // rolldown's native MagicString carries the edit and makes the map itself.
        return magicString ?? { code: result.code, map: result.map };
      },
    },

    generateBundle: {
      order: 'post' as const,
      handler(this: HookThis, output: OutputOptionsLike, bundle: BundleLike) {
        const outDir = outDirOf(output);
        for (const file of Object.values(bundle)) {
          if (file.type !== 'chunk' || file.code === undefined) continue;
          const preliminary = key(outDir, file.preliminaryFileName ?? file.fileName);
          const chunkId = rendered.get(preliminary);
          if (chunkId === undefined) continue;
          rendered.delete(preliminary);
          try {
            // After minification; appending at the very end moves no mapping.
            file.code = withChunkIdComment(file.code, chunkId);
          } catch (error) {
            this.warn(`${file.fileName}: ${errorMessage(error)}`);
            continue;
          }
          written.set(key(outDir, file.fileName), chunkId);
        }
      },
    },

    writeBundle: {
      order: 'post' as const,
      sequential: true,
      async handler(this: HookThis, output: OutputOptionsLike, bundle: BundleLike) {
        const outDir = outDirOf(output);
        const ours = mapsAreOurs(this, output);
        const chunks: BuildChunk[] = [];
        // Maps we caused that belong to no uploaded chunk: CSS maps, and chunks other plugins added
        // after renderChunk (plugin-legacy's polyfills). They must not ship either.
        const extraMapsToDelete: string[] = [];
        for (const file of Object.values(bundle)) {
          if (file.type === 'asset') {
            if (ours && file.fileName.endsWith('.css.map'))
              extraMapsToDelete.push(path.join(outDir, file.fileName));
            continue;
          }
          const chunkId = written.get(key(outDir, file.fileName));
          const mapFile = mapFileOf(file, output);
          const mapPath = mapFile === undefined ? undefined : path.join(outDir, mapFile);
          if (chunkId === undefined) {
            if (ours && mapPath !== undefined) extraMapsToDelete.push(mapPath);
            continue;
          }
          written.delete(key(outDir, file.fileName));
          chunks.push({
            chunkId,
            jsPath: path.join(outDir, file.fileName),
            mapPath,
            mapIsOurs: ours && mapPath !== undefined,
          });
        }
        await context.reportThrough(reportTo(this), async () => {
          try {
            await session.finishBuild({
              outDir,
              chunks,
              extraMapsToDelete,
              watch: this.meta.watchMode === true,
            });
          } catch (error) {
            fail(this, error);
          }
        });
      },
    },
  };

  /** rollup and rolldown: hidden maps for the upload when the output configured none. */
  const outputOptions = function (this: HookThis, raw: OutputOptionsLike) {
    if (raw.sourcemap === false) userTurnedMapsOff = true;
    if (raw.sourcemap !== undefined || !turnOnMaps(this.meta.watchMode === true)) return null;
    const user = raw.sourcemapPathTransform;
    const transform: PathTransform = user ? (source, mapPath) => user(source, mapPath) : (source) => source;
    ourTransforms.add(transform);
    return { ...raw, sourcemap: 'hidden' as const, sourcemapPathTransform: transform };
  };

  /** Vite: per environment (client, ssr, …), as the user's `build.sourcemap` may differ between them. */
  const configEnvironment = (
    name: string,
    config: { build?: { sourcemap?: SourcemapOption; watch?: unknown } },
  ) => {
    const sourcemap = config.build?.sourcemap;
    if (sourcemap === false) userTurnedMapsOff = true;
    if (sourcemap !== undefined || !turnOnMaps(Boolean(config.build?.watch))) return null;
    ourEnvironments.add(name);
    return { build: { sourcemap: 'hidden' as const } };
  };

  return { hooks, outputOptions, configEnvironment };
}

export function createRollupHooks(context: PluginContext): Partial<RollupPlugin> {
  const { hooks, outputOptions } = createHooks(context, 'rollup');
  return { ...hooks, outputOptions } as unknown as Partial<RollupPlugin>;
}

export function createRolldownHooks(context: PluginContext): Partial<RolldownPlugin> {
  const { hooks, outputOptions } = createHooks(context, 'rolldown');
  return { ...hooks, outputOptions } as unknown as Partial<RolldownPlugin>;
}

/** Vite builds only: nothing happens in the dev server. */
export function createViteHooks(context: PluginContext): Partial<VitePlugin> {
  const { hooks, configEnvironment } = createHooks(context, 'vite');
  return { apply: 'build', ...hooks, configEnvironment } as unknown as Partial<VitePlugin>;
}
