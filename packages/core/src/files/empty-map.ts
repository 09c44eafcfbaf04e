import { memberOf, scanJsonObject } from './json-scan';
import { ReusedReader } from './reused-reader';

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

const MAPPINGS_KEY = Buffer.from('"mappings"');
const SECTIONS_KEY = Buffer.from('"sections"');

/** Where the value after a key at `at` starts (past `:` and blanks), or -1 when no `:` follows it. */
function valueAfterKey(bytes: Buffer, at: number, key: Buffer): number {
  let pos = at + key.length;
  while (isSpace(bytes[pos])) pos++;
  if (bytes[pos] !== 0x3a) return -1;
  pos++;
  while (isSpace(bytes[pos])) pos++;
  return pos;
}

function keyPositions(bytes: Buffer, key: Buffer): number[] {
  const found: number[] = [];
  for (let at = bytes.indexOf(key); at >= 0; at = bytes.indexOf(key, at + 1)) {
    const value = valueAfterKey(bytes, at, key);
    if (value >= 0) found.push(value);
  }
  return found;
}

/**
 * A quick answer for the common map, without scanning it: no key `"sections"`, and every key
 * `"mappings"` (the member's among them, unless spelled with escapes) has a string value with a VLQ
 * digit. Inside a string these bytes would need escaped quotes, so source text that looks like them
 * cannot be taken for the member; in doubt, the full scan decides.
 */
function surelyMapsSomething(bytes: Buffer): boolean {
  if (keyPositions(bytes, SECTIONS_KEY).length > 0) return false;
  const values = keyPositions(bytes, MAPPINGS_KEY);
  return (
    values.length > 0 &&
    values.every((start) => {
      if (bytes[start] !== 0x22) return false;
      for (let pos = start + 1; pos < bytes.length && bytes[pos] !== 0x22 && bytes[pos] !== 0x5c; pos++) {
        if (isVlqDigit(bytes[pos]!)) return true;
      }
      return false;
    })
  );
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * `mapsNothing` for a map file. A plain map is judged from its bytes (however large, it is never
 * parsed into objects); an index map is parsed. A map that cannot be read or is not JSON is not
 * judged here (false): the upload reports it.
 */
export async function mapFileMapsNothing(
  mapPath: string,
  reader: ReusedReader = new ReusedReader(),
): Promise<boolean> {
  let bytes: Buffer;
  let scan: ReturnType<typeof scanJsonObject>;
  try {
    bytes = reader.read(mapPath);
    if (surelyMapsSomething(bytes)) return false;
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
