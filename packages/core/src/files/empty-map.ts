import { readFile } from 'node:fs/promises';
import { memberOf, scanJsonObject } from './json-scan';

function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
  return false;
}

/**
 * PostHog's "empty" source map (`is_empty` in the CLI's content.rs): no mappings, no sources and no
 * names, and every section of an index map empty too. Such maps are skipped at upload: bundlers emit
 * them for wrapper chunks with no code of their own. A value that is not an object is not judged here
 * (map validation reports it).
 */
export function isEmptySourceMap(json: unknown): boolean {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return false;
  const map = json as Record<string, unknown>;
  if (!isBlank(map.mappings) || !isBlank(map.sources) || !isBlank(map.names)) return false;
  if (map.sections === undefined || map.sections === null) return true;
  if (!Array.isArray(map.sections)) return false;
  return map.sections.every((section: unknown) => {
    const inner = (section as { map?: unknown } | null)?.map;
    return inner === undefined || inner === null || isEmptySourceMap(inner);
  });
}

/** A VLQ digit: a `mappings` string without one has no segment (only `;` and `,`). */
const VLQ_DIGIT = /[A-Za-z0-9+/]/;

function isVlqDigit(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2b ||
    c === 0x2f
  );
}

/**
 * A source map that maps no position: no segment in `mappings`, nor in any section of an index map.
 * Nothing in it can resolve a frame (Nitro empties the maps of chunks made only of dependencies), so
 * it is not worth uploading. Broader than PostHog's "empty" map, which must also list no sources.
 */
export function mapsNothing(json: unknown): boolean {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return false;
  const map = json as Record<string, unknown>;
  if (Array.isArray(map.sections)) {
    return map.sections.every((section: unknown) => {
      const inner = (section as { map?: unknown } | null)?.map;
      return inner === undefined || inner === null || mapsNothing(inner);
    });
  }
  return typeof map.mappings === 'string' && !VLQ_DIGIT.test(map.mappings);
}

/**
 * `mapsNothing` for a map file. A plain map is judged from its bytes (however large, it is never
 * parsed into objects); an index map is parsed. A map that cannot be read or is not JSON is not
 * judged here (false): the upload reports it.
 */
export async function mapFileMapsNothing(mapPath: string): Promise<boolean> {
  let bytes: Buffer;
  let scan: ReturnType<typeof scanJsonObject>;
  try {
    bytes = await readFile(mapPath);
    scan = scanJsonObject(bytes);
  } catch {
    return false;
  }
  const mappings = memberOf(scan, 'mappings');
  if (memberOf(scan, 'sections')?.kind !== 'array') {
    if (mappings?.kind !== 'string') return false;
    for (let at = mappings.start + 1; at < mappings.end - 1; at++) if (isVlqDigit(bytes[at]!)) return false;
    return true;
  }
  return mapsNothing(JSON.parse(bytes.toString('utf8')));
}
