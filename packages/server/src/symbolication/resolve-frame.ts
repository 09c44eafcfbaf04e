import type { SourceLocation } from './source-map-cache';
import type { ParsedSymbolSet, SymbolSetResult } from './symbol-set-cache';

/** A frame as an SDK sends it (`$exception_list[i].stacktrace.frames[j]`): kept as-is. */
export type RawFrame = Record<string, unknown>;

/** One line of original source around a frame, numbered from 0 as cymbal numbers it. */
export interface ContextLine {
  number: number;
  line: string;
}

/** Cymbal's frame context: the line, up to six lines before it and five after. */
export interface FrameContext {
  before: ContextLine[];
  line: ContextLine;
  after: ContextLine[];
}

/**
 * A frame as PostHog's cymbal resolves it, on top of the raw frame's own fields. `line` and `column`
 * are what PostHog stores: 0-based original positions for a resolved JavaScript frame, the raw
 * (1-based, minified) ones otherwise.
 */
export interface SymbolicatedFrame extends RawFrame {
  /** False only when the frame looks minified and could not be resolved. */
  resolved: boolean;
  resolve_failure: string | null;
  /** The raw `function`. */
  mangled_name: string;
  /** The enclosing function's original name (`<anonymous>` when unnamed), null when unknown. */
  resolved_name: string | null;
  source: string | null;
  line: number | null;
  column: number | null;
  in_app: boolean;
  lang: 'javascript';
  context?: FrameContext;
}

const WEB_PLATFORMS = new Set(['web:javascript', 'javascript']);
const NODE_PLATFORM = 'node:javascript';
const CONTEXT_LINES = 5;
const MAX_CONTEXT_CHARS = 300;

/** The chunk id of a JavaScript frame (`chunk_id`, alias `chunkId`), if it has one. */
export function frameChunkId(frame: RawFrame): string | undefined {
  if (!isJavaScript(frame)) return undefined;
  const id = frame.chunk_id ?? frame.chunkId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export function isJavaScript(frame: RawFrame): boolean {
  return WEB_PLATFORMS.has(frame.platform as string) || frame.platform === NODE_PLATFORM;
}

/** `lineno` and `colno` when both are u32s, as cymbal's serde reads a frame's location. */
function locationOf(frame: RawFrame): { line: number; column: number } | undefined {
  const { lineno, colno } = frame;
  return isU32(lineno) && isU32(colno) ? { line: lineno, column: colno } : undefined;
}

/** The frame's `filename` as an http(s) URL without a trailing `:line:col` (cymbal's `source_url`). */
function sourceUrl(frame: RawFrame): URL | undefined {
  let text = typeof frame.filename === 'string' ? frame.filename : '';
  if (!/^https?:\/\//.test(text)) return undefined;
  for (let i = 0; i < 2; i++) {
    const colon = text.lastIndexOf(':');
    if (colon > text.lastIndexOf('/')) text = text.slice(0, colon);
  }
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function base(frame: RawFrame, fields: Partial<SymbolicatedFrame>): SymbolicatedFrame {
  const mangled = typeof frame.function === 'string' ? frame.function : '';
  return {
    ...frame,
    mangled_name: mangled,
    resolved_name: null,
    source: null,
    line: null,
    column: null,
    in_app: frame.in_app === true,
    lang: 'javascript',
    resolved: true,
    resolve_failure: null,
    ...fields,
  };
}

/** Cymbal's context: lines numbered from 0; each at most 300 characters (then `...✂️`). */
function contextAround(lines: string[] | null, line: number): FrameContext | undefined {
  const at = (index: number): ContextLine => {
    const text = (lines![index] ?? '').replace(/\r$/, '');
    const chars = [...text];
    const clipped =
      chars.length > MAX_CONTEXT_CHARS ? `${chars.slice(0, MAX_CONTEXT_CHARS).join('')}...✂️` : text;
    return { number: index, line: clipped };
  };
  if (!lines || line >= lines.length || (line === lines.length - 1 && lines[line] === '')) return undefined;
  const start = Math.max(0, line - CONTEXT_LINES - 1);
  const before: ContextLine[] = [];
  for (let i = start; i < line; i++) before.push(at(i));
  const after: ContextLine[] = [];
  for (let i = line + 1; i <= line + CONTEXT_LINES && i < lines.length; i++) {
    if (i === lines.length - 1 && lines[i] === '') break;
    after.push(at(i));
  }
  return { before, line: at(line), after };
}

function resolvedFrame(frame: RawFrame, set: ParsedSymbolSet, location: SourceLocation): SymbolicatedFrame {
  const source =
    location.sourceIndex === undefined ? null : (set.map.resolvedSources[location.sourceIndex] ?? null);
  const context =
    location.sourceIndex === undefined
      ? undefined
      : contextAround(set.sourceLines(location.sourceIndex), location.line);
  const { scope } = location;
  return base(frame, {
    source,
    line: location.line,
    column: location.column,
    resolved_name: scope === 'unknown' ? null : scope === 'anonymous' ? '<anonymous>' : scope.name,
    in_app: source === null ? frame.in_app === true : !source.includes('node_modules'),
    ...(context ? { context } : {}),
  });
}

/** Raw node frames carry their own context lines (`context_line`, `pre_context`, `post_context`). */
function nodeContext(frame: RawFrame): FrameContext | undefined {
  const { lineno, context_line: contextLine } = frame;
  if (!isU32(lineno) || typeof contextLine !== 'string') return undefined;
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
  // posthog-node sends pre_context in reading order: its last line is the one just above the throw.
  const pre = strings(frame.pre_context);
  return {
    before: pre.map((line, i) => ({ number: lineno - pre.length + i, line })),
    line: { number: lineno, line: contextLine },
    after: strings(frame.post_context).map((line, i) => ({ number: lineno + i + 1, line })),
  };
}

/** A failed lookup of a frame with a location, judged as cymbal judges it: was it minified at all? */
function failedFrame(frame: RawFrame, failure: string, minified: boolean): SymbolicatedFrame {
  const location = locationOf(frame)!;
  const node = frame.platform === NODE_PLATFORM;
  const context = node ? nodeContext(frame) : undefined;
  return base(frame, {
    resolved: !minified,
    resolve_failure: failure,
    resolved_name: minified ? null : base(frame, {}).mangled_name,
    line: location.line,
    column: location.column,
    source: node ? null : (sourceUrl(frame)?.pathname ?? null),
    ...(context ? { context } : {}),
  });
}

/** Node frames whose context lines average over 300 characters were minified (cymbal's guess). */
function nodeLooksMinified(frame: RawFrame): boolean {
  const context = nodeContext(frame);
  const lines = context ? [...context.before, ...context.after] : [];
  if (lines.length === 0) return false;
  return lines.reduce((sum, l) => sum + l.line.length, 0) / lines.length > 300;
}

/** What a frame that is no object becomes. */
export function notAFrame(): SymbolicatedFrame {
  return base({}, { resolved: false, resolve_failure: 'frame is not an object' });
}

/** A frame that needs no symbol set, or how it ends without one; undefined when it needs its set. */
export function resolveWithoutSet(frame: RawFrame): SymbolicatedFrame | undefined {
  if (!isJavaScript(frame)) {
    return {
      ...base(frame, {}),
      resolved: false,
      resolve_failure: `platform ${JSON.stringify(frame.platform ?? null)} is not symbolicated by this server`,
    };
  }
  const location = locationOf(frame);
  const chunkId = frameChunkId(frame);
  if (frame.platform === NODE_PLATFORM) {
    // Node frames resolve by chunk id only; without one (or a location) they are taken as they are.
    if (chunkId && location) return undefined;
    const context = nodeContext(frame);
    return base(frame, {
      resolved_name: base(frame, {}).mangled_name,
      source: typeof frame.filename === 'string' ? frame.filename : null,
      line: isU32(frame.lineno) ? frame.lineno : null,
      ...(context ? { context } : {}),
    });
  }
  if (!location) {
    // No location: probably not minified (a native function).
    const url = sourceUrl(frame);
    return base(frame, {
      resolved_name: base(frame, {}).mangled_name,
      source: url?.pathname ?? null,
      in_app: frame.in_app === true && frame.filename !== '<anonymous>',
    });
  }
  if (chunkId) return undefined;
  const url = sourceUrl(frame);
  if (!url) return failedFrame(frame, 'This frame had no source url or chunk id', false);
  // Cymbal would fetch the script; this server never does. Its guess when no map is found: lines
  // longer than 300 characters were minified.
  return failedFrame(
    frame,
    `Could not find sourcemap for source url: ${url.href} (this server resolves by chunk id only and never fetches scripts)`,
    location.column > 300,
  );
}

/**
 * Resolves a frame with its chunk's symbol set as cymbal does: position (lineno - 1, colno) with the
 * column as sent, the closest segment at or before it on that line, the name of the enclosing scope.
 */
export function resolveFrame(frame: RawFrame, result: SymbolSetResult): SymbolicatedFrame {
  const done = resolveWithoutSet(frame);
  if (done) return done;
  const node = frame.platform === NODE_PLATFORM;
  const fail = (failure: string) => failedFrame(frame, failure, node ? nodeLooksMinified(frame) : true);
  if (!result.ok) return fail(result.failure);
  const { line, column } = locationOf(frame)!;
  const location = line >= 1 ? result.set.lookup.lookup(line - 1, column) : undefined;
  if (!location) return fail(`Token not found for frame: ${base(frame, {}).mangled_name}:${line}:${column}`);
  return resolvedFrame(frame, result.set, location);
}

function isU32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}
