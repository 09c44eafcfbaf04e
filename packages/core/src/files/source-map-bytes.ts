import { isUtf8 } from 'node:buffer';
import { FileError } from '../errors';
import { type JsonMember, type JsonObjectScan, memberOf, scanJsonObjectOnce } from './json-scan';

/**
 * Checks a source map file's bytes without parsing it into objects (memory stays at the size of the
 * bytes, however large the map): UTF-8, one JSON object, with a `mappings` string or a `sections`
 * list. Throws a FileError (`invalid_source_map`) naming `file`.
 */
export function checkSourceMapBytes(bytes: Uint8Array, file: string): JsonObjectScan {
  if (!isUtf8(bytes)) throw new FileError('invalid_source_map', file, 'is not valid UTF-8');
  let scan: JsonObjectScan;
  try {
    scan = scanJsonObjectOnce(bytes);
  } catch (error) {
    throw new FileError('invalid_source_map', file, `is not valid JSON (${(error as Error).message})`);
  }
  if (memberOf(scan, 'mappings')?.kind !== 'string' && memberOf(scan, 'sections')?.kind !== 'array') {
    throw new FileError('invalid_source_map', file, 'is not a source map (no `mappings` or `sections`)');
  }
  return scan;
}

/** Absent, null, `""` or `[]` (whitespace aside), as PostHog's CLI judges a blank field. */
function isBlank(bytes: Uint8Array, member: JsonMember | undefined): boolean {
  if (member === undefined) return true;
  if (member.kind === 'literal') return bytes[member.start] === 0x6e; // null
  if (member.kind === 'string') return member.end - member.start === 2;
  if (member.kind !== 'array') return false;
  for (let at = member.start + 1; at < member.end - 1; at++) {
    const c = bytes[at];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

/**
 * `isEmptySourceMap` for a plain (not indexed) map from its scan; undefined for an index map, which
 * is small enough to parse.
 */
export function isEmptySourceMapBytes(bytes: Uint8Array, scan: JsonObjectScan): boolean | undefined {
  if (!['mappings', 'sources', 'names'].every((key) => isBlank(bytes, memberOf(scan, key)))) return false;
  const sections = memberOf(scan, 'sections');
  if (sections === undefined || (sections.kind === 'literal' && bytes[sections.start] === 0x6e)) return true;
  if (sections.kind !== 'array') return false;
  return isBlank(bytes, sections) ? true : undefined;
}
