import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readInjectedChunkId } from '@hogmaps/core';

const JS_FILE = /\.(?:js|mjs|cjs)$/;

// The release snippet's `_posthogReleaseId=e._posthogReleaseId||"<id>"` (the `e` may be renamed by a minifier).
const INJECTED_RELEASE = /_posthogReleaseId\s*=\s*[\w$]+\._posthogReleaseId\s*\|\|\s*"([^"\\]{1,200})"/;

/** The release id the event-mode snippet of `code` sets, if it has one. */
export function readInjectedReleaseId(code: string): string | undefined {
  return INJECTED_RELEASE.exec(code)?.[1];
}

/**
 * The chunk id of every injected JS file under `dir`, by path relative to it (forward slashes).
 * `releases`, when given, receives the release id each chunk's snippet sets (event mode).
 */
export async function readChunkIds(
  dir: string,
  releases?: Map<string, string>,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const walk = async (current: string) => {
    let entries: Dirent[];
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && JS_FILE.test(entry.name)) {
        const code = await readFile(full, 'utf8');
        const chunkId = readInjectedChunkId(code);
        if (!chunkId) continue;
        ids.set(path.relative(dir, full).split(path.sep).join('/'), chunkId);
        const releaseId = releases && readInjectedReleaseId(code);
        if (releaseId) releases.set(chunkId, releaseId);
      }
    }
  };
  await walk(dir);
  return ids;
}

/** A frame's file as a path: the pathname of a URL, without query or fragment. */
function framePath(filename: string): string {
  let value = filename.replace(/[?#].*$/, '');
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(value)) {
    try {
      value = decodeURIComponent(new URL(value).pathname);
    } catch {
      // keep the text as it is
    }
  }
  return value.replace(/\\/g, '/');
}

/**
 * Finds the built file a frame points at: the longest relative path that the frame's path ends with
 * (`https://app.example/assets/index-abc.js` → `assets/index-abc.js`), else a unique file name.
 */
export function chunkIdForFile(filename: string, ids: ReadonlyMap<string, string>): string | undefined {
  const target = framePath(filename);
  let best: { length: number; chunkId: string } | undefined;
  for (const [relative, chunkId] of ids) {
    const matches = target === relative || target.endsWith(`/${relative}`);
    if (matches && relative.length > (best?.length ?? -1)) best = { length: relative.length, chunkId };
  }
  if (best) return best.chunkId;
  const base = target.slice(target.lastIndexOf('/') + 1);
  const byName = [...ids].filter(([relative]) => relative.slice(relative.lastIndexOf('/') + 1) === base);
  return byName.length === 1 ? byName[0]![1] : undefined;
}
