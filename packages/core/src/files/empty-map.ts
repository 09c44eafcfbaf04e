import { memberOf, scanJsonObjectOnce } from './json-scan';

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
 * `mapsNothing` for a map as the upload loaded it. Bytes are judged from their scan, which checking
 * the pair already made (`scanJsonObjectOnce`), so a plain map costs a look at its `mappings`; an
 * index map and text are parsed. A map that is not JSON is not judged here (false): packing reports it.
 */
export function loadedMapMapsNothing(map: string | Uint8Array): boolean {
  try {
    if (typeof map === 'string') return mapsNothing(JSON.parse(map));
    const scan = scanJsonObjectOnce(map);
    if (memberOf(scan, 'sections')?.kind === 'array') {
      return mapsNothing(
        JSON.parse(Buffer.from(map.buffer, map.byteOffset, map.byteLength).toString('utf8')),
      );
    }
    const mappings = memberOf(scan, 'mappings');
    if (mappings?.kind !== 'string') return false;
    for (let at = mappings.start + 1; at < mappings.end - 1; at++) if (isVlqDigit(map[at]!)) return false;
    return true;
  } catch {
    return false;
  }
}
