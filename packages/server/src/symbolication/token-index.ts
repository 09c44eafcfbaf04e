import type { TraceMap } from '@jridgewell/trace-mapping';
import { decodedMappings } from '@jridgewell/trace-mapping';

/** One mapping segment of the generated file: `[column, source, line, column, name?]` or just `[column]`. */
export type Segment = readonly number[];

/** A segment's place: its generated line and its index in that line. */
export interface TokenRef {
  line: number;
  index: number;
}

/**
 * The map's segments in generated order, searched the way rust-sourcemap's `lookup_token` searches
 * them (the greatest segment at or before a position, possibly on an earlier line), which is what
 * symbolic's cache and name resolution are built on.
 */
export class TokenIndex {
  private readonly lines: readonly (readonly Segment[])[];

  constructor(map: TraceMap) {
    this.lines = decodedMappings(map) as readonly (readonly Segment[])[];
  }

  segment(ref: TokenRef): Segment {
    return this.lines[ref.line]![ref.index]!;
  }

  /** The greatest segment at or before (line, column), on this line or an earlier one. */
  lookup(line: number, column: number): TokenRef | undefined {
    const segments = this.lines[line];
    if (segments) {
      let low = 0;
      let high = segments.length - 1;
      let found = -1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        if (segments[mid]![0]! <= column) {
          found = mid;
          low = mid + 1;
        } else high = mid - 1;
      }
      if (found >= 0) return { line, index: found };
    }
    return this.lastBefore(Math.min(line, this.lines.length));
  }

  /** The segment before `ref` in generated order. */
  previous(ref: TokenRef): TokenRef | undefined {
    return ref.index > 0 ? { line: ref.line, index: ref.index - 1 } : this.lastBefore(ref.line);
  }

  private lastBefore(line: number): TokenRef | undefined {
    for (let l = line - 1; l >= 0; l--) {
      const count = this.lines[l]?.length ?? 0;
      if (count > 0) return { line: l, index: count - 1 };
    }
    return undefined;
  }
}
