// Rollup, Vite and rolldown: one code path. Inject in generateBundle, where the code is final (Vite 8
// and rolldown minify after renderChunk). rolldown and Vite 8 reserve the snippet's line through
// `output.postBanner` and leave the map alone (post-banner.ts); elsewhere each map is a `.map` asset
// whose columns after the inline snippet are moved in place: no second map is generated or chained.
// The release is prepared from buildStart on, without holding the build up, and goes into
// augmentChunkHash so that hashed names still follow what is injected. Upload in writeBundle, once
// the files are on disk.
import path from 'node:path';
import type { Plugin as RolldownPlugin } from 'rolldown';
import type { Plugin as RollupPlugin } from 'rollup';
import type { Plugin as VitePlugin } from 'vite';
import { errorMessage, shouldFailBuild } from '../../errors';
import { createSnippet } from '../../inject/snippet';
import type { BuildChunk, InjectionContext } from '../../session/session';
import type { PluginContext } from '../context';
import { releaseCarriers } from '../startup-chunks';
import { injectChunkInBundle, type PostBanner, withPlaceholder } from './post-banner';
import {
  type BundleLike,
  createRenderedCheck,
  isCandidate,
  isInjectable,
  type OutputFileLike,
} from './rollup-output';
import { createVitePages, isPageEntry, pagesCarryRelease } from './vite-pages';

type Flavor = 'rollup' | 'rolldown' | 'vite';
type SourcemapOption = boolean | 'inline' | 'hidden' | undefined;
type PathTransform = (relativeSourcePath: string, sourcemapPath: string) => string;

/** The parts of the three bundlers' hook contexts and objects used here (their types differ slightly). */
interface HookThis {
  warn(message: string): void;
  error(error: unknown): never;
  meta: { watchMode?: boolean; rolldownVersion?: string };
  /** Vite 6+: the environment (`client`, `ssr`, …) being built. */
  environment?: { name: string };
}
interface OutputOptionsLike {
  dir?: string | undefined;
  file?: string | undefined;
  sourcemap?: SourcemapOption;
  sourcemapPathTransform?: PathTransform | undefined;
  postBanner?: PostBanner;
}

function outDirOf(options: OutputOptionsLike): string {
  return path.resolve(options.dir ?? path.dirname(options.file ?? 'index.js'));
}

/** The separate map file of a chunk, when the bundle holds one (a prebuilt chunk may have none). */
function mapFileOf(file: OutputFileLike, options: OutputOptionsLike, bundle: BundleLike): string | undefined {
  if (file.type !== 'chunk' || !options.sourcemap || options.sourcemap === 'inline') return undefined;
  const mapFile = file.sourcemapFileName ?? `${file.fileName}.map`;
  return bundle[mapFile]?.type === 'asset' ? mapFile : undefined;
}

/** Maps are off (unset or `false`, whoever set them): hogmaps' to turn on, as hidden maps. */
function mapsAreOff(sourcemap: SourcemapOption): boolean {
  return sourcemap === undefined || sourcemap === false;
}

/**
 * What augmentChunkHash adds to the content hash of every chunk hogmaps may inject, so that a file
 * name still determines its bytes. The hash already covers the rendered code, and through their names
 * the chunks it imports. What hogmaps adds is the snippet and the comment, made of the chunk id and
 * the release id. The chunk id is computed from the final code, which follows from the rendered code
 * (minifying and filling in hashed import names are deterministic), and, in symbol-set mode, from the
 * release hash id. So the snippet's text with this chunk's release id (if it carries one:
 * startup-chunks.ts), plus the release hash id, is all that is left to add: a new release renames
 * the chunks that carry it, a new snippet format renames every chunk.
 */
function hashInputOf(injection: InjectionContext, releaseId: string | undefined): string {
  return JSON.stringify([createSnippet('chunk-id', releaseId), injection.releaseHashId ?? null]);
}

/** What the banner hook sees of a chunk: enough to tell which chunks run first. */
interface RenderedChunkLike {
  fileName: string;
  isEntry: boolean;
  imports: readonly string[];
  facadeModuleId: string | null;
}

interface GraphChunk {
  isEntry: boolean;
  imports: string[];
  /** Vite: the entry of an HTML page, which carries the release instead (vite-pages.ts). */
  page: boolean;
}

function createHooks(context: PluginContext, flavor: Flavor) {
  const { options } = context;
  /** `outDir \0 final file name` → chunk id, from generateBundle to writeBundle. */
  const written = new Map<string, string>();
  /** Marks the outputs (rollup, rolldown) whose maps hogmaps turned on: it survives normalization. */
  const ourTransforms = new WeakSet<PathTransform>();
  /** Vite environments whose maps hogmaps turned on. */
  const ourEnvironments = new Set<string>();
  /** The session's release, from buildStart on. */
  let injection: InjectionContext | undefined;
  let preparing: Promise<void> | undefined;
  /**
   * The chunk graph by preliminary file name, as the banner hook sees each chunk while it is rendered
   * (before any hash is computed), and the chunks that carry the release computed from it: the
   * entries (and what they import statically, with 'startup-chunks'; startup-chunks.ts), except, with
   * 'entries', a Vite HTML page's entry: its page carries the release (vite-pages.ts). One module
   * graph per build, so every output agrees.
   */
  const graph = new Map<string, GraphChunk>();
  const pagesCarry = flavor === 'vite' && pagesCarryRelease(context);
  let startup: Set<string> | undefined;
  const isStartup = (fileName: string): boolean => {
    // A chunk the banner hook never saw (another plugin's prebuilt chunk): the safe side.
    if (!graph.has(fileName)) return true;
    startup ??= releaseCarriers(
      [...graph].filter(([, chunk]) => chunk.isEntry && !(pagesCarry && chunk.page)).map(([name]) => name),
      (name) => graph.get(name)?.imports,
      options.sourcemaps.releaseInjection,
    );
    return startup.has(fileName);
  };
  let warnedInline = false;

  const key = (outDir: string, fileName: string) => `${outDir}\0${fileName}`;
  const turnOnMaps = (watch: boolean) => context.wantsMaps && (!watch || options.uploadInWatchMode);
  const mapsAreOurs = (hook: HookThis, output: OutputOptionsLike): boolean =>
    flavor === 'vite'
      ? output.sourcemap === 'hidden' && ourEnvironments.has(hook.environment?.name ?? 'client')
      : output.sourcemapPathTransform !== undefined && ourTransforms.has(output.sourcemapPathTransform);
  /**
   * rolldown and Vite 8 (Vite 7 builds with rollup, which has no postBanner): post-banner.ts. Not with
   * include/exclude: a postBanner changes every chunk's bytes and hash, and a chunk left out keeps the
   * name and bytes it has without hogmaps.
   */
  const reservesLine = (hook: HookThis): boolean =>
    !options.filtersFiles &&
    (flavor === 'rolldown' || (flavor === 'vite' && hook.meta.rolldownVersion !== undefined));
  const reportTo = (hook: HookThis) => ({ warn: (message: string) => hook.warn(message) });
  const fail = (hook: HookThis, error: unknown) => {
    if (shouldFailBuild(error, options)) hook.error(error);
    hook.warn(errorMessage(error));
  };

  const hooks = {
    // The release is prepared (detected, and in event mode registered: undici loaded, one request)
    // while the bundler builds its module graph; the first output waits for it in renderStart.
    buildStart(this: HookThis) {
      graph.clear();
      startup = undefined;
      const reporter = reportTo(this);
      preparing = context.reportThrough(reporter, async () => {
        injection = await context.prepare();
      });
      // Awaited in renderStart; a build that fails before rendering leaves it unobserved.
      preparing.catch(() => undefined);
    },

    async renderStart(this: HookThis, output: OutputOptionsLike) {
      try {
        await preparing;
      } catch (error) {
        // Without a prepared session no chunk can get an id: this is always fatal.
        this.error(error);
      }
      if (warnedInline || !context.wantsMaps || output.sourcemap !== 'inline') return;
      warnedInline = true;
      this.warn(
        'inline source maps cannot be uploaded: chunk ids are injected, nothing is uploaded. Use hidden or external maps.',
      );
    },

    banner(chunk: RenderedChunkLike) {
      graph.set(chunk.fileName, {
        isEntry: chunk.isEntry,
        imports: [...chunk.imports],
        page: flavor === 'vite' && isPageEntry(chunk),
      });
      startup = undefined;
      return '';
    },

    augmentChunkHash(chunk: { fileName: string }) {
      if (injection === undefined || !isCandidate(chunk.fileName, options.filter)) return undefined;
      return hashInputOf(injection, context.releaseIdFor(isStartup(chunk.fileName)));
    },

    generateBundle: {
      order: 'post' as const,
      handler(this: HookThis, output: OutputOptionsLike, bundle: BundleLike) {
        const release = injection;
        const reserved = reservesLine(this);
        if (!release && !reserved) return;
        const outDir = outDirOf(output);
        const isRendered = createRenderedCheck(bundle);
        for (const file of Object.values(bundle)) {
          if (file.type !== 'chunk') continue;
          const name = file.preliminaryFileName ?? file.fileName;
          const selected = release !== undefined && isCandidate(name, options.filter) && isRendered(file);
          // Only a chunk that may hold hogmaps' reserved line is read to remove it.
          if (!selected && !reserved) continue;
          let chunkId: string | undefined;
          try {
            chunkId = injectChunkInBundle(file, bundle, {
              inject: (code) => selected && isInjectable(file, code),
              chunkIdFor: (code, mapText) => context.chunkIdFor(code, mapText),
              releaseId: context.releaseIdFor(isStartup(name)),
              updateChunkMap: flavor === 'rollup',
              // Reading a map is free with rollup (and so Vite 7), a copy out of Rust with rolldown.
              mapDebugId: this.meta.rolldownVersion === undefined,
            });
          } catch (error) {
            // The chunk is left as the bundler made it, and so is not uploaded.
            fail(this, error);
            continue;
          }
          if (chunkId === undefined) continue;
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
        const chunkMaps = new Set<string>();
        for (const file of Object.values(bundle)) {
          if (file.type === 'asset') continue;
          const chunkId = written.get(key(outDir, file.fileName));
          if (chunkId === undefined) continue;
          written.delete(key(outDir, file.fileName));
          const mapFile = mapFileOf(file, output, bundle);
          const mapPath = mapFile === undefined ? undefined : path.join(outDir, mapFile);
          if (mapFile !== undefined) chunkMaps.add(mapFile);
          chunks.push({
            chunkId,
            jsPath: path.join(outDir, file.fileName),
            mapPath,
            mapIsOurs: ours && mapPath !== undefined,
          });
        }
        // With maps on only because of hogmaps, every other map of the bundle is one we caused too: of
        // chunks left without an id, prebuilt chunks (plugin-legacy's polyfills), CSS and worker assets.
        const extraMapsToDelete = ours
          ? Object.values(bundle)
              .filter((file) => file.type === 'asset' && file.fileName.endsWith('.map'))
              .filter((file) => !chunkMaps.has(file.fileName))
              .map((file) => path.join(outDir, file.fileName))
          : [];
        await context.reportThrough(reportTo(this), async () => {
          try {
            await context.finishBuild({
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

  /** Hidden maps for the upload when the output has none (rollup, rolldown); the snippet's reserved
   * line (rolldown, Vite 8). */
  const outputOptions = function (this: HookThis, raw: OutputOptionsLike) {
    let result: OutputOptionsLike | null = null;
    if (reservesLine(this)) result = { ...raw, postBanner: withPlaceholder(raw.postBanner) };
    if (flavor === 'vite' || !mapsAreOff(raw.sourcemap) || !turnOnMaps(this.meta.watchMode === true)) {
      return result;
    }
    const user = raw.sourcemapPathTransform;
    const transform: PathTransform = user ? (source, mapPath) => user(source, mapPath) : (source) => source;
    ourTransforms.add(transform);
    return { ...(result ?? raw), sourcemap: 'hidden' as const, sourcemapPathTransform: transform };
  };

  /**
   * Vite: per environment (client, ssr, …), as `build.sourcemap` may differ between them. Last (`post`),
   * so a framework plugin's own setting (SvelteKit, Astro, Nuxt turn client maps off) is seen.
   */
  const configEnvironment = {
    order: 'post' as const,
    handler(name: string, config: { build?: { sourcemap?: SourcemapOption; watch?: unknown } }) {
      if (!mapsAreOff(config.build?.sourcemap) || !turnOnMaps(Boolean(config.build?.watch))) return null;
      ourEnvironments.add(name);
      return { build: { sourcemap: 'hidden' as const } };
    },
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
  const { hooks, outputOptions, configEnvironment } = createHooks(context, 'vite');
  const pages = createVitePages(context);
  const writeBundle = {
    ...hooks.writeBundle,
    handler(this: HookThis, output: OutputOptionsLike, bundle: BundleLike) {
      // Once every plugin's generateBundle is done with the pages.
      pages.check(this, bundle);
      return hooks.writeBundle.handler.call(this, output, bundle);
    },
  };
  return {
    apply: 'build',
    ...hooks,
    writeBundle,
    outputOptions,
    configEnvironment,
    transformIndexHtml: pages.transformIndexHtml,
  } as unknown as Partial<VitePlugin>;
}
