import {
  frameChunkId,
  type RawFrame,
  resolveFrame,
  type SymbolicatedFrame,
  unresolvableReason,
  unresolved,
} from './resolve-frame';
import { SymbolSetCache, type SymbolSetCacheOptions, type SymbolSetResult } from './symbol-set-cache';

/** Container bytes of a finished symbol set, or undefined when none is uploaded and finished. */
export type LoadSymbolSetBytes = (projectId: number, chunkId: string) => Buffer | undefined;

export interface Symbolicator {
  /** Resolves every frame; frames that cannot be resolved say why (`resolve_failure`). */
  symbolicateFrames(
    projectId: number,
    frames: readonly unknown[],
    load: LoadSymbolSetBytes,
  ): SymbolicatedFrame[];
}

/** A symbolicator with its own LRU of parsed symbol sets. */
export function createSymbolicator(options: SymbolSetCacheOptions = {}): Symbolicator {
  const cache = new SymbolSetCache(options);
  return {
    symbolicateFrames(projectId, frames, load) {
      // One load (and fingerprint) per chunk id per call, however many frames share it.
      const sets = new Map<string, SymbolSetResult>();
      return frames.map((value) => {
        if (!isRecord(value)) return unresolved({}, 'frame is not an object');
        const frame: RawFrame = value;
        const reason = unresolvableReason(frame);
        if (reason) return unresolved(frame, reason);
        const chunkId = frameChunkId(frame) as string;
        let set = sets.get(chunkId);
        if (!set) {
          set = loadSymbolSet(cache, load, projectId, chunkId);
          sets.set(chunkId, set);
        }
        return resolveFrame(frame, set);
      });
    },
  };
}

function loadSymbolSet(
  cache: SymbolSetCache,
  load: LoadSymbolSetBytes,
  projectId: number,
  chunkId: string,
): SymbolSetResult {
  let bytes: Buffer | undefined;
  try {
    bytes = load(projectId, chunkId);
  } catch (err) {
    return { ok: false, failure: `could not read the symbol set for chunk id ${chunkId}: ${String(err)}` };
  }
  if (!bytes) {
    return {
      ok: false,
      failure: `no symbol set uploaded for chunk id ${chunkId} (none uploaded, or its upload was not finished)`,
    };
  }
  return cache.get(projectId, chunkId, bytes);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
