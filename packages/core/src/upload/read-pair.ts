import { readFile } from 'node:fs/promises';
import { FileError } from '../errors';
import { checkSourceMapBytes } from '../files/source-map-bytes';
import { findSourceMappingUrl } from '../files/source-mapping-url';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readError(file: string, error: unknown, what: string): FileError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new FileError('file_not_found', file, `${what} does not exist`, { cause: error });
  return new FileError('read_failed', file, `cannot read ${what}: ${(error as Error).message}`, {
    cause: error,
  });
}

/**
 * Reads one emitted JS file and its map for upload, refusing what PostHog could not use, each with
 * one message naming the file: no map (or only an inline `data:` map), JS that is not UTF-8, a map
 * that is not a source-map JSON object.
 */
export async function readSourcePair(
  jsPath: string,
  mapPath: string | undefined,
  fileName: string = jsPath,
): Promise<{ minified: Buffer; map: Buffer }> {
  let minified: Buffer;
  try {
    minified = await readFile(jsPath);
  } catch (error) {
    throw readError(fileName, error, 'the file');
  }
  let code: string;
  try {
    code = utf8.decode(minified);
  } catch {
    throw new FileError('invalid_utf8', fileName, 'is not valid UTF-8 JavaScript');
  }
  if (!mapPath) {
    const inline = findSourceMappingUrl(code)?.startsWith('data:');
    throw new FileError(
      'map_not_found',
      fileName,
      inline
        ? 'has only an inline (data: URL) source map; upload needs a separate .map file (use external or hidden maps)'
        : 'has no source map',
    );
  }
  let map: Buffer;
  try {
    map = await readFile(mapPath);
  } catch (error) {
    throw readError(fileName, error, `its source map ${mapPath}`);
  }
  // Checked as bytes: parsing a map of hundreds of MiB would cost gigabytes.
  checkSourceMapBytes(map, mapPath);
  return { minified, map };
}
