import { createHash } from 'node:crypto';
import { checkUtf8, encodeSymbolSetParts } from '../container/encode';
import { headerLength } from '../container/format';
import { errorMessage, FileError, HogmapsError } from '../errors';
import type { ReleaseMode } from '../options/types';
import { eventContentHash } from './event-hash';
import { recyclePair } from './pair-memory';
import type { UploadInput } from './types';

/** A loaded JS file and its map. */
export type Pair = NonNullable<Awaited<ReturnType<UploadInput['load']>>>;

/** A symbol-set container as the parts to hash and send in order (see encodeSymbolSetParts). */
export type Container = readonly Uint8Array[];

/** The container's size in bytes. */
export function containerSize(container: Container): number {
  let size = 0;
  for (const part of container) size += part.byteLength;
  return size;
}

export interface PackedChunk {
  container: Container;
  /**
   * The `content_hash`, lowercase hex SHA-512 as posthog-cli computes it: in symbol-set mode over the
   * exact container bytes (packing is deterministic: same input, same zstd implementation and level);
   * in event mode over the pair with the injection undone (event-hash.ts), so a new release id alone
   * never makes an unchanged chunk look changed.
   */
  hash: string;
}

function byteLength(part: string | Uint8Array): number {
  return typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : part.byteLength;
}

function asFileError(error: unknown, fileName: string, fallbackCode: string): FileError {
  if (error instanceof FileError) return error;
  const code = error instanceof HogmapsError ? error.code : fallbackCode;
  return new FileError(code, fileName, errorMessage(error), { cause: error });
}

/** Loads one input (undefined: it declined itself); every failure becomes a FileError naming the file. */
export async function loadInput(input: UploadInput): Promise<Pair | undefined> {
  try {
    return await input.load();
  } catch (error) {
    throw asFileError(error, input.fileName, 'load_failed');
  }
}

/** Packs a loaded pair into its symbol-set container (zstd off the main thread). */
export async function packPair(
  pair: Pair,
  compression: 'auto' | 'zstd' | 'none',
  fileName: string,
): Promise<Container> {
  try {
    return await encodeSymbolSetParts(pair, { compression });
  } catch (error) {
    throw asFileError(error, fileName, 'pack_failed');
  }
}

/**
 * The event-mode content hash of a loaded pair. It needs no container, so a set PostHog already has
 * is never packed. Refuses bytes that are not UTF-8, as packing would.
 */
export function eventHash(pair: Pair, input: UploadInput): string {
  try {
    checkUtf8(pair.minified, 'minified code');
    checkUtf8(pair.map, 'source map');
  } catch (error) {
    throw asFileError(error, input.fileName, 'pack_failed');
  }
  return eventContentHash(pair.minified, pair.map, input.chunkId);
}

/** The JS and map bytes of a pair. */
export function pairBytes(pair: Pair): number {
  return byteLength(pair.minified) + byteLength(pair.map);
}

/**
 * An upper bound of the pair's container size (v2, compressed or not): zstd's worst case is the
 * input plus 1/256 of it plus a few hundred bytes of frame and block headers.
 */
export function packedSizeBound(pair: Pair): number {
  const payload = 16 + pairBytes(pair);
  return headerLength(2) + payload + (payload >>> 8) + 1024;
}

/**
 * SHA-512 of a container on the calling thread, where the event hash is computed too. WebCrypto's
 * digest runs on the thread pool but first copies its input on the calling thread: over 150 pairs
 * (31 MB) that cost this thread as much as hashing them here (90-100 ms against 90 ms) and the
 * process 50-60 ms more CPU (docs/benchmarks.md, round 19).
 */
function sha512Hex(container: Container): string {
  const hash = createHash('sha512');
  for (const part of container) hash.update(part);
  return hash.digest('hex');
}

/** Packs and hashes a loaded pair; its memory then goes to the next pair (pair-memory.ts). */
export async function packLoaded(
  pair: Pair,
  input: UploadInput,
  compression: 'auto' | 'zstd' | 'none',
  releaseMode: ReleaseMode = 'symbol-set',
): Promise<PackedChunk> {
  // The event hash first: this thread then goes on to the next pair while zstd runs on the pool.
  const pairHash = releaseMode === 'event' ? eventHash(pair, input) : undefined;
  const container = await packPair(pair, compression, input.fileName);
  const hash = pairHash ?? sha512Hex(container);
  recyclePair(pair, container);
  return { container, hash };
}

/**
 * Loads an input again and packs it into a container; every failure becomes a FileError naming the
 * file. It was loaded once already, so declining now means it changed meanwhile.
 */
export async function packInput(
  input: UploadInput,
  compression: 'auto' | 'zstd' | 'none',
  releaseMode: ReleaseMode = 'symbol-set',
): Promise<PackedChunk> {
  const pair = await loadInput(input);
  if (!pair) throw changedDuringUpload(input.fileName);
  return packLoaded(pair, input, compression, releaseMode);
}

export function changedDuringUpload(fileName: string): FileError {
  return new FileError(
    'changed_during_upload',
    fileName,
    'changed while it was being uploaded (its content no longer matches the hash sent to PostHog); upload again',
  );
}
