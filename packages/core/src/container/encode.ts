import { HogmapsError, OptionsError } from '../errors';
import { isUtf8Checked } from '../files/utf8-checked';
import {
  COMPRESSION_NONE,
  COMPRESSION_ZSTD,
  headerLength,
  SYMBOL_SET_TYPES,
  type SymbolSetVersion,
  writeHeader,
} from './format';
import { ZSTD_LEVEL, zstdAvailable, zstdCompress, zstdCompressAsync } from './zstd';

export interface SymbolSetInput {
  /** The JS exactly as served (snippet and `//# chunkId=` comment included). */
  minified: string | Uint8Array;
  /** The source map JSON. */
  map: string | Uint8Array;
}

export interface EncodeSymbolSetOptions {
  /** @default 2 */
  version?: 1 | 2;
  /**
   * `auto` compresses with zstd when a compressor loads, else writes uncompressed v2; `zstd`
   * throws when none loads; `none` never compresses. v1 is always uncompressed.
   * @default 'auto'
   */
  compression?: 'auto' | 'zstd' | 'none';
}

function byteLength(part: string | Uint8Array): number {
  return typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : part.byteLength;
}

function writePart(target: Buffer, at: number, part: string | Uint8Array, length: number): number {
  at = target.writeBigUInt64LE(BigInt(length), at);
  if (typeof part === 'string') target.write(part, at, length, 'utf8');
  else target.set(part, at);
  return at + length;
}

/** Throws HogmapsError `invalid_utf8` naming the part when bytes are not UTF-8 (strings always are). */
export function checkUtf8(part: string | Uint8Array, what: string): void {
  if (typeof part !== 'string' && !isUtf8Checked(part)) {
    throw new HogmapsError('invalid_utf8', `the ${what} is not valid UTF-8`);
  }
}

interface Plan {
  version: SymbolSetVersion;
  zstd: boolean;
  header: number;
  minifiedLength: number;
  mapLength: number;
}

function plan(input: SymbolSetInput, options: EncodeSymbolSetOptions): Plan {
  const version = options.version ?? 2;
  const compression = options.compression ?? 'auto';
  if (version !== 1 && version !== 2) {
    throw new OptionsError([{ path: 'version', message: `expected 1 or 2, got ${String(version)}` }]);
  }
  if (!['auto', 'zstd', 'none'].includes(compression)) {
    throw new OptionsError([
      { path: 'compression', message: `expected 'auto', 'zstd' or 'none', got ${String(compression)}` },
    ]);
  }
  if (version === 1 && compression === 'zstd') {
    throw new OptionsError([
      { path: 'compression', message: 'container v1 cannot be compressed; use version 2' },
    ]);
  }
  checkUtf8(input.minified, 'minified code');
  checkUtf8(input.map, 'source map');
  return {
    version,
    zstd: version === 2 && (compression === 'zstd' || (compression === 'auto' && !!zstdAvailable())),
    header: headerLength(version),
    minifiedLength: byteLength(input.minified),
    mapLength: byteLength(input.map),
  };
}

/**
 * Room for a v2 SourceAndMap container whose parts are filled in place (read from files straight
 * into `minified` and `map`): the uncompressed header and both length prefixes are written, so
 * encoding these views needs no copy of the parts, only the compressor's own output.
 */
export function allocateSourceAndMap(
  minifiedLength: number,
  mapLength: number,
  allocate: (size: number) => Buffer = Buffer.allocUnsafe,
): { minified: Buffer; map: Buffer } {
  const header = headerLength(2);
  const out = allocate(header + 16 + minifiedLength + mapLength);
  writeHeader(out, 2, SYMBOL_SET_TYPES.SourceAndMap, COMPRESSION_NONE);
  out.writeBigUInt64LE(BigInt(minifiedLength), header);
  const mapPrefix = header + 8 + minifiedLength;
  out.writeBigUInt64LE(BigInt(mapLength), mapPrefix);
  return {
    minified: out.subarray(header + 8, mapPrefix),
    map: out.subarray(mapPrefix + 8),
  };
}

/**
 * The payload (or, uncompressed, the whole container) when the parts already lie in container order
 * in one buffer, as allocateSourceAndMap lays them out: the same bytes `layout` would write, uncopied.
 */
function inPlace(input: SymbolSetInput, p: Plan): Buffer | undefined {
  const { minified, map } = input;
  if (typeof minified === 'string' || typeof map === 'string' || minified.buffer !== map.buffer) return;
  const payloadStart = minified.byteOffset - 8;
  const start = p.zstd ? payloadStart : payloadStart - p.header;
  if (start < 0 || map.byteOffset !== minified.byteOffset + p.minifiedLength + 8) return;
  const all = Buffer.from(minified.buffer, start, map.byteOffset + p.mapLength - start);
  const at = payloadStart - start;
  if (all.readBigUInt64LE(at) !== BigInt(p.minifiedLength)) return;
  if (all.readBigUInt64LE(at + 8 + p.minifiedLength) !== BigInt(p.mapLength)) return;
  if (!p.zstd) {
    const head = Buffer.allocUnsafe(p.header);
    writeHeader(head, p.version, SYMBOL_SET_TYPES.SourceAndMap, COMPRESSION_NONE);
    if (!head.equals(all.subarray(0, p.header))) return;
  }
  return all;
}

/** Writes header (uncompressed only) and payload; for zstd, returns the bare payload to compress. */
function layout(input: SymbolSetInput, p: Plan): Buffer {
  const laid = inPlace(input, p);
  if (laid) return laid;
  const prefix = p.zstd ? 0 : p.header;
  const out = Buffer.allocUnsafe(prefix + 16 + p.minifiedLength + p.mapLength);
  let at = p.zstd ? 0 : writeHeader(out, p.version, SYMBOL_SET_TYPES.SourceAndMap, COMPRESSION_NONE);
  at = writePart(out, at, input.minified, p.minifiedLength);
  writePart(out, at, input.map, p.mapLength);
  return out;
}

/** The v2 zstd container's header, then the frame's parts: the container, uncopied. */
function withZstdHeader(frame: Uint8Array[]): Uint8Array[] {
  const head = Buffer.allocUnsafe(headerLength(2));
  writeHeader(head, 2, SYMBOL_SET_TYPES.SourceAndMap, COMPRESSION_ZSTD);
  return [head, ...frame];
}

/**
 * Packs minified JS and its source map into a SourceAndMap symbol-set container (v2 + zstd level 3
 * by default, the frame carrying its content size as PostHog's CLI writes it). Throws OptionsError
 * for bad options and HogmapsError `invalid_utf8` for bytes that are not UTF-8.
 * For many sets prefer encodeSymbolSetAsync: it compresses off the main thread (and, with
 * @toondepauw/node-zstd, does not leak the output as the sync binding does).
 */
export function encodeSymbolSet(input: SymbolSetInput, options: EncodeSymbolSetOptions = {}): Buffer {
  const p = plan(input, options);
  const payload = layout(input, p);
  return p.zstd ? Buffer.concat(withZstdHeader(zstdCompress(payload, ZSTD_LEVEL))) : payload;
}

/** As encodeSymbolSet, with compression on the libuv thread pool. The same bytes for the same input. */
export async function encodeSymbolSetAsync(
  input: SymbolSetInput,
  options: EncodeSymbolSetOptions = {},
): Promise<Buffer> {
  const parts = await encodeSymbolSetParts(input, options);
  const [only] = parts;
  return parts.length === 1 && Buffer.isBuffer(only) ? only : Buffer.concat(parts);
}

/**
 * As encodeSymbolSetAsync, the container as parts to hash and send in order, not joined: joining
 * copied every compressed set once more on the calling thread, into fresh memory.
 */
export async function encodeSymbolSetParts(
  input: SymbolSetInput,
  options: EncodeSymbolSetOptions = {},
): Promise<Uint8Array[]> {
  const p = plan(input, options);
  const payload = layout(input, p);
  return p.zstd ? withZstdHeader(await zstdCompressAsync(payload, ZSTD_LEVEL)) : [payload];
}
