import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { allocateSourceAndMap } from '../container/encode';
import { FileError } from '../errors';
import { fillFromFile } from '../files/fill-from-file';
import { checkSourceMapBytes } from '../files/source-map-bytes';
import { findSourceMappingUrl } from '../files/source-mapping-url';
import { markUtf8 } from '../files/utf8-checked';
import type { PairMemory } from './pair-memory';

function readError(file: string, error: unknown, what: string): FileError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new FileError('file_not_found', file, `${what} does not exist`, { cause: error });
  return new FileError('read_failed', file, `cannot read ${what}: ${(error as Error).message}`, {
    cause: error,
  });
}

/**
 * Both files read straight into one container layout (allocateSourceAndMap), so packing compresses
 * them where they lie instead of copying JS + map into a payload first. A file whose size changes
 * while it is read is read again on its own (its pair then costs that one copy). No validation.
 * Synchronous: the files were just written, so reading is a copy from the page cache, and ten
 * promise round trips through the thread pool per pair cost more main-thread time than the copy
 * (150 pairs of 0.2 MiB: about 10% less upload time, docs/benchmarks.md round 5).
 */
export async function readPairLaidOut(
  jsPath: string,
  mapPath: string,
  fileName: string,
  memory?: PairMemory,
): Promise<{ minified: Buffer; map: Buffer }> {
  const opened: number[] = [];
  const step = <T>(what: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      throw readError(fileName, error, what);
    }
  };
  const mapWhat = `its source map ${mapPath}`;
  try {
    const js = step('the file', () => openSync(jsPath, 'r'));
    opened.push(js);
    const map = step(mapWhat, () => openSync(mapPath, 'r'));
    opened.push(map);
    const pair = allocateSourceAndMap(
      step('the file', () => fstatSync(js)).size,
      step(mapWhat, () => fstatSync(map)).size,
      memory && ((size) => memory.allocate(size)),
    );
    if (
      step('the file', () => fillFromFile(js, pair.minified)) &&
      step(mapWhat, () => fillFromFile(map, pair.map))
    ) {
      memory?.lend(pair);
      return pair;
    }
  } finally {
    for (const fd of opened) {
      try {
        closeSync(fd);
      } catch {
        // A file opened for reading loses nothing when closing it fails.
      }
    }
  }
  return {
    minified: step('the file', () => readFileSync(jsPath)),
    map: step(mapWhat, () => readFileSync(mapPath)),
  };
}

/**
 * Reads one emitted JS file and its map for upload, refusing what PostHog could not use, each with
 * one message naming the file: no map (or only an inline `data:` map), JS that is not UTF-8, a map
 * that is not a source-map JSON object. The two are views into one buffer laid out as the symbol-set
 * container (see readPairLaidOut).
 */
export function readSourcePair(
  jsPath: string,
  mapPath: string | undefined,
  fileName: string = jsPath,
): Promise<{ minified: Buffer; map: Buffer }> {
  return readSourcePairInto(undefined, jsPath, mapPath, fileName);
}

/** readSourcePair into memory an upload run reuses (pair-memory.ts); fresh memory without one. */
export async function readSourcePairInto(
  memory: PairMemory | undefined,
  jsPath: string,
  mapPath: string | undefined,
  fileName: string,
): Promise<{ minified: Buffer; map: Buffer }> {
  if (!mapPath) {
    let minified: Buffer;
    try {
      minified = readFileSync(jsPath);
    } catch (error) {
      throw readError(fileName, error, 'the file');
    }
    if (!isUtf8(minified)) throw new FileError('invalid_utf8', fileName, 'is not valid UTF-8 JavaScript');
    const inline = findSourceMappingUrl(minified.toString('utf8'))?.startsWith('data:');
    throw new FileError(
      'map_not_found',
      fileName,
      inline
        ? 'has only an inline (data: URL) source map; upload needs a separate .map file (use external or hidden maps)'
        : 'has no source map',
    );
  }
  const pair = await readPairLaidOut(jsPath, mapPath, fileName, memory);
  if (!isUtf8(pair.minified)) throw new FileError('invalid_utf8', fileName, 'is not valid UTF-8 JavaScript');
  // Checked as bytes: parsing a map of hundreds of MiB would cost gigabytes.
  checkSourceMapBytes(pair.map, mapPath);
  // Read into an upload run's own memory, which nothing else writes to: the run's steps after this
  // need not check the bytes again (a caller's fresh pair is theirs to change, and is not marked).
  if (memory) {
    markUtf8(pair.minified);
    markUtf8(pair.map);
  }
  return pair;
}
