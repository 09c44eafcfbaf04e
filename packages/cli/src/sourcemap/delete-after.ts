import { createHash } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage, stripSourceMappingUrl } from '@hogmaps/core';
import type { CommandContext } from '../context';
import { displayPath, findCssFiles } from './files';
import type { UploadEntry } from './upload-step';

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
 * `--delete-after`, once every symbol set is on the server: removes each map and the trailing
 * `sourceMappingURL` comment that would now point at nothing, for JS and for CSS, like posthog-cli.
 * A JS file that changed since its id was read is left alone (its map may no longer match).
 * Returns how many maps were deleted.
 */
export async function deleteMapsAfterUpload(
  context: CommandContext,
  entries: readonly UploadEntry[],
  roots: readonly string[],
): Promise<number> {
  const { logger, io } = context;
  let deleted = 0;
  const mapsDone = new Set<string>();
  for (const entry of entries) {
    const name = displayPath(io.cwd, entry.jsPath);
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
  for (const css of await findCssFiles(roots, io.cwd)) {
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
      logger.warn(`${displayPath(io.cwd, css)}: could not remove its source map (${errorMessage(error)})`);
    }
  }
  return deleted;
}
