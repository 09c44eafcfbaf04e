import { createHash } from 'node:crypto';
import { encodeSymbolSetAsync } from '../container/encode';
import { errorMessage, FileError, HogmapsError } from '../errors';
import type { UploadInput } from './types';

export interface PackedChunk {
  bytes: Buffer;
  /**
   * Lowercase hex SHA-512 of the exact container bytes, as PostHog's CLI computes it in symbol-set
   * mode. The server only compares it; equal content gives equal hashes because packing is
   * deterministic (same input, same zstd implementation and level).
   */
  hash: string;
}

/** Loads one input and packs it into a container; every failure becomes a FileError naming the file. */
export async function packInput(
  input: UploadInput,
  compression: 'auto' | 'zstd' | 'none',
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
  return { bytes, hash: createHash('sha512').update(bytes).digest('hex') };
}
