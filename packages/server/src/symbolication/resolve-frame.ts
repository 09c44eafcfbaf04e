import { GREATEST_LOWER_BOUND, originalPositionFor, sourceContentFor } from '@jridgewell/trace-mapping';
import { findOriginalFunctionName } from './function-name';
import type { ParsedSymbolSet, SymbolSetResult } from './symbol-set-cache';

/** A frame as an SDK sends it (`$exception_list[i].stacktrace.frames[j]`): kept as-is. */
export type RawFrame = Record<string, unknown>;

/** Original source lines around a resolved position. */
export interface FrameContext {
  pre: string[];
  line: string;
  post: string[];
}

export interface ResolvedFrame extends RawFrame {
  resolved: true;
  /** The original file as named in the map's `sources`. */
  source: string;
  /** 1-based line in `source`. */
  line: number;
  /** 1-based column in `source`. */
  column: number;
  resolved_name: string | null;
  in_app: boolean;
  context?: FrameContext;
}

export interface UnresolvedFrame extends RawFrame {
  resolved: false;
  resolve_failure: string;
}

export type SymbolicatedFrame = ResolvedFrame | UnresolvedFrame;

const JS_PLATFORMS = new Set(['web:javascript', 'javascript', 'node:javascript']);
const CONTEXT_LINES = 5;

/** The chunk id of a JavaScript frame (`chunk_id`, alias `chunkId`), if it has one. */
export function frameChunkId(frame: RawFrame): string | undefined {
  if (!JS_PLATFORMS.has(frame.platform as string)) return undefined;
  const id = frame.chunk_id ?? frame.chunkId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Why a frame is not looked up at all, or undefined when it needs its symbol set. */
export function unresolvableReason(frame: RawFrame): string | undefined {
  if (!JS_PLATFORMS.has(frame.platform as string)) {
    return `platform ${JSON.stringify(frame.platform ?? null)} is not symbolicated (only JavaScript frames are)`;
  }
  if (!isPositive(frame.lineno) || !isPositive(frame.colno)) return 'frame has no line and column';
  if (!frameChunkId(frame)) {
    return 'frame has no chunk_id (this server resolves frames by chunk id only, it never fetches scripts)';
  }
  return undefined;
}

export function unresolved(frame: RawFrame, failure: string): UnresolvedFrame {
  return { ...frame, resolved: false, resolve_failure: failure };
}

/**
 * Resolves one frame against its chunk's symbol set. Position: the map is searched at line
 * `lineno - 1` (0-based) and column `colno - 1` (engines report 1-based columns) with
 * greatest-lower-bound bias, i.e. the closest mapping at or before the throw. Cymbal passes
 * `colno` unchanged, looking one character to the right; that usually lands in the same segment,
 * but can step into the next one at a segment boundary, so we use the exact position.
 */
export function resolveFrame(frame: RawFrame, result: SymbolSetResult): SymbolicatedFrame {
  const reason = unresolvableReason(frame);
  if (reason) return unresolved(frame, reason);
  if (!result.ok) return unresolved(frame, result.failure);
  const { set } = result;
  const lineno = frame.lineno as number;
  const colno = frame.colno as number;
  const original = originalPositionFor(set.map, {
    line: lineno,
    column: colno - 1,
    bias: GREATEST_LOWER_BOUND,
  });
  if (original.source === null) {
    return unresolved(
      frame,
      `no mapping for ${lineno}:${colno} in the source map of chunk id ${set.chunkId}`,
    );
  }
  const resolvedName =
    findOriginalFunctionName(set, frame.function, lineno - 1, colno - 1) ??
    (typeof frame.function === 'string' ? frame.function : null);
  const context = contextAround(set, original.source, original.line);
  return {
    ...frame,
    resolved: true,
    source: original.source,
    line: original.line,
    column: original.column + 1,
    resolved_name: resolvedName,
    in_app: !original.source.includes('node_modules'),
    ...(context ? { context } : {}),
  };
}

function contextAround(set: ParsedSymbolSet, source: string, line: number): FrameContext | undefined {
  let lines = set.sourceLines.get(source);
  if (lines === undefined) {
    const content = sourceContentFor(set.map, source);
    lines = content === null ? null : content.split(/\r?\n/);
    set.sourceLines.set(source, lines);
  }
  const index = line - 1;
  const current = lines?.[index];
  if (!lines || current === undefined) return undefined;
  return {
    pre: lines.slice(Math.max(0, index - CONTEXT_LINES), index),
    line: current,
    post: lines.slice(index + 1, index + 1 + CONTEXT_LINES),
  };
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
