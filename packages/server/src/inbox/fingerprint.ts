import { createHash } from 'node:crypto';
import type { SymbolicatedFrame } from '../symbolication/resolve-frame';

/**
 * Bumped whenever the grouping rules below change, so fingerprints stored by an older server are
 * computed again instead of splitting issues between the two rules.
 */
export const FINGERPRINT_VERSION = 1;

/** The exception a fingerprint is computed from: the first of `$exception_list`, symbolicated. */
export interface FingerprintInput {
  type: unknown;
  value: unknown;
  /** Symbolicated frames, crash site last (as the SDKs send them). */
  frames: readonly SymbolicatedFrame[];
  /** `$exception_fingerprint` from the event: the SDK user's own grouping, used as given. */
  custom?: unknown;
}

/** The frame an issue is grouped by. */
export interface GroupingFrame {
  /** Original function name, or the minified one when the frame is not resolved. */
  name: string;
  /** Original source (normalized), or the shipped file path when not resolved. */
  file: string;
  /** 1-based, as editors count (the symbolicator's original lines are 0-based, as PostHog's). */
  line: number | null;
  resolved: boolean;
}

export interface Fingerprint {
  /** 32 hex digits: the issue id. */
  id: string;
  frame: GroupingFrame | null;
  /**
   * The chunk id whose symbol set is missing for a frame at or above the chosen one. Until that set
   * is uploaded the grouping used the shipped frame; it is computed again once the set arrives.
   */
  pendingChunk: string | null;
}

const ANONYMOUS = /^(\?|<anonymous>|anonymous|)$|<anonymous>$/;

/**
 * Groups exceptions into issues: the exception's type, its message with volatile parts (numbers,
 * UUIDs, hex ids, e-mail addresses) replaced by placeholders, and the top in-app frame (the frame
 * nearest the crash site whose original source is not under node_modules), identified by its
 * original file and function name, never by line or column (those move with every edit). An
 * anonymous function is identified by the text of its source line instead. A frame whose symbol set
 * has not arrived yet (`isSymbolSetMissing`) is used as shipped and reported as `pendingChunk`.
 */
export function computeFingerprint(
  input: FingerprintInput,
  isSymbolSetMissing: (chunkId: string) => boolean,
): Fingerprint {
  const { frame, pendingChunk, key } = groupingFrame(input.frames, isSymbolSetMissing);
  const parts =
    typeof input.custom === 'string' && input.custom.trim() !== ''
      ? ['custom', input.custom.trim()]
      : ['v1', exceptionType(input.type), normalizeMessage(input.value), key];
  const id = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
  return { id, frame, pendingChunk };
}

export function exceptionType(type: unknown): string {
  return typeof type === 'string' && type.trim() !== '' ? type.trim() : 'Error';
}

/**
 * The message with what varies between occurrences of the same error replaced: UUIDs, e-mail
 * addresses, long hex ids and numbers. Quoted names stay (`reading 'id'` and `reading 'name'` are
 * different bugs). Whitespace is collapsed and the result capped at 500 characters.
 */
export function normalizeMessage(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  return text
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '<email>')
    .replace(/\b(0x)?(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>')
    .replace(/\d+(\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}

/** `webpack://@acme/app/./src/x.ts`, `../src/x.ts?v=1` → `src/x.ts`; other URLs keep their path. */
export function normalizeSource(source: string): string {
  return source
    .replace(/^webpack:\/\/(@[^/]+\/)?[^/]*\//, '')
    .replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '')
    .replace(/[?#].*$/, '')
    .replace(/^(\.{1,2}\/)+/, '');
}

/** A shipped file name without origin, query and fragment, so the app's port does not split issues. */
function shippedPath(filename: unknown): string {
  if (typeof filename !== 'string') return '';
  return filename.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
}

function isAnonymous(name: unknown): boolean {
  return typeof name !== 'string' || ANONYMOUS.test(name.trim());
}

function chunkIdOf(frame: SymbolicatedFrame): string | undefined {
  const id = frame.chunk_id ?? frame.chunkId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** A mapped frame: resolved through its chunk's symbol set to an original source and position. */
export type MappedFrame = SymbolicatedFrame & { source: string; line: number; column: number };

/**
 * True when the frame was mapped through a symbol set. The symbolicator, like PostHog's cymbal, also
 * marks frames `resolved` that it judged not minified and took as sent; those are not mapped.
 */
export function isMapped(frame: SymbolicatedFrame): frame is MappedFrame {
  return (
    frame.resolved === true &&
    frame.resolve_failure == null &&
    chunkIdOf(frame) !== undefined &&
    typeof frame.source === 'string' &&
    typeof frame.line === 'number' &&
    typeof frame.column === 'number'
  );
}

function groupingFrame(
  frames: readonly SymbolicatedFrame[],
  isSymbolSetMissing: (chunkId: string) => boolean,
): { frame: GroupingFrame | null; pendingChunk: string | null; key: string } {
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    if (isMapped(frame)) {
      if (!frame.in_app) continue;
      const file = normalizeSource(frame.source);
      const named = !isAnonymous(frame.resolved_name);
      const name = named ? (frame.resolved_name as string) : '<anonymous>';
      const anchor = named
        ? `fn:${name}`
        : frame.context
          ? `ctx:${frame.context.line.line.replace(/\s+/g, ' ').trim()}`
          : `line:${frame.line}`;
      return {
        frame: { name, file, line: frame.line + 1, resolved: true },
        pendingChunk: null,
        key: `${file}|${anchor}`,
      };
    }
    const chunkId = chunkIdOf(frame);
    const pending = chunkId !== undefined && isSymbolSetMissing(chunkId);
    // A frame that will never resolve counts when the SDK called it in-app.
    if (!pending && frame.in_app === false) continue;
    const file = shippedPath(frame.filename);
    const name = isAnonymous(frame.function) ? '<anonymous>' : String(frame.function);
    const line = typeof frame.lineno === 'number' ? frame.lineno : null;
    const anchor = name === '<anonymous>' ? `line:${line}:${frame.colno}` : `fn:${name}`;
    return {
      frame: { name, file, line, resolved: false },
      pendingChunk: pending ? chunkId : null,
      key: `shipped:${file}|${anchor}`,
    };
  }
  return { frame: null, pendingChunk: null, key: '' };
}
