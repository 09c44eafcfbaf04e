// Finishing esbuild's JS outputs: in memory when `write` is off (outputFiles), else on disk where
// esbuild wrote them. On disk the placeholders are overwritten at their offsets, so a file is read
// once (its chunk id is of its code) and never rewritten whole, and its map is never read; only a
// file whose text must move (see planChunk) is rewritten, with its map.
import { type FileHandle, open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Metafile, OutputFile } from 'esbuild';
import { errorMessage, FileError, isHogmapsError } from '../../errors';
import { createChunkIdComment } from '../../inject/snippet';
import type { BuildChunk } from '../../session/session';
import { forEachConcurrent } from '../../upload/pool';
import type { PluginContext } from '../context';
import {
  type EsbuildPlaceholders,
  type FinalizedChunk,
  type FinalizeOptions,
  finalizeChunk,
  planChunk,
} from './esbuild-placeholders';
import { type Renamed, renameInMemory, renameWritten } from './esbuild-release-names';

const JS_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);
const FILE_CONCURRENCY = 16;
const encoder = new TextEncoder();

export interface FinishRun {
  outDir: string;
  placeholders: EsbuildPlaceholders;
  /** The user's `outExtension['.js']`, when set. */
  jsExtension: string | undefined;
  /** The release id for one output's snippet (absolute path): startup outputs only, or every one. */
  releaseIdFor(file: string): string | undefined;
  mapsAreOurs: boolean;
  context: PluginContext;
  /** A file that cannot be finished: reported, and the others are still finished. */
  fail(error: unknown): void;
  /**
   * The new path of an output that now carries `releaseId`, when its name must follow the release
   * (esbuild-release-names.ts); undefined to keep its name.
   */
  releaseNameFor?(file: string, releaseId: string): string | undefined;
  /** Filled with the outputs renamed (absolute paths, old → new; maps included). */
  renames: Map<string, string>;
}

function isJs(file: string, run: FinishRun): boolean {
  return JS_EXTENSIONS.has(path.extname(file)) || (!!run.jsExtension && file.endsWith(run.jsExtension));
}

function finalizeOptions(file: string, run: FinishRun): FinalizeOptions {
  const { options } = run.context;
  const fileName = path.relative(run.outDir, file).split(path.sep).join('/');
  return {
    inject: options.filter(fileName),
    releaseId: run.releaseIdFor(file),
    chunkIdFor: (code) => run.context.chunkIdFor(code),
    fileName,
  };
}

function toChunk(chunkId: string | undefined, jsPath: string, mapPath: string | undefined, run: FinishRun) {
  if (chunkId === undefined) return undefined;
  return { chunkId, jsPath, mapPath, mapIsOurs: run.mapsAreOurs && mapPath !== undefined };
}

/** Finishes every JS output of a `write: false` build (contents replaced); returns the chunks with an id. */
export function finishInMemory(files: readonly OutputFile[], run: FinishRun): BuildChunk[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const chunks: BuildChunk[] = [];
  for (const file of files) {
    if (!isJs(file.path, run)) continue;
    const mapFile = byPath.get(`${file.path}.map`);
    let finished: FinalizedChunk | undefined;
    try {
      finished = finalizeChunk(
        { code: file.text, map: mapFile?.text },
        run.placeholders,
        finalizeOptions(file.path, run),
      );
    } catch (error) {
      run.fail(error);
      continue;
    }
    if (!finished) continue;
    file.contents = encoder.encode(finished.code);
    if (mapFile && finished.map !== undefined && finished.map !== mapFile.text) {
      mapFile.contents = encoder.encode(finished.map);
    }
    const next = finished.injected ? nextName(file.path, run) : undefined;
    const paths =
      next === undefined
        ? undefined
        : record(file.path, mapFile?.path, renameInMemory(file, mapFile, next), run);
    const chunk = toChunk(finished.chunkId, paths?.jsPath ?? file.path, paths?.mapPath ?? mapFile?.path, run);
    if (chunk) chunks.push(chunk);
  }
  return chunks;
}

/** Where an output that got its snippet goes, when the release it carries renames it. */
function nextName(file: string, run: FinishRun): string | undefined {
  const releaseId = run.releaseIdFor(file);
  return releaseId === undefined ? undefined : run.releaseNameFor?.(file, releaseId);
}

function record(jsPath: string, mapPath: string | undefined, renamed: Renamed, run: FinishRun): Renamed {
  run.renames.set(jsPath, renamed.jsPath);
  if (mapPath !== undefined && renamed.mapPath !== mapPath) run.renames.set(mapPath, renamed.mapPath!);
  return renamed;
}

/** The absolute paths of a build's output files, from its metafile (keys are relative to the working dir). */
export function outputPaths(metafile: Metafile, workingDir: string): string[] {
  return Object.keys(metafile.outputs).map((file) => path.resolve(workingDir, file));
}

/** Finishes every JS file esbuild wrote; returns the chunks with an id, in the order of `files`. */
export async function finishOnDisk(files: readonly string[], run: FinishRun): Promise<BuildChunk[]> {
  const written = new Set(files);
  const js = files.filter((file) => isJs(file, run));
  const chunks: Array<BuildChunk | undefined> = new Array(js.length);
  await forEachConcurrent(js, FILE_CONCURRENCY, async (file, index) => {
    const mapPath = written.has(`${file}.map`) ? `${file}.map` : undefined;
    try {
      const finished = await finishWritten(file, mapPath, run);
      const next = finished.injected ? nextName(file, run) : undefined;
      if (next === undefined || finished.chunk === undefined) chunks[index] = finished.chunk;
      else {
        const renamed = record(file, mapPath, await renameWritten(file, mapPath, next), run);
        chunks[index] = { ...finished.chunk, ...renamed };
      }
    } catch (error) {
      run.fail(
        isHogmapsError(error)
          ? error
          : new FileError('inject_failed', file, `cannot inject the chunk id: ${errorMessage(error)}`, {
              cause: error,
            }),
      );
    }
  });
  return chunks.filter((chunk) => chunk !== undefined);
}

async function finishWritten(
  file: string,
  mapPath: string | undefined,
  run: FinishRun,
): Promise<{ chunk: BuildChunk | undefined; injected: boolean }> {
  const options = finalizeOptions(file, run);
  const handle = await open(file, 'r+');
  let code: string;
  try {
    const bytes = await handle.readFile();
    code = bytes.toString('utf8');
    const plan = planChunk(code, run.placeholders, options);
    if (plan === undefined) return { chunk: undefined, injected: false };
    if (plan !== 'moves') {
      // The placeholders are ASCII, so their byte offsets are found in the bytes themselves.
      await overwrite(handle, plan.snippet, bytes.indexOf(run.placeholders.banner));
      if (plan.footer) await overwrite(handle, plan.comment, bytes.lastIndexOf(run.placeholders.footer));
      else await overwrite(handle, createChunkIdComment(plan.chunkId), bytes.length);
      return { chunk: toChunk(plan.chunkId, file, mapPath, run), injected: true };
    }
  } finally {
    await handle.close();
  }
  // Rare (a directive prologue after the banner, or a file the filter leaves out): text moves, and
  // the map with it.
  const map = mapPath === undefined ? undefined : await readFile(mapPath, 'utf8');
  const finished = finalizeChunk({ code, map }, run.placeholders, options);
  if (!finished) return { chunk: undefined, injected: false };
  await writeFile(file, finished.code);
  if (mapPath !== undefined && finished.map !== undefined && finished.map !== map) {
    await writeFile(mapPath, finished.map);
  }
  return { chunk: toChunk(finished.chunkId, file, mapPath, run), injected: finished.injected };
}

async function overwrite(handle: FileHandle, text: string, position: number): Promise<void> {
  // Cannot happen: the text holds the placeholder, and ASCII text is the same in the bytes.
  if (position < 0) throw new Error('a placeholder is missing from the bytes of the file');
  const bytes = Buffer.from(text, 'utf8');
  const { bytesWritten } = await handle.write(bytes, 0, bytes.length, position);
  if (bytesWritten !== bytes.length) throw new Error(`wrote ${bytesWritten} of ${bytes.length} bytes`);
}
