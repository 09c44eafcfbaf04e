import * as zlib from 'node:zlib';
import { decompress as fzstdDecompress } from 'fzstd';

/**
 * The JS pair packed in a `posthog_error_tracking` container (posthog-protocol.md 3.2), as views of
 * the (decompressed) payload: nothing is copied or turned into strings until needed.
 */
export interface DecodedContainer {
  minifiedSource: Buffer;
  sourceMap: Buffer;
}

/** Why a container could not be decoded; the message is shown as a frame's `resolve_failure`. */
export class ContainerError extends Error {
  override name = 'ContainerError';
}

const MAGIC = Buffer.from('posthog_error_tracking', 'ascii');
const TYPE_SOURCE_AND_MAP = 2;
const TYPE_NAMES: Record<number, string> = {
  3: 'HermesMap',
  4: 'ProguardMapping',
  5: 'AppleDsym',
  6: 'ElfDebugInfo',
};

type ZstdDecompress = (bytes: Uint8Array) => Uint8Array;

// Node 22.15+ ships zstd in zlib; Node 20 does not, so fall back to the pure-JS fzstd.
const nativeZstd = (zlib as { zstdDecompressSync?: ZstdDecompress }).zstdDecompressSync;
const zstdDecompress: ZstdDecompress = nativeZstd ? (bytes) => nativeZstd(bytes) : fzstdDecompress;

/**
 * Decodes a symbol-set container: v1, or v2 with compression 0 (none) or 1 (zstd), type
 * SourceAndMap. Throws ContainerError naming what is wrong. This is the one entry point, so it can
 * later be swapped for @hogmaps/core's decoder.
 */
export function decodeContainer(bytes: Uint8Array): DecodedContainer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < MAGIC.length + 8 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ContainerError('not a posthog_error_tracking container (bad magic bytes)');
  }
  let offset = MAGIC.length;
  const version = buf.readUInt32LE(offset);
  const type = buf.readUInt32LE(offset + 4);
  offset += 8;
  if (version !== 1 && version !== 2) {
    throw new ContainerError(`unsupported container version ${version} (expected 1 or 2)`);
  }
  if (type !== TYPE_SOURCE_AND_MAP) {
    const name = TYPE_NAMES[type];
    throw new ContainerError(
      name
        ? `container holds ${name} data, not a JavaScript source and map`
        : `unknown container data type ${type}`,
    );
  }
  let payload: Buffer = buf.subarray(offset);
  if (version === 2) {
    if (payload.length < 1) throw new ContainerError('truncated container: missing compression byte');
    const compression = payload[0];
    payload = payload.subarray(1);
    if (compression === 1) payload = decompressZstd(payload);
    else if (compression !== 0) throw new ContainerError(`unknown container compression ${compression}`);
  }
  return readSourceAndMap(payload);
}

function decompressZstd(data: Buffer): Buffer {
  try {
    const out = zstdDecompress(data);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    throw new ContainerError(`invalid zstd payload: ${(err as Error).message}`);
  }
}

/** `u64 len | minified | u64 len | map`, consuming the payload exactly. */
function readSourceAndMap(payload: Buffer): DecodedContainer {
  let offset = 0;
  const readPart = (what: string): Buffer => {
    if (payload.length - offset < 8) throw new ContainerError(`truncated container: missing ${what} length`);
    const length = payload.readBigUInt64LE(offset);
    offset += 8;
    if (length > BigInt(payload.length - offset)) {
      throw new ContainerError(`truncated container: ${what} claims ${length} bytes`);
    }
    const part = payload.subarray(offset, offset + Number(length));
    offset += Number(length);
    return part;
  };
  const minifiedSource = readPart('minified source');
  const sourceMap = readPart('source map');
  if (offset !== payload.length) {
    throw new ContainerError(`container has ${payload.length - offset} unexpected trailing bytes`);
  }
  return { minifiedSource, sourceMap };
}
