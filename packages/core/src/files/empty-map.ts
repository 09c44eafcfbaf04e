import { readFile } from 'node:fs/promises';

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
/** The `mappings` of a plain map. Inside a JSON string every quote is escaped, so only the key matches. */
const MAPPINGS_FIELD = /"mappings"\s*:\s*"([^"\\]*)"/;

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
 * `mapsNothing` for a map file, reading a plain map's `mappings` without parsing the whole file.
 * A map that cannot be read or parsed is not judged here (false): the upload reports it.
 */
export async function mapFileMapsNothing(mapPath: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(mapPath, 'utf8');
  } catch {
    return false;
  }
  const plain = !text.includes('"sections"') && MAPPINGS_FIELD.exec(text);
  if (plain) return !VLQ_DIGIT.test(plain[1] ?? '');
  try {
    return mapsNothing(JSON.parse(text));
  } catch {
    return false;
  }
}
