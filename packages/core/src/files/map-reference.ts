import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findSourceMappingUrl, stripSourceMappingUrl } from './source-mapping-url';

const CSS_REFERENCE = /\/\*[#@]\s*sourceMappingURL=([^\s*]+)\s*\*\/\s*$/;

function referenceOf(code: string): string | undefined {
  return findSourceMappingUrl(code) ?? CSS_REFERENCE.exec(code)?.[1];
}

function resolvesTo(reference: string, from: string, mapPath: string): boolean {
  if (/^[a-z][a-z0-9+.-]+:/i.test(reference)) return false;
  let decoded = reference.replace(/[?#].*$/s, '');
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // Not percent-encoded after all: compare as written.
  }
  return path.resolve(path.dirname(from), decoded) === path.resolve(mapPath);
}

/**
 * Once `mapPath` is deleted, the file it belongs to (`x.js` for `x.js.map`, also CSS) must not point at
 * it: a dangling `sourceMappingURL` makes browsers request a 404. Hidden maps have no reference, so this
 * only rewrites a file some other tool gave one. Returns whether the file was rewritten.
 */
export async function removeReferenceTo(mapPath: string): Promise<boolean> {
  if (!mapPath.endsWith('.map')) return false;
  const file = mapPath.slice(0, -'.map'.length);
  let code: string;
  try {
    code = await readFile(file, 'utf8');
  } catch {
    return false; // No such file (a map of another name): nothing points at the map from there.
  }
  const reference = referenceOf(code);
  if (reference === undefined || !resolvesTo(reference, file, mapPath)) return false;
  await writeFile(file, stripSourceMappingUrl(code));
  return true;
}
