// esbuild with hashed entry names, event mode. esbuild hashes every name over one banner, so a release
// in the banner renames every file on every release (and uploads them all again). Instead the banner
// leaves the release out, and an entry that gets the release snippet is renamed once it has it:
// esbuild's `[hash]` in its name becomes a hash of that hash and the snippet, in esbuild's own form
// (8 characters of base32). The entry's bytes are what esbuild hashed plus the snippet, so its name
// still follows its bytes. Other outputs never name an entry (esbuild puts what entries share in
// chunks), except an entry that is also an import() target: that one cannot be renamed. The map is
// renamed along, with the entry's sourceMappingURL, and the metafile's keys follow.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Metafile, OutputFile } from 'esbuild';
import { createHash } from '../../crypto-on-use';
import { findSourceMappingUrl } from '../../files/source-mapping-url';
import { createSnippet } from '../../inject/snippet';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const PARTS = /(\[(?:name|hash|ext)\])/;

/** A metafile key: the path relative to the working folder, with forward slashes. */
export function metafileKey(workingDir: string, file: string): string {
  return path.relative(workingDir, file).split(path.sep).join('/');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An entry's file name (its last path segment, JS extension included) as `entryNames` renders it. */
export interface EntryNameFormat {
  /** The placeholders' values in a name this format renders; undefined for another name. */
  parse(fileName: string): Partial<Record<'name' | 'hash' | 'ext', string>> | undefined;
  render(values: Partial<Record<'name' | 'hash' | 'ext', string>>): string;
}

/**
 * The format of entries' file names when `entryNames` puts `[hash]` into the file name. Undefined when
 * there is no `[hash]`, or it is in a folder (renaming would move the file to another folder).
 */
export function entryNameFormat(
  entryNames: string | undefined,
  jsExtension = '.js',
): EntryNameFormat | undefined {
  const template = entryNames ?? '[dir]/[name]';
  const slash = template.lastIndexOf('/');
  const folder = template.slice(0, slash + 1);
  const base = template.slice(slash + 1);
  if (!base.includes('[hash]') || folder.includes('[hash]') || base.includes('[dir]')) return undefined;
  const parts = base.split(PARTS);
  const seen = new Set<string>();
  let source = '';
  for (const part of parts) {
    const group = placeholderOf(part);
    if (group === undefined) source += escapeRegExp(part);
    else if (seen.has(group)) source += `\\k<${group}>`;
    else {
      seen.add(group);
      source += `(?<${group}>${group === 'hash' ? '[A-Z2-7]{8}' : '[^/]+?'})`;
    }
  }
  const pattern = new RegExp(`^${source}${escapeRegExp(jsExtension)}$`);
  return {
    parse: (fileName) => pattern.exec(fileName)?.groups,
    render: (values) =>
      parts
        .map((part) => {
          const group = placeholderOf(part);
          return group === undefined ? part : (values[group] ?? '');
        })
        .join('') + jsExtension,
  };
}

function placeholderOf(part: string): 'name' | 'hash' | 'ext' | undefined {
  return /^\[(name|hash|ext)\]$/.exec(part)?.[1] as 'name' | 'hash' | 'ext' | undefined;
}

/** esbuild's hash form: the first 40 bits in base32, 8 characters. */
function base32Of(bytes: Buffer): string {
  let text = '';
  for (let bit = 0; bit < 40; bit += 5) {
    const byte = bit >> 3;
    const window = ((bytes[byte]! << 8) | bytes[byte + 1]!) >> (11 - (bit & 7));
    text += BASE32[window & 31];
  }
  return text;
}

/**
 * The file name of an entry once it carries `releaseId`: esbuild's hash replaced by one of that hash and
 * the snippet's text (so a new snippet format renames it too). Undefined for a name `format` does not
 * render.
 */
export function releaseFileName(
  fileName: string,
  format: EntryNameFormat,
  releaseId: string,
): string | undefined {
  const values = format.parse(fileName);
  if (values?.hash === undefined) return undefined;
  const digest = createHash('sha256')
    .update(`${values.hash}\0${createSnippet('chunk-id', releaseId)}`)
    .digest();
  return format.render({ ...values, hash: base32Of(digest) });
}

/**
 * Where an entry's map goes when the entry becomes `next`, and the entry's new text when its
 * sourceMappingURL names the map. Undefined when the comment names the map some other way: the map
 * keeps its name, so the comment still finds it.
 */
function followMap(
  code: string,
  mapPath: string,
  next: string,
): { mapPath: string; code?: string } | undefined {
  const newMap = `${next}.map`;
  const url = findSourceMappingUrl(code);
  if (url === undefined) return { mapPath: newMap };
  const oldName = path.basename(mapPath);
  const before = url.charAt(url.length - oldName.length - 1);
  if (!url.endsWith(oldName) || (before !== '' && before !== '/')) return undefined;
  const renamed = url.slice(0, url.length - oldName.length) + path.basename(newMap);
  const at = code.lastIndexOf(url);
  return { mapPath: newMap, code: code.slice(0, at) + renamed + code.slice(at + url.length) };
}

export interface Renamed {
  jsPath: string;
  mapPath: string | undefined;
}

/** Renames a written entry (absolute path) to `next`, and its map along; returns the new paths. */
export async function renameWritten(
  jsPath: string,
  mapPath: string | undefined,
  next: string,
): Promise<Renamed> {
  const followed =
    mapPath === undefined ? undefined : followMap(await readFile(jsPath, 'utf8'), mapPath, next);
  if (followed?.code !== undefined) await writeFile(jsPath, followed.code);
  if (followed && mapPath !== undefined) await rename(mapPath, followed.mapPath);
  await rename(jsPath, next);
  return { jsPath: next, mapPath: followed?.mapPath ?? mapPath };
}

/** renameWritten for a `write: false` build: the output files' paths (and the entry's text) change. */
export function renameInMemory(file: OutputFile, map: OutputFile | undefined, next: string): Renamed {
  const followed = map === undefined ? undefined : followMap(file.text, map.path, next);
  if (followed?.code !== undefined) file.contents = new TextEncoder().encode(followed.code);
  if (followed && map) map.path = followed.mapPath;
  file.path = next;
  return { jsPath: next, mapPath: map?.path };
}

/**
 * The new path of an entry output (absolute) once it carries `releaseId`; undefined for an output
 * that is not an entry. An entry another output loads with import() keeps its name (renaming it would
 * break that import), with a warning: its name no longer follows its bytes.
 */
export function entryReleaseNames(
  metafile: Metafile,
  workingDir: string,
  format: EntryNameFormat,
  warn: (message: string) => void,
): (file: string, releaseId: string) => string | undefined {
  const entries = new Set<string>();
  const imported = new Set<string>();
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (output.entryPoint !== undefined) entries.add(path.resolve(workingDir, file));
    for (const { path: target } of output.imports) imported.add(path.resolve(workingDir, target));
  }
  return (file, releaseId) => {
    if (!entries.has(file)) return undefined;
    const name = metafileKey(workingDir, file);
    const next = imported.has(file) ? undefined : releaseFileName(path.basename(file), format, releaseId);
    if (next === undefined) {
      warn(
        `${name} carries the release id but keeps its name (${imported.has(file) ? 'another chunk loads it with import()' : 'its name does not match entryNames'}): ` +
          "its [hash] does not follow the release. releaseInjection: 'every-chunk' puts the release into every name.",
      );
      return undefined;
    }
    return path.join(path.dirname(file), next);
  };
}

/** The metafile's output keys (relative to `workingDir`) after `renames` (absolute old → new paths). */
export function renameInMetafile(
  metafile: Metafile,
  renames: ReadonlyMap<string, string>,
  workingDir: string,
): void {
  if (renames.size === 0) return;
  const byKey = new Map(
    [...renames].map(([from, to]) => [metafileKey(workingDir, from), metafileKey(workingDir, to)]),
  );
  const outputs: Metafile['outputs'] = {};
  for (const [name, output] of Object.entries(metafile.outputs)) outputs[byKey.get(name) ?? name] = output;
  metafile.outputs = outputs;
}
