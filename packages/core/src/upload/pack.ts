import { createHash } from 'node:crypto';
import { encodeSymbolSetAsync } from '../container/encode';
import { errorMessage, FileError, HogmapsError } from '../errors';
import type { ReleaseMode } from '../options/types';
import { eventContentHash } from './event-hash';
import type { UploadInput } from './types';

export interface PackedChunk {
  bytes: Buffer;
  /**
   * The `content_hash`, lowercase hex SHA-512 as posthog-cli computes it: in symbol-set mode over the
   * exact container bytes (packing is deterministic: same input, same zstd implementation and level);
   * in event mode over the pair with the injection undone (event-hash.ts), so a new release id alone
   * never makes an unchanged chunk look changed.
   */
  hash: string;
}

function text(bytes: string | Uint8Array): string {
  return typeof bytes === 'string'
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Loads one input and packs it into a container; every failure becomes a FileError naming the file. */
export async function packInput(
  input: UploadInput,
  compression: 'auto' | 'zstd' | 'none',
  releaseMode: ReleaseMode = 'symbol-set',
): Promise<PackedChunk> {
  let content: Awaited<ReturnType<UploadInput['load']>>;
  try {
    content = await input.load();
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError('load_failed', input.fileName, errorMessage(error), { cause: error });
  }
  let bytes: Buffer;
  try {
    bytes = await encodeSymbolSetAsync(content, { compression });
  } catch (error) {
    const code = error instanceof HogmapsError ? error.code : 'pack_failed';
    throw new FileError(code, input.fileName, errorMessage(error), { cause: error });
  }
  const hash =
    releaseMode === 'event'
      ? eventContentHash(text(content.minified), text(content.map), input.chunkId)
      : createHash('sha512').update(bytes).digest('hex');
  return { bytes, hash };
}
