import type { TraceMap } from '@jridgewell/trace-mapping';
import { ContainerError, decodeContainer } from './container';
import { MapReadError, readSourceMap } from './map-reader';
import { SourceMapCache } from './source-map-cache';

/** A finished symbol set as the store knows it, read from disk only when the cache needs it. */
export interface StoredSymbolSet {
  /** Changes whenever the set's content does (every upload gets a new storage key). */
  fingerprint: string;
  read(): Buffer | undefined;
}

/** The finished symbol set of a chunk id in a project, or undefined when none is. */
export type FindSymbolSet = (projectId: number, chunkId: string) => StoredSymbolSet | undefined;

/** One decoded and parsed symbol set, ready for lookups. */
export interface ParsedSymbolSet {
  chunkId: string;
  map: TraceMap;
  lookup: SourceMapCache;
  /** Lines of `sources[index]` from `sourcesContent` (split on first use), or null. */
  sourceLines(index: number): string[] | null;
}

/** A parsed set, or why the set cannot be used (cymbal's wording where it has one). */
export type SymbolSetResult = { ok: true; set: ParsedSymbolSet } | { ok: false; failure: string };

interface CacheEntry {
  fingerprint: string;
  result: SymbolSetResult;
  bytes: number;
}

export interface SymbolSetCacheOptions {
  /** Most parsed sets kept. @default 64 */
  maxEntries?: number;
  /**
   * Most decompressed bytes (minified source plus map, what a parsed set holds) kept. A set larger
   * than this is parsed for the request that needs it and not kept. @default 256 MiB
   */
  maxBytes?: number;
}

/**
 * An LRU of parsed symbol sets keyed by (project, chunk id). An entry is valid while the set's
 * fingerprint (its storage key and hash) is unchanged, so a cached set costs one database lookup and
 * nothing is read from disk; a re-uploaded set is read and parsed again. Failures are cached too.
 */
export class SymbolSetCache {
  private readonly entries = new Map<string, CacheEntry>();
  private totalBytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;

  constructor(options: SymbolSetCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 64;
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Decompressed bytes held by the cached sets. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Cache keys (`<project>\0<chunk id>`), least recently used first. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  get(projectId: number, chunkId: string, stored: StoredSymbolSet): SymbolSetResult {
    const key = `${projectId}\u0000${chunkId}`;
    const cached = this.entries.get(key);
    if (cached && cached.fingerprint === stored.fingerprint) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached.result;
    }
    if (cached) this.remove(key, cached);
    const { result, bytes } = parseStored(chunkId, stored);
    if (bytes <= this.maxBytes) {
      this.entries.set(key, { fingerprint: stored.fingerprint, result, bytes });
      this.totalBytes += bytes;
      this.evict(key);
    }
    return result;
  }

  private remove(key: string, entry: CacheEntry): void {
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }

  /** Drops least recently used entries, never the one just added. */
  private evict(keep: string): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.totalBytes <= this.maxBytes) return;
      if (key !== keep) this.remove(key, entry);
    }
  }
}

function parseStored(chunkId: string, stored: StoredSymbolSet): { result: SymbolSetResult; bytes: number } {
  const failed = (failure: string) => ({ result: { ok: false as const, failure }, bytes: 0 });
  const bytes = stored.read();
  if (!bytes) return failed(`No sourcemap uploaded for chunk id: ${chunkId}`);
  let decoded: ReturnType<typeof decodeContainer>;
  try {
    decoded = decodeContainer(bytes);
  } catch (err) {
    return failed(`JSDataError: ${err instanceof ContainerError ? err.message : String(err)}`);
  }
  try {
    const document = readSourceMap(decoded.sourceMap);
    const lines = new Map<number, string[] | null>();
    const set: ParsedSymbolSet = {
      chunkId,
      map: document.trace,
      lookup: new SourceMapCache(document.trace, () => decoded.minifiedSource.toString('utf8')),
      sourceLines(index) {
        if (!lines.has(index)) lines.set(index, document.sourceContent(index)?.split('\n') ?? null);
        return lines.get(index)!;
      },
    };
    return { result: { ok: true, set }, bytes: decoded.minifiedSource.length + decoded.sourceMap.length };
  } catch (err) {
    if (err instanceof MapReadError) return failed(`Invalid source map: ${err.message}`);
    throw err;
  }
}
