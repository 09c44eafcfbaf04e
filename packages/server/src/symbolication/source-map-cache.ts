import type { TraceMap } from '@jridgewell/trace-mapping';
import { LineTable, ScopeIndex, type ScopeResult } from './scope-index';
import { extractScopes } from './scope-names';
import { type Segment, type TokenIndex, type TokenRef, TokenIndex as Tokens } from './token-index';

/** An original position, as symbolic's `SourceMapCache::lookup` returns it (0-based line and column). */
export interface SourceLocation {
  /** Index into the map's `sources`, or undefined when the segment names no known source. */
  sourceIndex: number | undefined;
  line: number;
  column: number;
  name: string | undefined;
  scope: ScopeResult;
}

/**
 * What symbolic builds from a minified source and its map (`SourceMapCacheWriter`) and how it looks a
 * position up: the closest segment at or before it on the same generated line, where consecutive
 * segments with the same original position, name and scope count as one (the first); a segment with
 * no original position resolves to nothing. The scope is that of the segment's own position in the
 * minified source, named through the map. Scopes are computed on the first lookup.
 */
export class SourceMapCache {
  private readonly tokens: TokenIndex;
  private scopes: ScopeIndex | undefined;

  constructor(
    private readonly map: TraceMap,
    private readonly minifiedSource: () => string,
  ) {
    this.tokens = new Tokens(map);
  }

  private scopeIndex(): ScopeIndex {
    if (!this.scopes) {
      const source = this.minifiedSource();
      const lines = new LineTable(source);
      this.scopes = new ScopeIndex(extractScopes(source), this.tokens, this.map.names, lines);
    }
    return this.scopes;
  }

  private scopeOf(ref: TokenRef): ScopeResult {
    return this.scopeIndex().lookup(ref.line, this.tokens.segment(ref)[0]!);
  }

  /** symbolic's dedupe: the same original location, name and scope as the segment before. */
  private sameAsPrevious(ref: TokenRef, previous: TokenRef): boolean {
    const a: Segment = this.tokens.segment(ref);
    const b: Segment = this.tokens.segment(previous);
    if (a.length !== b.length || a.slice(1).some((v, i) => v !== b[i + 1])) return false;
    return sameScope(this.scopeOf(ref), this.scopeOf(previous));
  }

  lookup(line: number, column: number): SourceLocation | undefined {
    let ref = this.tokens.lookup(line, column);
    if (!ref || ref.line !== line) return undefined;
    for (let previous = this.tokens.previous(ref); previous && this.sameAsPrevious(ref, previous); ) {
      ref = previous;
      previous = this.tokens.previous(ref);
    }
    if (ref.line !== line) return undefined;
    const segment = this.tokens.segment(ref);
    if (segment.length < 4) return undefined;
    const sourceIndex = segment[1]! < this.map.sources.length ? segment[1] : undefined;
    return {
      sourceIndex,
      line: segment[2]!,
      column: segment[3]!,
      name: segment.length === 5 ? this.map.names[segment[4]!] : undefined,
      scope: this.scopeOf(ref),
    };
  }
}

function sameScope(a: ScopeResult, b: ScopeResult): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.name === b.name;
}
