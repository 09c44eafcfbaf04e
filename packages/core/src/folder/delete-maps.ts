import { createHash } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../errors';
import { stripSourceMappingUrl } from '../files/source-mapping-url';
import { displayPath } from './display';
import { findCssFiles } from './find-pairs';
import type { FolderContext, FolderEntry } from './types';

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

const CSS_REFERENCE = /\/\*[#@]\s*sourceMappingURL=([^\s*]+)\s*\*\/\s*$/;

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Once every symbol set is on the server: removes each map and the trailing `sourceMappingURL`
 * comment that would now point at nothing, for JS and for CSS under the roots, like posthog-cli's
 * `--delete-after`. A JS file that changed since its id was read is left alone (its map may no longer
 * match). Returns how many maps were deleted.
 */
export async function deleteMapsAfterUpload(
  context: FolderContext,
  entries: readonly FolderEntry[],
  roots: readonly string[],
): Promise<number> {
  const { logger, cwd } = context;
  let deleted = 0;
  const mapsDone = new Set<string>();
  for (const entry of entries) {
    const name = displayPath(cwd, entry.jsPath);
    try {
      const code = await readFile(entry.jsPath);
      if (sha256(code) !== entry.jsHash) {
        logger.warn(`${name} changed during the upload; its source map is kept`);
        continue;
      }
      const text = code.toString('utf8');
      const stripped = stripSourceMappingUrl(text);
      if (stripped !== text) await writeFile(entry.jsPath, stripped);
      if (!mapsDone.has(entry.mapPath)) {
        mapsDone.add(entry.mapPath);
        await rm(entry.mapPath, { force: true });
        deleted += 1;
      }
    } catch (error) {
      logger.warn(`${name}: could not remove its source map (${errorMessage(error)})`);
    }
  }
  for (const css of await findCssFiles(roots, cwd)) {
    try {
      const text = await readFile(css, 'utf8');
      const reference = CSS_REFERENCE.exec(text.trimEnd())?.[1];
      const candidates = [
        ...(reference && !/^[a-z][a-z0-9+.-]+:/i.test(reference)
          ? [path.resolve(path.dirname(css), reference)]
          : []),
        `${css}.map`,
      ];
      for (const candidate of candidates) {
        if (!(await exists(candidate))) continue;
        await rm(candidate, { force: true });
        deleted += 1;
        break;
      }
      const stripped = stripSourceMappingUrl(text);
      if (stripped !== text) await writeFile(css, stripped);
    } catch (error) {
      logger.warn(`${displayPath(cwd, css)}: could not remove its source map (${errorMessage(error)})`);
    }
  }
  return deleted;
}
