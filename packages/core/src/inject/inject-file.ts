import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { encodedMap, FlattenMap, type SectionedSourceMapInput } from '@jridgewell/trace-mapping';
import { computeChunkId } from '../chunk-id/compute';
import { findDebugId, findDebugIdInMapBytes } from '../chunk-id/debug-id';
import { detectChunkId } from '../chunk-id/detect';
import { errorMessage, FileError } from '../errors';
import { memberOf, plainStringValue, scanJsonObject } from '../files/json-scan';
import { isEmptySourceMapBytes } from '../files/source-map-bytes';
import type { InjectOptions } from './inject';
import { findInjectionPoint } from './prologue';
import { shiftGeneratedColumns } from './shift-mappings';
import { assertValidChunkId, createChunkIdComment, createSnippet } from './snippet';

export type InjectFileOptions = Omit<InjectOptions, 'magicString' | 'fileName'> & {
  /**
   * Event mode: a chunk that already carries an ECMA-426 debug id (its `//# debugId=` comment, else its
   * map's `debugId`) gets it as its chunk id when no `chunkId` is given, as posthog-cli ≥ 0.14 does.
   * A debug id that is not a UUID is ignored and the id is derived from the code.
   */
  adoptDebugId?: boolean;
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

/** What `injectFileOnDisk` did; the map, rewritten or not, is on disk. */
export type InjectFileResult = Omit<SourcePairResult, 'map'> & {
  /**
   * Whether the map as it is now on disk is PostHog's empty map (`isEmptySourceMap`), when the
   * injection read it as bytes: the folder pipeline then skips it without reading it again.
   */
  mapIsEmpty?: boolean;
};

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
  const existing = detectChunkId(code);
  if (existing !== undefined) return { injected: false, chunkId: existing, code, map: input.map };

  let map = input.map === undefined ? undefined : parseMap(input.map, file);
  const adopted = options.adoptDebugId ? findDebugId(code, () => input.map).adopted : undefined;
  const placed = placeSnippet(code, { ...options, chunkId: options.chunkId ?? adopted });
  const { chunkId } = placed;
  if (map === undefined || typeof map.chunk_id === 'string' || typeof map.chunkId === 'string') {
    return { injected: true, chunkId, code: placed.code, map: input.map };
  }

  if (map.sections !== undefined) map = flattenIndexMap(map, file);
  if (typeof map.mappings === 'string') map.mappings = placed.shift(map.mappings, file);
  map.chunk_id = chunkId;
  const trailing = input.map?.endsWith('\n') ? '\n' : '';
  return { injected: true, chunkId, code: placed.code, map: JSON.stringify(map) + trailing };
}

/** The injected code, and how a map's `mappings` follow the snippet inserted into its line. */
function placeSnippet(code: string, options: InjectFileOptions) {
  const chunkId = options.chunkId ?? computeChunkId(code, { releaseHashId: options.releaseHashId });
  assertValidChunkId(chunkId);
  const snippet = createSnippet(chunkId, options.releaseId);
  const { offset, separator } = findInjectionPoint(code);
  const comment = options.appendComment === false ? '' : createChunkIdComment(chunkId);
  const lineStart = code.lastIndexOf('\n', offset - 1) + 1;
  const line = countLineFeeds(code, lineStart);
  const shift = (mappings: string, file: string): string => {
    // A snippet on a line of its own moves no column.
    if (separator !== '') return mappings;
    try {
      return shiftGeneratedColumns(mappings, line, offset - lineStart, snippet.length);
    } catch (error) {
      throw new FileError('invalid_source_map', file, errorMessage(error));
    }
  };
  return {
    chunkId,
    code: code.slice(0, offset) + separator + snippet + code.slice(offset) + comment,
    /** The generated line (0-based) the snippet goes into. */
    line,
    shift,
  };
}

/**
 * `injectSourcePair` for a map given as bytes, edited as bytes: the `mappings` value is shifted in
 * place and `chunk_id` added before the closing brace, so a map of hundreds of MiB costs its own size
 * in memory, not the gigabytes of parsing it. Returns the map's new bytes as parts (or undefined when
 * it stays as it is), or undefined as a whole when only a parse can do it (an index map, a source
 * rewrite, a map that is not a plain valid source map: the parse reports what is wrong).
 */
function injectMapBytes(
  code: string,
  bytes: Buffer,
  file: string,
  options: InjectFileOptions,
): { result: InjectFileResult; map: Uint8Array[] | undefined } | undefined {
  let scan: ReturnType<typeof scanJsonObject>;
  try {
    scan = scanJsonObject(bytes);
  } catch {
    return undefined;
  }
  const mappings = memberOf(scan, 'mappings');
  const stamped = memberOf(scan, 'chunk_id') ?? memberOf(scan, 'chunkId');
  if (memberOf(scan, 'sections') || mappings?.kind !== 'string') return undefined;
  if (stamped && stamped.kind !== 'string') return undefined;
  const placed = placeSnippet(code, options);
  // Only the lines up to the snippet's can change: the rest of `mappings` stays bytes.
  const valueEnd = mappings.end - 1;
  let lineEnd = mappings.start + 1;
  for (let line = 0; line <= placed.line && lineEnd < valueEnd; line++) {
    const next = bytes.indexOf(0x3b, lineEnd);
    lineEnd = next < 0 || next > valueEnd ? valueEnd : next + (line < placed.line ? 1 : 0);
  }
  const head = plainStringValue(bytes, { ...mappings, end: lineEnd + 1 });
  if (head === undefined) return undefined;
  const result = { injected: true, chunkId: placed.chunkId, code: placed.code };
  // No sections here, so the scan judges it. Moving columns keeps every segment and line break.
  const wasEmpty = isEmptySourceMapBytes(bytes, scan) === true;
  // posthog-cli's rule: a map with a chunk id has been adjusted already.
  if (stamped) return { result: { ...result, mapIsEmpty: wasEmpty }, map: undefined };
  const shifted = placed.shift(head, file);
  const field = `${scan.members.length > 0 ? ',' : ''}"chunk_id":${JSON.stringify(placed.chunkId)}`;
  return {
    result: { ...result, mapIsEmpty: wasEmpty && shifted === '' },
    map: [
      bytes.subarray(0, mappings.start + 1),
      Buffer.from(shifted, 'utf8'),
      bytes.subarray(lineEnd, scan.close),
      Buffer.from(field, 'utf8'),
      bytes.subarray(scan.close),
    ],
  };
}

function countLineFeeds(code: string, end: number): number {
  let count = 0;
  for (let at = code.indexOf('\n'); at >= 0 && at < end; at = code.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * Reads a JS file (and its map), injects them and writes both back, each atomically (temp file +
 * rename, file mode kept). A plain map is edited as bytes (see injectMapBytes), others through
 * `injectSourcePair`. The map is written first: if the run stops between the two writes, the map
 * carries `chunk_id` and the next run injects the JS without moving the map's columns a second
 * time. Nothing is written when the file already carries an id.
 */
export async function injectFileOnDisk(
  jsPath: string,
  mapPath: string | undefined,
  options: InjectFileOptions = {},
): Promise<InjectFileResult> {
  const bytes = await readOrThrow(jsPath);
  let code: string;
  try {
    // ignoreBOM keeps a BOM in the text, so the file is written back byte for byte.
    code = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FileError('invalid_utf8', jsPath, 'JavaScript file is not valid UTF-8');
  }
  const existing = detectChunkId(code);
  if (existing !== undefined) return { injected: false, chunkId: existing, code };
  const mapBytes = mapPath === undefined ? undefined : await readOrThrow(mapPath);
  const adopted = options.adoptDebugId ? findDebugIdInMapBytes(code, () => mapBytes).adopted : undefined;
  // Hash the bytes as read, like posthog-cli (identical to hashing the decoded text).
  const chunkId =
    options.chunkId ?? adopted ?? computeChunkId(bytes, { releaseHashId: options.releaseHashId });
  const edited = mapBytes && injectMapBytes(code, mapBytes, mapPath!, { ...options, chunkId });
  if (edited) {
    if (edited.map) await writeAtomic(mapPath!, edited.map);
    await writeAtomic(jsPath, edited.result.code);
    return edited.result;
  }
  const map = mapBytes?.toString('utf8');
  const { map: injectedMap, ...result } = injectSourcePair(
    { code, map, fileName: mapPath ?? jsPath },
    { ...options, chunkId },
  );
  if (mapPath !== undefined && injectedMap !== undefined && injectedMap !== map)
    await writeAtomic(mapPath, injectedMap);
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

async function writeAtomic(path: string, content: string | readonly Uint8Array[]): Promise<void> {
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
