import type { NamePart, Scope } from './scope-names';
import type { TokenIndex } from './token-index';

/** What symbolic reports for a position: a named scope, an anonymous one, or none known (global). */
export type ScopeResult = { name: string } | 'anonymous' | 'unknown';

/** Offsets (UTF-16, as acorn reports them) to 0-based (line, column); only `\n` ends a line. */
export class LineTable {
  private readonly starts: number[] = [0];

  constructor(readonly source: string) {
    for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** undefined at or past the end, as js-source-scopes' `offset_to_position`. */
  position(offset: number): { line: number; column: number } | undefined {
    if (offset < 0 || offset >= this.source.length) return undefined;
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, column: offset - this.starts[low]! };
  }
}

/**
 * `NameResolver::try_map_token`: the map's name for the minified identifier at `offset`, taken from
 * the segment at (or one column before) it; else from the segment just before, when that maps to the
 * same original position (TypeScript names the `function` keyword rather than the identifier).
 */
function originalNameAt(tokens: TokenIndex, names: readonly string[], lines: LineTable, offset: number) {
  const at = lines.position(offset);
  if (!at) return undefined;
  const ref = tokens.lookup(at.line, at.column);
  if (!ref) return undefined;
  const segment = tokens.segment(ref);
  if (ref.line !== at.line || segment[0]! < at.column - 1) return undefined;
  if (segment.length === 5) return names[segment[4]!];
  if (segment[0]! === 0) return undefined;
  const before = tokens.lookup(ref.line, segment[0]! - 1);
  if (!before) return undefined;
  const previous = tokens.segment(before);
  const sameOrigin =
    previous.length >= 4 && segment.length >= 4 && previous.slice(1, 4).every((v, i) => v === segment[i + 1]);
  return sameOrigin && previous.length === 5 ? names[previous[4]!] : undefined;
}

/**
 * symbolic's Flutter fallback, used when resolution changed nothing: the name of a segment sitting
 * exactly on the scope's last character, if the next character starts another segment.
 */
function closingName(tokens: TokenIndex, names: readonly string[], lines: LineTable, scope: Scope) {
  const last = lines.position(scope.end - 1);
  if (!last) return undefined;
  const ref = tokens.lookup(last.line, last.column);
  if (!ref) return undefined;
  const segment = tokens.segment(ref);
  if (ref.line !== last.line || segment[0] !== last.column) return undefined;
  const past = lines.position(scope.end);
  const after = past && tokens.lookup(past.line, past.column);
  if (after && after.line === ref.line && after.index === ref.index) return undefined;
  return segment.length === 5 ? names[segment[4]!] : undefined;
}

function text(parts: readonly NamePart[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : part.ident)).join('');
}

/** A scope's original name: each minified identifier through the map; '' counts as no name. */
function resolveScopeName(
  tokens: TokenIndex,
  names: readonly string[],
  lines: LineTable,
  scope: Scope,
): string | undefined {
  const original = scope.name ? text(scope.name) : undefined;
  const resolved = scope.name
    ? scope.name
        .map((part) =>
          typeof part === 'string' ? part : (originalNameAt(tokens, names, lines, part.offset) ?? part.ident),
        )
        .join('') || undefined
    : undefined;
  if (original === resolved) return closingName(tokens, names, lines, scope) ?? resolved;
  return resolved;
}

interface Boundary {
  line: number;
  column: number;
  result: ScopeResult;
}

/**
 * js-source-scopes' `ScopeIndex`: nested scope ranges flattened into boundaries, each starting the
 * scope that holds until the next one (a parent resumes where a child ends). Improperly nested ranges
 * (which a real parse does not produce) give an empty index: every position is `unknown`.
 */
export class ScopeIndex {
  private readonly boundaries: Boundary[];

  constructor(scopes: Scope[], tokens: TokenIndex, names: readonly string[], lines: LineTable) {
    const named = scopes.map((scope) => ({
      start: scope.start,
      end: scope.end,
      result: ((): ScopeResult => {
        const name = resolveScopeName(tokens, names, lines, scope);
        return name === undefined ? 'anonymous' : { name };
      })(),
    }));
    const ranges = flatten(named);
    this.boundaries = [];
    for (const range of ranges ?? []) {
      const at = lines.position(range.offset);
      if (at) this.boundaries.push({ ...at, result: range.result });
    }
  }

  /** The scope at (line, column): the last boundary at or before it. */
  lookup(line: number, column: number): ScopeResult {
    let low = 0;
    let high = this.boundaries.length - 1;
    let found = 0;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const b = this.boundaries[mid]!;
      if (b.line < line || (b.line === line && b.column <= column)) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return this.boundaries[found]?.result ?? 'unknown';
  }
}

function flatten(
  scopes: { start: number; end: number; result: ScopeResult }[],
): { offset: number; result: ScopeResult }[] | undefined {
  const sorted = [...scopes].sort((a, b) => a.start - b.start);
  const ranges: { offset: number; result: ScopeResult }[] = [];
  if (sorted.length > 0 && sorted[0]!.start !== 0) ranges.push({ offset: 0, result: 'unknown' });
  const stack: { end: number; result: ScopeResult }[] = [];
  const parentResult = () => stack[stack.length - 1]?.result ?? 'unknown';
  for (const scope of sorted) {
    while (stack.length > 0) {
      const last = stack[stack.length - 1]!;
      if (last.end <= scope.start) {
        stack.pop();
        ranges.push({ offset: last.end, result: parentResult() });
      } else if (last.end < scope.end) {
        return undefined;
      } else break;
    }
    ranges.push({ offset: scope.start, result: scope.result });
    if (stack.length > 0 && stack[stack.length - 1]!.end === scope.end) stack.pop();
    stack.push({ end: scope.end, result: scope.result });
  }
  while (stack.length > 0) {
    const last = stack.pop()!;
    ranges.push({ offset: last.end, result: parentResult() });
  }
  return ranges;
}
