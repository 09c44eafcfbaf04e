// Moves the generated columns after an inline insertion in a map that is already encoded (the
// `mappings` string, a map's JSON text, an inline `data:` URL), without decoding the rest of the map.
import { errorMessage, FileError } from '../errors';
import { readVlq, writeVlq } from './vlq';

/** Generated columns at or after `column` on generated line `line` (both 0-based) move by `delta`. */
export interface ColumnShift {
  line: number;
  column: number;
  delta: number;
}

const COMMA = 44;
const SEMICOLON = 59;

/**
 * Applies `shift` to an encoded `mappings` string by rewriting one VLQ value. Within a line each
 * segment's column is relative to the previous one, so moving every column from the first segment at
 * or after `shift.column` changes that segment's field only. This relies on the segments of the line
 * being in column order, as rollup, rolldown and magic-string write them. The cost is the segments
 * before the insertion point (a handful: the insertion follows at most a prologue), not the map size.
 * Throws on malformed VLQ.
 */
export function shiftMappings(mappings: string, shift: ColumnShift): string {
  let pos = 0;
  for (let line = 0; line < shift.line; line++) {
    pos = mappings.indexOf(';', pos);
    if (pos < 0) return mappings;
    pos++;
  }
  let column = 0;
  while (pos < mappings.length && mappings.charCodeAt(pos) !== SEMICOLON) {
    const [relative, next] = readVlq(mappings, pos);
    column += relative;
    if (column >= shift.column) {
      return mappings.slice(0, pos) + writeVlq(relative + shift.delta) + mappings.slice(next);
    }
    pos = next;
    while (pos < mappings.length) {
      const code = mappings.charCodeAt(pos);
      if (code === SEMICOLON) break;
      pos++;
      if (code === COMMA) break;
    }
  }
  return mappings;
}

const MAPPINGS_KEY = '"mappings"';

/** Where the `mappings` string value starts and ends in a map's JSON text, when that is unambiguous. */
function findMappingsValue(json: string): { start: number; end: number } | undefined {
  let found: { start: number; end: number } | undefined;
  // A quote cannot occur unescaped inside a JSON string, so `"mappings"` followed by `:` is a key.
  for (let at = json.indexOf(MAPPINGS_KEY); at >= 0; at = json.indexOf(MAPPINGS_KEY, at + 1)) {
    let pos = at + MAPPINGS_KEY.length;
    while (/\s/.test(json[pos] ?? '')) pos++;
    if (json[pos] !== ':') continue;
    pos++;
    while (/\s/.test(json[pos] ?? '')) pos++;
    // A second key (an index map's sections, an extension object) is left to the JSON parser.
    if (found || json[pos] !== '"') return undefined;
    const end = json.indexOf('"', pos + 1);
    if (end < 0) return undefined;
    found = { start: pos + 1, end };
  }
  return found;
}

/**
 * Applies `shift` to a source map's JSON text. The `mappings` value is edited in the text, so every
 * other byte stays as the bundler wrote it; only a text where that key is not unambiguous is parsed
 * and serialized again. Throws a FileError (`invalid_source_map`) naming `file` for a map that is not
 * a regular JSON source map.
 */
export function shiftSourceMapText(json: string, shift: ColumnShift, file: string): string {
  try {
    const value = findMappingsValue(json);
    if (value) {
      const mappings = json.slice(value.start, value.end);
      const shifted = shiftMappings(mappings, shift);
      return shifted === mappings ? json : json.slice(0, value.start) + shifted + json.slice(value.end);
    }
    const map: unknown = JSON.parse(json);
    if (typeof map !== 'object' || map === null || !('mappings' in map) || typeof map.mappings !== 'string') {
      throw new Error('no "mappings" string (index maps with sections are not supported here)');
    }
    map.mappings = shiftMappings(map.mappings, shift);
    return JSON.stringify(map);
  } catch (error) {
    throw new FileError(
      'invalid_source_map',
      file,
      `cannot move the source map's columns (${errorMessage(error)})`,
    );
  }
}

const BASE64_JSON_URL = /^(data:application\/json[^,]*;base64,)([A-Za-z0-9+/=]*)(\s*)$/;

/**
 * Applies `shift` to the map inside a `data:application/json;…;base64,` URL (an inline map), or
 * returns undefined for any other URL. Throws like `shiftSourceMapText`.
 */
export function shiftInlineSourceMapUrl(url: string, shift: ColumnShift, file: string): string | undefined {
  const match = BASE64_JSON_URL.exec(url);
  if (!match) return undefined;
  const json = Buffer.from(match[2]!, 'base64').toString('utf8');
  return (
    match[1]! + Buffer.from(shiftSourceMapText(json, shift, file), 'utf8').toString('base64') + match[3]!
  );
}
