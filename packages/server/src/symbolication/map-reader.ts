import { FlattenMap, TraceMap } from '@jridgewell/trace-mapping';

/** The map is not usable; the message becomes the frame's `resolve_failure`. */
export class MapReadError extends Error {
  override name = 'MapReadError';
}

/** A parsed source map whose `sourcesContent` stays in the buffer until a frame needs one. */
export interface MapDocument {
  trace: TraceMap;
  /** The embedded source of `sources[index]`, decoded on demand; null when absent. */
  sourceContent(index: number): string | null;
}

class NotAnObject extends Error {}

interface Span {
  start: number;
  end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(buf: Buffer, i: number): number {
  while (isSpace(buf[i])) i++;
  return i;
}

/** Index just past the string starting at `i` (a quote); native search, then escape parity. */
function skipString(buf: Buffer, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = buf.indexOf(QUOTE, from);
    if (quote < 0) throw new MapReadError('unterminated string');
    let escapes = 0;
    for (let k = quote - 1; k > i && buf[k] === BACKSLASH; k--) escapes++;
    if (escapes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Index just past the JSON value at `i`, without building it (nesting is only counted). */
function skipValue(buf: Buffer, i: number): number {
  const first = buf[i];
  if (first === QUOTE) return skipString(buf, i);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    for (let j = i; ; ) {
      const c = buf[j];
      if (c === undefined) throw new MapReadError('unexpected end of JSON');
      if (c === QUOTE) {
        j = skipString(buf, j);
        continue;
      }
      if (c === 0x7b || c === 0x5b) depth++;
      else if ((c === 0x7d || c === 0x5d) && --depth === 0) return j + 1;
      j++;
    }
  }
  let j = i;
  while (j < buf.length && !isSpace(buf[j]) && buf[j] !== 0x2c && buf[j] !== 0x7d && buf[j] !== 0x5d) j++;
  if (j === i) throw new MapReadError('expected a value');
  return j;
}

/** The spans of the top-level object's values, by key. */
function topLevel(buf: Buffer): Map<string, Span> {
  const fields = new Map<string, Span>();
  let i = skipSpace(buf, buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0);
  if (buf[i] !== 0x7b) throw new NotAnObject();
  i = skipSpace(buf, i + 1);
  if (buf[i] === 0x7d) return fields;
  for (;;) {
    if (buf[i] !== QUOTE) throw new MapReadError('expected a key');
    const keyEnd = skipString(buf, i);
    const key = JSON.parse(buf.toString('utf8', i, keyEnd)) as string;
    i = skipSpace(buf, keyEnd);
    if (buf[i] !== 0x3a) throw new MapReadError('expected ":"');
    const start = skipSpace(buf, i + 1);
    const end = skipValue(buf, start);
    fields.set(key, { start, end });
    i = skipSpace(buf, end);
    if (buf[i] === 0x7d) return fields;
    if (buf[i] !== 0x2c) throw new MapReadError('expected "," or "}"');
    i = skipSpace(buf, i + 1);
  }
}

/** The spans of an array's items. */
function arrayItems(buf: Buffer, span: Span): Span[] {
  const items: Span[] = [];
  let i = skipSpace(buf, span.start);
  if (buf[i] !== 0x5b) return items;
  i = skipSpace(buf, i + 1);
  while (i < span.end && buf[i] !== 0x5d) {
    const end = skipValue(buf, i);
    items.push({ start: i, end });
    i = skipSpace(buf, end);
    if (buf[i] === 0x2c) i = skipSpace(buf, i + 1);
  }
  return items;
}

function parseSpan(buf: Buffer, span: Span | undefined): unknown {
  return span === undefined ? undefined : JSON.parse(buf.toString('utf8', span.start, span.end));
}

/**
 * Reads a source map from its bytes. Everything but `sourcesContent` is parsed; each embedded source
 * is decoded only when a frame needs its lines, so a map of mostly sources costs about its own size
 * once, not again as strings and objects. Index maps (`sections`) are parsed whole and flattened.
 */
export function readSourceMap(buf: Buffer): MapDocument {
  let fields: Map<string, Span>;
  try {
    fields = topLevel(buf);
  } catch (error) {
    if (error instanceof NotAnObject) throw new MapReadError('holds no source map (not a JSON object)');
    throw new MapReadError(`holds a source map that is not JSON (${(error as Error).message})`);
  }
  if (fields.has('sections')) {
    const json = JSON.parse(buf.toString('utf8')) as Parameters<typeof FlattenMap>[0];
    const trace = FlattenMap(json);
    return { trace, sourceContent: (index) => trace.sourcesContent?.[index] ?? null };
  }
  if (!fields.has('mappings')) throw new MapReadError('holds no source map (no "mappings")');
  let trace: TraceMap;
  try {
    const map: Record<string, unknown> = { version: 3, sources: [], names: [] };
    for (const key of ['version', 'file', 'sourceRoot', 'sources', 'names', 'mappings', 'ignoreList']) {
      const value = parseSpan(buf, fields.get(key));
      if (value !== undefined) map[key] = value;
    }
    trace = new TraceMap(map as unknown as ConstructorParameters<typeof TraceMap>[0]);
  } catch (error) {
    throw new MapReadError(`holds an invalid source map: ${(error as Error).message}`);
  }
  const contents = fields.get('sourcesContent');
  const spans = contents ? arrayItems(buf, contents) : [];
  return {
    trace,
    sourceContent(index) {
      const span = spans[index];
      if (!span) return null;
      try {
        const value = parseSpan(buf, span);
        return typeof value === 'string' ? value : null;
      } catch {
        return null;
      }
    },
  };
}
