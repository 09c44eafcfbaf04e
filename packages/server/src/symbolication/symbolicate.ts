import {
  frameChunkId,
  notAFrame,
  resolveFrame,
  resolveWithoutSet,
  type SymbolicatedFrame,
} from './resolve-frame';
import {
  type FindSymbolSet,
  SymbolSetCache,
  type SymbolSetCacheOptions,
  type SymbolSetResult,
} from './symbol-set-cache';

export interface Symbolicator {
  /** Resolves every frame as PostHog's cymbal would; failures say why (`resolve_failure`). */
  symbolicateFrames(projectId: number, frames: readonly unknown[], find: FindSymbolSet): SymbolicatedFrame[];
}

/** A symbolicator with its own LRU of parsed symbol sets. */
export function createSymbolicator(options: SymbolSetCacheOptions = {}): Symbolicator {
  const cache = new SymbolSetCache(options);
  return {
    symbolicateFrames(projectId, frames, find) {
      // One lookup per chunk id per call, however many frames share it.
      const sets = new Map<string, SymbolSetResult>();
      return frames.map((value) => {
        if (!isRecord(value)) return notAFrame();
        const frame = value;
        const done = resolveWithoutSet(frame);
        if (done) return done;
        const chunkId = frameChunkId(frame)!;
        let set = sets.get(chunkId);
        if (!set) {
          set = loadSymbolSet(cache, find, projectId, chunkId);
          sets.set(chunkId, set);
        }
        return resolveFrame(frame, set);
      });
    },
  };
}

function loadSymbolSet(
  cache: SymbolSetCache,
  find: FindSymbolSet,
  projectId: number,
  chunkId: string,
): SymbolSetResult {
  try {
    const stored = find(projectId, chunkId);
    if (!stored) return { ok: false, failure: `No sourcemap uploaded for chunk id: ${chunkId}` };
    return cache.get(projectId, chunkId, stored);
  } catch (err) {
    return { ok: false, failure: `could not read the symbol set for chunk id ${chunkId}: ${String(err)}` };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
