import * as zlib from 'node:zlib';
import { HogmapsError } from '../errors';
import { loadOptional } from './load-optional';
import { withContentSize } from './zstd-frame';

/** PostHog's CLI compresses at level 3. */
export const ZSTD_LEVEL = 3;

interface Codec {
  name: string;
  /** Returns the frame as parts to concatenate (so the size pledge costs no extra copy). */
  compress: (data: Uint8Array, level: number) => Uint8Array[];
  /** Off the main thread (libuv pool), so packing overlaps I/O and uses every core. */
  compressAsync: (data: Uint8Array, level: number) => Promise<Uint8Array[]>;
}

interface Decompressor {
  name: string;
  decompress: (data: Uint8Array) => Uint8Array;
}

/** Node ≥ 22.15 (and ≥ 23.8) ships zstd in zlib; @types/node 20 does not know it. */
interface ZlibWithZstd {
  zstdCompressSync(data: Uint8Array, options: object): Buffer;
  zstdCompress(
    data: Uint8Array,
    options: object,
    callback: (error: Error | null, result: Buffer) => void,
  ): void;
  zstdDecompressSync(data: Uint8Array): Buffer;
  constants: { ZSTD_c_compressionLevel: number };
}

interface NodeZstdEncoder {
  encodeSync(data: Buffer): Buffer;
  encode(data: Buffer): Promise<Buffer>;
}

interface NodeZstd {
  Encoder: new (level: number) => NodeZstdEncoder;
  Decoder: new () => { decodeSync(data: Buffer): Buffer };
}

interface Fzstd {
  decompress(data: Uint8Array): Uint8Array;
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function nodeZlib(): ZlibWithZstd | undefined {
  const z = zlib as unknown as Partial<ZlibWithZstd>;
  const ok = ['zstdCompressSync', 'zstdCompress', 'zstdDecompressSync'] as const;
  return ok.every((name) => typeof z[name] === 'function') ? (z as ZlibWithZstd) : undefined;
}

function nodeZlibCodec(): Codec | undefined {
  const z = nodeZlib();
  if (!z) return undefined;
  const options = (data: Uint8Array, level: number) => ({
    params: { [z.constants.ZSTD_c_compressionLevel]: level },
    pledgedSrcSize: data.length,
  });
  return {
    name: 'node:zlib',
    compress: (data, level) => withContentSize(z.zstdCompressSync(data, options(data, level)), data.length),
    compressAsync: (data, level) =>
      new Promise((resolve, reject) =>
        z.zstdCompress(data, options(data, level), (error, result) =>
          error ? reject(error) : resolve(withContentSize(result, data.length)),
        ),
      ),
  };
}

function nodeZstdCodec(): Codec | undefined {
  const mod = loadOptional<NodeZstd>('@toondepauw/node-zstd');
  if (!mod || typeof mod.Encoder !== 'function') return undefined;
  const encoders = new Map<number, NodeZstdEncoder>();
  const encoder = (level: number) => {
    let found = encoders.get(level);
    if (!found) {
      found = new mod.Encoder(level);
      encoders.set(level, found);
    }
    return found;
  };
  // Its streaming encoder leaves the content size out of the frame header: add it back.
  // Measured here: encodeSync never frees its output buffer (RSS grows by the compressed size on
  // every call, even after GC); the async encode() does not leak. Bulk packing uses the async one.
  return {
    name: '@toondepauw/node-zstd',
    compress: (data, level) => withContentSize(encoder(level).encodeSync(asBuffer(data)), data.length),
    compressAsync: async (data, level) =>
      withContentSize(await encoder(level).encode(asBuffer(data)), data.length),
  };
}

/**
 * Sync decompression: node:zlib, else fzstd (pure JS, about 200 MB/s here), else node-zstd as a
 * last resort: its decodeSync leaks its whole output on every call (measured: +1.7 MB RSS per
 * 1.2 MB set, never reclaimed), which a long-running server cannot afford.
 */
function decompressor(): Decompressor | undefined {
  const z = nodeZlib();
  if (z) return { name: 'node:zlib', decompress: (data) => z.zstdDecompressSync(data) };
  const fzstd = loadOptional<Fzstd>('fzstd');
  if (fzstd && typeof fzstd.decompress === 'function') return { name: 'fzstd', decompress: fzstd.decompress };
  const mod = loadOptional<NodeZstd>('@toondepauw/node-zstd');
  if (!mod || typeof mod.Decoder !== 'function') return undefined;
  const decoder = new mod.Decoder();
  return { name: '@toondepauw/node-zstd', decompress: (data) => decoder.decodeSync(asBuffer(data)) };
}

let codecs: { compressor: Codec | undefined; decompressor: Decompressor | undefined } | undefined;

function resolveCodecs() {
  codecs ??= { compressor: nodeZlibCodec() ?? nodeZstdCodec(), decompressor: decompressor() };
  return codecs;
}

/** The zstd compressor in use (`node:zlib` or `@toondepauw/node-zstd`), or undefined when none loads. */
export function zstdAvailable(): string | undefined {
  return resolveCodecs().compressor?.name;
}

/** The zstd decompressor in use: node:zlib, else fzstd (pure JS), else @toondepauw/node-zstd. */
export function zstdDecompressorName(): string | undefined {
  return resolveCodecs().decompressor?.name;
}

/** Compresses to one zstd frame whose header carries the content size. Throws when no compressor loads. */
export function zstdCompress(data: Uint8Array, level = ZSTD_LEVEL): Uint8Array[] {
  return compressor().compress(data, level);
}

/** As zstdCompress, off the main thread. Prefer it for many sets (see nodeZstdCodec). */
export function zstdCompressAsync(data: Uint8Array, level = ZSTD_LEVEL): Promise<Uint8Array[]> {
  return compressor().compressAsync(data, level);
}

function compressor(): Codec {
  const { compressor } = resolveCodecs();
  if (!compressor) {
    throw new HogmapsError(
      'zstd_unavailable',
      'zstd compression is not available: Node < 22.15 and @toondepauw/node-zstd did not load',
    );
  }
  return compressor;
}

export function zstdDecompress(data: Uint8Array): Uint8Array {
  const { decompressor } = resolveCodecs();
  if (!decompressor) {
    throw new HogmapsError(
      'zstd_unavailable',
      'zstd decompression is not available: Node < 22.15, and neither @toondepauw/node-zstd nor fzstd loaded',
    );
  }
  return decompressor.decompress(data);
}
