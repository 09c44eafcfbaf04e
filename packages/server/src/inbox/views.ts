import { isRecord } from '../events/capture-body';
import type { StoredException } from '../events/store';
import type { ReleaseRow } from '../releases/store';
import type { SymbolicatedFrame } from '../symbolication/resolve-frame';
import { exceptionType, type GroupingFrame, isMapped } from './fingerprint';

/** A release as the inbox names it: `project@version`. */
export interface ReleaseRef {
  id: string;
  label: string;
}

/** Why a frame could not be resolved, by kind (the detail says more). */
export type UnresolvedKind =
  | 'no_chunk_id'
  | 'no_symbol_set'
  | 'no_mapping'
  | 'no_position'
  | 'not_javascript'
  | 'symbol_set_error';

/** A frame for the issue page: as shipped, and as resolved when it is. */
export interface FrameView {
  shipped: {
    function: string | null;
    filename: string | null;
    line: number | null;
    column: number | null;
    chunk_id: string | null;
  };
  resolved: {
    function: string | null;
    source: string;
    line: number;
    column: number;
    in_app: boolean;
    context: { pre: string[]; line: string; post: string[] } | null;
  } | null;
  unresolved: { kind: UnresolvedKind; detail: string } | null;
}

const JS_PLATFORMS = new Set(['web:javascript', 'javascript', 'node:javascript']);

export function releaseRef(row: ReleaseRow | undefined): ReleaseRef | null {
  return row ? { id: row.id, label: `${row.project}@${row.version}` } : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** One exception of `$exception_list`: type, message and raw frames (crash site last). */
export interface RawException {
  type: string;
  value: string;
  frames: unknown[];
}

/** A message as text: strings as sent, other values as JSON (never `[object Object]`). */
function messageText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  try {
    return typeof value === 'object' ? (JSON.stringify(value) ?? '') : String(value);
  } catch {
    return String(value);
  }
}

function rawException(item: Record<string, unknown>, legacy: Record<string, unknown> = {}): RawException {
  const stacktrace = isRecord(item.stacktrace) ? item.stacktrace : {};
  return {
    type: exceptionType(item.type ?? legacy.$exception_type),
    value: messageText(item.value ?? legacy.$exception_message),
    frames: Array.isArray(stacktrace.frames) ? stacktrace.frames : [],
  };
}

/** Every exception of an event's `$exception_list` (entries that are not objects are skipped). */
export function exceptionsOf(properties: Record<string, unknown>): RawException[] {
  const list = Array.isArray(properties.$exception_list) ? properties.$exception_list : [];
  return list.filter(isRecord).map((item) => rawException(item));
}

/**
 * The exception an event is named and grouped after: the first of `$exception_list`, else the
 * legacy `$exception_type` and `$exception_message`.
 */
export function exceptionTitle(properties: Record<string, unknown>): RawException {
  const list = Array.isArray(properties.$exception_list) ? properties.$exception_list : [];
  return rawException(isRecord(list[0]) ? list[0] : {}, properties);
}

/** The event's `$release_id` (posthog-js and posthog-node send it with exceptions), if any. */
export function releaseIdOf(properties: Record<string, unknown>): string | null {
  return str(properties.$release_id);
}

/** Where the exception happened, in a few words: `Chrome 140 on Linux`, `Node (posthog-node 5.7)`. */
export function runtimeOf(properties: Record<string, unknown>): string | null {
  const lib = str(properties.$lib);
  if (lib === 'posthog-node' || str(properties.$node_version)) {
    const version = str(properties.$node_version);
    const sdk = lib ? ` (${lib} ${str(properties.$lib_version) ?? ''})`.replace(' )', ')') : '';
    return `Node${version ? ` ${version}` : ''}${sdk}`;
  }
  const browser = str(properties.$browser);
  if (browser) {
    const version = num(properties.$browser_version) ?? str(properties.$browser_version);
    const os = str(properties.$os);
    return `${browser}${version !== null ? ` ${version}` : ''}${os ? ` on ${os}` : ''}`;
  }
  return lib;
}

/** The deployment environment when the app reports one (`$environment` or `environment`). */
export function environmentOf(properties: Record<string, unknown>): string | null {
  return str(properties.$environment) ?? str(properties.environment);
}

export function urlOf(properties: Record<string, unknown>): string | null {
  return str(properties.$current_url);
}

/** Whether the app caught it (`mechanism.handled`), when the SDK says. */
export function handledOf(exception: StoredException): boolean | null {
  const list = exception.properties.$exception_list;
  const first = Array.isArray(list) ? (list[0] as Record<string, unknown> | undefined) : undefined;
  const mechanism = first?.mechanism as Record<string, unknown> | undefined;
  return typeof mechanism?.handled === 'boolean' ? mechanism.handled : null;
}

function chunkIdOf(frame: SymbolicatedFrame): string | null {
  return str(frame.chunk_id) ?? str(frame.chunkId);
}

function unresolvedKind(
  frame: SymbolicatedFrame,
  hasSymbolSet: (chunkId: string) => boolean,
): UnresolvedKind {
  if (!JS_PLATFORMS.has(frame.platform as string)) return 'not_javascript';
  if (num(frame.lineno) === null || num(frame.colno) === null) return 'no_position';
  const chunkId = chunkIdOf(frame);
  if (chunkId === null) return 'no_chunk_id';
  if (!hasSymbolSet(chunkId)) return 'no_symbol_set';
  // The symbolicator's wording (cymbal's) for a position the map has no segment for.
  return /^token not found\b/i.test(frame.resolve_failure ?? '') ? 'no_mapping' : 'symbol_set_error';
}

/**
 * One frame as the issue page shows it, with 1-based lines and columns as editors count (the
 * symbolicator gives PostHog's 0-based original positions).
 */
export function frameView(frame: SymbolicatedFrame, hasSymbolSet: (chunkId: string) => boolean): FrameView {
  const shipped = {
    function: str(frame.function),
    filename: str(frame.filename),
    line: num(frame.lineno),
    column: num(frame.colno),
    chunk_id: chunkIdOf(frame),
  };
  if (isMapped(frame)) {
    const { context } = frame;
    return {
      shipped,
      resolved: {
        function: frame.resolved_name,
        source: frame.source,
        line: frame.line + 1,
        column: frame.column + 1,
        in_app: frame.in_app,
        context: context
          ? {
              pre: context.before.map((l) => l.line),
              line: context.line.line,
              post: context.after.map((l) => l.line),
            }
          : null,
      },
      unresolved: null,
    };
  }
  const kind = unresolvedKind(frame, hasSymbolSet);
  // Frames taken as sent (no chunk id, judged not minified) carry no failure of their own.
  const detail =
    frame.resolve_failure ?? (kind === 'no_chunk_id' ? 'The frame has no chunk id: shown as sent.' : '');
  return { shipped, resolved: null, unresolved: { kind, detail } };
}

export function parseGroupingFrame(text: string | null): GroupingFrame | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as GroupingFrame;
  } catch {
    return null;
  }
}
