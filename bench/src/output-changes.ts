// How the output of one build differs from another's: JS files whose bytes changed under the same
// name or that got a new name, and which chunk each file is, told apart by the sources of its map, so
// that chunks can be matched between a build with a plugin and one without (their names differ).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { detectChunkId } from '@hogmaps/core';
import { walk } from './inspect-output';

/** Against an earlier output: JS files with its name but other bytes, and names it did not have. */
export interface OutputChanges {
  changedInPlace: string[];
  renamed: string[];
}

/** Every JS file of an output by its path relative to `outDir` (forward slashes) and a hash of its bytes. */
export async function fingerprintOutput(outDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const file of await jsFiles(outDir)) {
    files.set(
      file,
      createHash('sha256')
        .update(await readFile(path.join(outDir, file)))
        .digest('hex'),
    );
  }
  return files;
}

/** `b` against `a`, both from fingerprintOutput. */
export function compareOutputs(
  a: ReadonlyMap<string, string>,
  b: ReadonlyMap<string, string>,
): OutputChanges {
  const names = [...b.keys()];
  return {
    changedInPlace: names.filter((name) => a.has(name) && a.get(name) !== b.get(name)),
    renamed: names.filter((name) => !a.has(name)),
  };
}

/** The size of the maps (`<file>.map`) of `files`, relative to `outDir`; a file without one adds 0. */
export async function mapBytesOf(outDir: string, files: readonly string[]): Promise<number> {
  let total = 0;
  for (const file of files) {
    total += await stat(path.join(outDir, `${file}.map`)).then(
      (info) => info.size,
      () => 0,
    );
  }
  return total;
}

async function jsFiles(outDir: string): Promise<string[]> {
  return (await walk(outDir))
    .filter((file) => file.endsWith('.js'))
    .map((file) => path.relative(outDir, file).split(path.sep).join('/'));
}

/**
 * Each JS file of an output by what tells its chunk apart in any build of the same app, with or
 * without a plugin: the sorted sources of its map (`<file>.map`). A file without a map is left out.
 */
export async function chunkKeys(outDir: string): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const file of await jsFiles(outDir)) {
    const map = await readFile(path.join(outDir, `${file}.map`), 'utf8').catch(() => undefined);
    if (map === undefined) continue;
    const sources = (JSON.parse(map) as { sources?: unknown }).sources;
    if (Array.isArray(sources)) keys.set(file, sources.map(String).sort().join('\n'));
  }
  return keys;
}

/** The chunks of a build without a plugin: every chunk's key, and those of its changed and renamed files. */
export interface PlainChunks {
  all: Set<string>;
  changed: Set<string>;
}

export async function plainChunks(outDir: string, changes: OutputChanges): Promise<PlainChunks> {
  const keys = await chunkKeys(outDir);
  return {
    all: new Set(keys.values()),
    changed: new Set([...changes.changedInPlace, ...changes.renamed].flatMap((file) => keys.get(file) ?? [])),
  };
}

/**
 * Of a plugin build's JS files whose `//# chunkId=` is among `chunkIds` (the sets it uploaded), how
 * many are chunks the build without a plugin left unchanged (`beyond`: what the plugin itself
 * changed), and how many match no chunk of that build at all (`unmatched`, counted in `beyond` too).
 */
export async function beyondPlain(
  outDir: string,
  chunkIds: ReadonlySet<string>,
  plain: PlainChunks,
): Promise<{ beyond: number; unmatched: number }> {
  const keys = await chunkKeys(outDir);
  let beyond = 0;
  let unmatched = 0;
  for (const file of await jsFiles(outDir)) {
    const id = detectChunkId(await readFile(path.join(outDir, file), 'utf8'));
    if (id === undefined || !chunkIds.has(id)) continue;
    const key = keys.get(file);
    if (key === undefined || !plain.all.has(key)) unmatched++;
    if (key === undefined || !plain.changed.has(key)) beyond++;
  }
  return { beyond, unmatched };
}
