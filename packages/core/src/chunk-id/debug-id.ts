// ECMA-426 debug ids, adopted as chunk ids in event mode as posthog-cli ≥ 0.14 does (`adopted_debug_id`
// in cli/src/sourcemaps/inject.rs): a build that already carries debug ids (rollup/rolldown
// `sourcemapDebugIds`, a `//# debugId=` another tool appended) gets the same ids from both tools.

import { type JsonMember, memberOf, scanJsonObject } from '../files/json-scan';

const DEBUG_ID_COMMENT = '//# debugId=';
const HEX = '[0-9a-fA-F]';
/**
 * Hyphenated and simple (32 hex digits), two of the four forms Rust's `uuid::Uuid::parse_str` reads.
 * The braced and URN forms posthog-cli would also take are refused: `{`, `}` and `:` are not allowed
 * in a chunk id (it names files and URLs), so such a chunk gets an id derived from its code.
 */
const UUID_FORMS = new RegExp(`^(?:${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}|${HEX}{32})$`);

/** True for a debug id hogmaps adopts as a chunk id: a UUID, hyphenated or as 32 hex digits. */
export function isAdoptableDebugId(value: unknown): value is string {
  return typeof value === 'string' && UUID_FORMS.test(value);
}

/**
 * The value of the last line (scanning bottom-up, not trimmed; CR of CRLF dropped) that starts with
 * `//# debugId=`: the text after the line's first `=`, as posthog-cli's `get_comment_value` reads it.
 */
export function readDebugIdComment(code: string): string | undefined {
  // Without the marker anywhere, no line starts with it: one native search instead of a JS step per
  // line (and a backward search over each long line).
  if (!code.includes(DEBUG_ID_COMMENT)) return undefined;
  let end = code.length;
  for (;;) {
    const newline = end === 0 ? -1 : code.lastIndexOf('\n', end - 1);
    const start = newline + 1;
    if (code.startsWith(DEBUG_ID_COMMENT, start)) {
      const stop = end > start && code[end - 1] === '\r' ? end - 1 : end;
      return code.slice(start + DEBUG_ID_COMMENT.length, stop);
    }
    if (newline < 0) return undefined;
    end = newline;
  }
}

/**
 * The `debugId` field of a map given as bytes, found by scanning (a map of hundreds of MiB is never
 * parsed whole); undefined when the bytes are not a JSON object or have no such field.
 */
export function readMapBytesDebugId(bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined) return undefined;
  let member: JsonMember | undefined;
  try {
    member = memberOf(scanJsonObject(bytes), 'debugId');
  } catch {
    return undefined;
  }
  if (member === undefined) return undefined;
  // Any value that is not a short string is refused anyway: describe it rather than parse it.
  if (member.kind !== 'string' || member.end - member.start > 256) return `<a JSON ${member.kind}>`;
  return JSON.parse(Buffer.from(bytes.subarray(member.start, member.end)).toString('utf8'));
}

/** The `debugId` field of a map's JSON text; parsed only when the text names the key. */
export function readMapDebugId(mapText: string | undefined): unknown {
  if (mapText === undefined || !mapText.includes('"debugId"')) return undefined;
  try {
    const map: unknown = JSON.parse(mapText);
    return typeof map === 'object' && map !== null ? (map as { debugId?: unknown }).debugId : undefined;
  } catch {
    return undefined;
  }
}

export interface DebugIdLookup {
  /** The id to adopt as the chunk id; undefined when there is none, or it is not a UUID. */
  adopted: string | undefined;
  /** A debug id that was found but refused (not a UUID): the caller warns and derives its own id. */
  refused: string | undefined;
}

/**
 * The debug id a chunk already carries, by posthog-cli's rules: the JS file's `//# debugId=` comment
 * is authoritative, the map's `debugId` only a fallback (a map can be shared by several chunks). The
 * value is untrusted: it is adopted only when it is a UUID, and then exactly as written, as
 * posthog-cli does. `mapText` is called only when the code has no comment.
 */
export function findDebugId(code: string, mapText?: () => string | undefined): DebugIdLookup {
  return judge(readDebugIdComment(code) ?? readMapDebugId(mapText?.()));
}

/** `findDebugId` for a map read as bytes (the folder pipeline): its field is scanned for, not parsed. */
export function findDebugIdInMapBytes(code: string, mapBytes: () => Uint8Array | undefined): DebugIdLookup {
  return judge(readDebugIdComment(code) ?? readMapBytesDebugId(mapBytes()));
}

function judge(found: unknown): DebugIdLookup {
  if (found === undefined) return { adopted: undefined, refused: undefined };
  if (isAdoptableDebugId(found)) return { adopted: found, refused: undefined };
  // Refused values reach a log line: keep them short and printable.
  const shown = typeof found === 'string' ? found : (JSON.stringify(found) ?? String(found));
  return { adopted: undefined, refused: JSON.stringify(shown.slice(0, 80)) };
}
