import { HogmapsError } from '../errors';
import { COMPRESSION_ZSTD, headerLength, MAGIC_BYTES, SYMBOL_SET_TYPES, typeName } from './format';
import { zstdDecompress } from './zstd';

export interface DecodedSymbolSet {
  version: 1 | 2;
  type: number;
  compression: 0 | 1;
  minified: string;
  map: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function invalid(message: string, cause?: unknown): HogmapsError {
  return new HogmapsError('invalid_symbol_set', `Invalid symbol set: ${message}`, { cause });
}

function readPart(payload: Buffer, at: number, what: string): { text: string; next: number } {
  if (at + 8 > payload.length) throw invalid(`payload ends before the length of the ${what}`);
  const length = payload.readBigUInt64LE(at);
  const start = at + 8;
  if (length > BigInt(payload.length - start)) {
    throw invalid(`the ${what} claims ${length} bytes but only ${payload.length - start} remain`);
  }
  const end = start + Number(length);
  try {
    return { text: utf8.decode(payload.subarray(start, end)), next: end };
  } catch (error) {
    throw invalid(`the ${what} is not valid UTF-8`, error);
  }
}

/** Reads a SourceAndMap symbol-set container, v1 or v2, uncompressed or zstd. Throws HogmapsError `invalid_symbol_set`. */
export function decodeSymbolSet(bytes: Uint8Array): DecodedSymbolSet {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < headerLength(1) || !data.subarray(0, MAGIC_BYTES.length).equals(MAGIC_BYTES)) {
    throw invalid('it does not start with "posthog_error_tracking"');
  }
  const version = data.readUInt32LE(MAGIC_BYTES.length);
  if (version !== 1 && version !== 2) throw invalid(`unknown container version ${version}`);
  if (data.length < headerLength(version)) throw invalid('the header is truncated');
  const type = data.readUInt32LE(MAGIC_BYTES.length + 4);
  if (type !== SYMBOL_SET_TYPES.SourceAndMap) {
    const name = typeName(type);
    throw invalid(
      name
        ? `type ${type} (${name}) is not a JavaScript source-and-map set`
        : `unknown symbol set type ${type}`,
    );
  }
  const compression = version === 2 ? data.readUInt8(MAGIC_BYTES.length + 8) : 0;
  if (compression !== 0 && compression !== 1) throw invalid(`unknown compression ${compression}`);

  let payload = data.subarray(headerLength(version));
  if (compression === COMPRESSION_ZSTD) {
    try {
      const raw = zstdDecompress(payload);
      payload = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    } catch (error) {
      if (error instanceof HogmapsError) throw error;
      throw invalid(`the zstd payload does not decompress (${(error as Error).message})`, error);
    }
  }
  const minified = readPart(payload, 0, 'minified code');
  const map = readPart(payload, minified.next, 'source map');
  if (map.next !== payload.length) {
    throw invalid(`${payload.length - map.next} unexpected bytes after the source map`);
  }
  return { version, type, compression, minified: minified.text, map: map.text };
}
