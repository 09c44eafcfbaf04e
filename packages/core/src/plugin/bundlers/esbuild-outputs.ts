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
}

function isJs(file: string, run: FinishRun): boolean {
  return JS_EXTENSIONS.has(path.extname(file)) || (!!run.jsExtension && file.endsWith(run.jsExtension));
}

function finalizeOptions(file: string, run: FinishRun): FinalizeOptions {
  const { options, session } = run.context;
  const fileName = path.relative(run.outDir, file).split(path.sep).join('/');
  return {
    inject: options.filter(fileName),
    releaseId: run.releaseIdFor(file),
    chunkIdFor: (code) => session.chunkIdFor(code),
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
    const chunk = toChunk(finished.chunkId, file.path, mapFile?.path, run);
    if (chunk) chunks.push(chunk);
  }
  return chunks;
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
      chunks[index] = await finishWritten(file, mapPath, run);
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
): Promise<BuildChunk | undefined> {
  const options = finalizeOptions(file, run);
  const handle = await open(file, 'r+');
  let code: string;
  try {
    const bytes = await handle.readFile();
    code = bytes.toString('utf8');
    const plan = planChunk(code, run.placeholders, options);
    if (plan === undefined) return undefined;
    if (plan !== 'moves') {
      // The placeholders are ASCII, so their byte offsets are found in the bytes themselves.
      await overwrite(handle, plan.snippet, bytes.indexOf(run.placeholders.banner));
      if (plan.footer) await overwrite(handle, plan.comment, bytes.lastIndexOf(run.placeholders.footer));
      else await overwrite(handle, createChunkIdComment(plan.chunkId), bytes.length);
      return toChunk(plan.chunkId, file, mapPath, run);
    }
  } finally {
    await handle.close();
  }
  // Rare (a directive prologue after the banner, or a file the filter leaves out): text moves, and
  // the map with it.
  const map = mapPath === undefined ? undefined : await readFile(mapPath, 'utf8');
  const finished = finalizeChunk({ code, map }, run.placeholders, options);
  if (!finished) return undefined;
  await writeFile(file, finished.code);
  if (mapPath !== undefined && finished.map !== undefined && finished.map !== map) {
    await writeFile(mapPath, finished.map);
  }
  return toChunk(finished.chunkId, file, mapPath, run);
}

async function overwrite(handle: FileHandle, text: string, position: number): Promise<void> {
  // Cannot happen: the text holds the placeholder, and ASCII text is the same in the bytes.
  if (position < 0) throw new Error('a placeholder is missing from the bytes of the file');
  const bytes = Buffer.from(text, 'utf8');
  const { bytesWritten } = await handle.write(bytes, 0, bytes.length, position);
  if (bytesWritten !== bytes.length) throw new Error(`wrote ${bytesWritten} of ${bytes.length} bytes`);
}
