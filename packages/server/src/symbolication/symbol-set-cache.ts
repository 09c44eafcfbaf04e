import { createHash } from 'node:crypto';
import { FlattenMap, type TraceMap } from '@jridgewell/trace-mapping';
import { ContainerError, decodeContainer } from './container';

/** One decoded and parsed symbol set, ready for lookups. */
export interface ParsedSymbolSet {
  chunkId: string;
  map: TraceMap;
  /** The minified source as uploaded (snippet and chunk-id comment included), split into lines. */
  minifiedLines: string[];
  /** Lines of each original source, split on first use. */
  sourceLines: Map<string, string[] | null>;
}

/** A parsed set, or why the set cannot be used. */
export type SymbolSetResult = { ok: true; set: ParsedSymbolSet } | { ok: false; failure: string };

interface CacheEntry {
  fingerprint: string;
  result: SymbolSetResult;
  bytes: number;
}

export interface SymbolSetCacheOptions {
  /** Most parsed sets kept. @default 64 */
  maxEntries?: number;
  /** Most container bytes (a proxy for parsed size) kept. @default 256 MiB */
  maxBytes?: number;
}

/**
 * An LRU of parsed symbol sets keyed by (project, chunk id). Each entry remembers a fingerprint of
 * the container bytes, so a set re-uploaded under the same chunk id (`force`) is parsed again
 * instead of serving stale positions. Failures are cached too, so a malformed container is not
 * re-parsed for every frame.
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

  /** Cache keys (`<project>\0<chunk id>`), least recently used first. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** Returns the parsed set for these container bytes, parsing only when they changed. */
  get(projectId: number, chunkId: string, bytes: Buffer): SymbolSetResult {
    const key = `${projectId}\u0000${chunkId}`;
    const fingerprint = createHash('sha1').update(bytes).digest('hex');
    const cached = this.entries.get(key);
    if (cached && cached.fingerprint === fingerprint) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached.result;
    }
    if (cached) this.remove(key, cached);
    const result = parseSymbolSet(chunkId, bytes);
    const entry = { fingerprint, result, bytes: bytes.length };
    this.entries.set(key, entry);
    this.totalBytes += entry.bytes;
    this.evict(key);
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

function parseSymbolSet(chunkId: string, bytes: Buffer): SymbolSetResult {
  let decoded: ReturnType<typeof decodeContainer>;
  try {
    decoded = decodeContainer(bytes);
  } catch (err) {
    const reason = err instanceof ContainerError ? err.message : String(err);
    return { ok: false, failure: `malformed symbol set for chunk id ${chunkId}: ${reason}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(decoded.sourceMap);
  } catch {
    return { ok: false, failure: `symbol set for chunk id ${chunkId} holds a source map that is not JSON` };
  }
  if (!isRecord(json) || (!('mappings' in json) && !('sections' in json))) {
    return { ok: false, failure: `symbol set for chunk id ${chunkId} holds no source map (no "mappings")` };
  }
  try {
    // FlattenMap also accepts index maps (with "sections").
    const map = FlattenMap(json as unknown as Parameters<typeof FlattenMap>[0]);
    return {
      ok: true,
      set: {
        chunkId,
        map,
        minifiedLines: decoded.minifiedSource.split(/\r?\n/),
        sourceLines: new Map(),
      },
    };
  } catch (err) {
    return { ok: false, failure: `invalid source map for chunk id ${chunkId}: ${(err as Error).message}` };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
