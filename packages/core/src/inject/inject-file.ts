import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { encodedMap, FlattenMap, type SectionedSourceMapInput } from '@jridgewell/trace-mapping';
import { computeChunkId } from '../chunk-id/compute';
import { readInjectedChunkId } from '../chunk-id/detect';
import { errorMessage, FileError } from '../errors';
import type { InjectOptions } from './inject';
import { findInjectionPoint } from './prologue';
import { shiftGeneratedColumns } from './shift-mappings';
import { assertValidChunkId, createChunkIdComment, createSnippet } from './snippet';

export type InjectFileOptions = Omit<InjectOptions, 'magicString' | 'fileName'> & {
  /** Rewrites each entry of the map's `sources` (a framework's virtual paths into project paths). */
  rewriteSource?: (source: string) => string;
};

export interface SourcePairInput {
  code: string;
  /** The map's JSON text, or undefined when the file has no map. */
  map: string | undefined;
  /** Names the file in errors. */
  fileName?: string;
}

export interface SourcePairResult {
  injected: boolean;
  chunkId: string;
  code: string;
  map: string | undefined;
}

type MapJson = Record<string, unknown> & { mappings?: unknown; sections?: unknown };

function parseMap(text: string, file: string): MapJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FileError('invalid_source_map', file, `source map is not valid JSON (${errorMessage(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FileError('invalid_source_map', file, 'source map is not a JSON object');
  }
  const map = value as MapJson;
  if (map.sections === undefined && map.mappings !== undefined && typeof map.mappings !== 'string') {
    throw new FileError('invalid_source_map', file, '"mappings" is not a string');
  }
  return map;
}

/** Index maps (`sections`) become one regular map, as posthog-cli does on inject. Other keys stay. */
function flattenIndexMap(map: MapJson, file: string): MapJson {
  const { sections: _sections, ...rest } = map;
  try {
    const flat = encodedMap(new FlattenMap(map as unknown as SectionedSourceMapInput));
    return { ...rest, ...JSON.parse(JSON.stringify(flat)) };
  } catch (error) {
    throw new FileError('invalid_source_map', file, `cannot flatten the index map (${errorMessage(error)})`);
  }
}

/**
 * Injects a JS file and its map that are already written (the CLI, esbuild). The snippet goes inline
 * at the injection offset, so the map only needs that one generated line's columns after the offset
 * moved by the snippet length; that is applied to the map's `mappings` directly, an exact composition
 * that keeps every other key, source and name as it was (generated lines are counted at `\n`, as
 * magic-string and bundlers do). `chunk_id` is then set in the map, as posthog-cli does.
 *
 * Like posthog-cli, a map that already has `chunk_id` (or `chunkId`) counts as adjusted (several
 * chunks sharing one map, or a run interrupted between writing the map and the JS) and is returned
 * as is. Code that already carries an id is returned unchanged, with its map.
 */
export function injectSourcePair(input: SourcePairInput, options: InjectFileOptions = {}): SourcePairResult {
  const { code } = input;
  const file = input.fileName ?? '<source map>';
  const existing = readInjectedChunkId(code);
  if (existing !== undefined) return { injected: false, chunkId: existing, code, map: input.map };

  let map = input.map === undefined ? undefined : parseMap(input.map, file);
  const chunkId = options.chunkId ?? computeChunkId(code, { releaseHashId: options.releaseHashId });
  assertValidChunkId(chunkId);
  const snippet = createSnippet(chunkId, options.releaseId);
  const { offset, separator } = findInjectionPoint(code);
  const comment = options.appendComment === false ? '' : createChunkIdComment(chunkId);
  const injectedCode = code.slice(0, offset) + separator + snippet + code.slice(offset) + comment;
  if (map === undefined || typeof map.chunk_id === 'string' || typeof map.chunkId === 'string') {
    return { injected: true, chunkId, code: injectedCode, map: input.map };
  }

  if (map.sections !== undefined) map = flattenIndexMap(map, file);
  if (typeof map.mappings === 'string' && separator === '') {
    const lineStart = code.lastIndexOf('\n', offset - 1) + 1;
    const line = countLineFeeds(code, lineStart);
    try {
      map.mappings = shiftGeneratedColumns(map.mappings, line, offset - lineStart, snippet.length);
    } catch (error) {
      throw new FileError('invalid_source_map', file, errorMessage(error));
    }
  }
  if (options.rewriteSource && Array.isArray(map.sources)) {
    const rewrite = options.rewriteSource;
    map.sources = map.sources.map((source: unknown) =>
      typeof source === 'string' ? rewrite(source) : source,
    );
  }
  map.chunk_id = chunkId;
  const trailing = input.map?.endsWith('\n') ? '\n' : '';
  return { injected: true, chunkId, code: injectedCode, map: JSON.stringify(map) + trailing };
}

function countLineFeeds(code: string, end: number): number {
  let count = 0;
  for (let at = code.indexOf('\n'); at >= 0 && at < end; at = code.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * Reads a JS file (and its map), injects them with `injectSourcePair` and writes both back, each
 * atomically (temp file + rename, file mode kept). The map is written first: if the run stops
 * between the two writes, the map carries `chunk_id` and the next run injects the JS without moving
 * the map's columns a second time. Nothing is written when the file already carries an id.
 */
export async function injectFileOnDisk(
  jsPath: string,
  mapPath: string | undefined,
  options: InjectFileOptions = {},
): Promise<SourcePairResult> {
  const bytes = await readOrThrow(jsPath);
  let code: string;
  try {
    // ignoreBOM keeps a BOM in the text, so the file is written back byte for byte.
    code = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FileError('invalid_utf8', jsPath, 'JavaScript file is not valid UTF-8');
  }
  const map = mapPath === undefined ? undefined : (await readOrThrow(mapPath)).toString('utf8');
  const result = injectSourcePair(
    { code, map, fileName: mapPath ?? jsPath },
    // Hash the bytes as read, like posthog-cli (identical to hashing the decoded text).
    {
      ...options,
      chunkId: options.chunkId ?? computeChunkId(bytes, { releaseHashId: options.releaseHashId }),
    },
  );
  if (!result.injected) return result;
  if (mapPath !== undefined && result.map !== undefined && result.map !== map)
    await writeAtomic(mapPath, result.map);
  await writeAtomic(jsPath, result.code);
  return result;
}

async function readOrThrow(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new FileError('read_failed', path, `cannot read file (${errorMessage(error)})`, { cause: error });
  }
}

async function writeAtomic(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const { mode } = await stat(path);
    await writeFile(temp, content);
    await chmod(temp, mode & 0o7777);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new FileError('write_failed', path, `cannot write file (${errorMessage(error)})`, { cause: error });
  }
}
