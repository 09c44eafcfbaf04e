import type { ReleaseJson } from '../releases/store';
import { frameChunkId, type SymbolicatedFrame } from '../symbolication/resolve-frame';
import type { FindSymbolSet } from '../symbolication/symbol-set-cache';
import type { Symbolicator } from '../symbolication/symbolicate';
import { isRecord } from './capture-body';
import type { EventRouteDeps } from './routes';
import type { StoredException } from './store';

/** One exception of an event, its frames symbolicated (crash site last, as the SDK sends them). */
export interface SymbolicatedException {
  type: unknown;
  value: unknown;
  mechanism: unknown;
  stacktrace: { type: 'resolved'; frames: SymbolicatedFrame[] } | null;
}

/** An `$exception` event as the exceptions API returns it (documented in EVENTS.md). */
export interface ExceptionJson {
  /** The event's uuid. */
  id: string;
  event: '$exception';
  project_id: number;
  distinct_id: string | null;
  /** When it happened (client clock corrected), ISO 8601. */
  timestamp: string;
  received_at: string;
  /** The event's `$release_id` as sent, or null. */
  release_id: string | null;
  /**
   * The release the code that threw belongs to: the one named by `$release_id` (event mode), else
   * the one the first resolvable frame's symbol set is bound to (symbol-set mode), else null.
   */
  release: ReleaseJson | null;
  exception_list: SymbolicatedException[];
  /** The event's properties as received (raw frames included). */
  properties: Record<string, unknown>;
}

interface Context {
  deps: EventRouteDeps;
  load: FindSymbolSet;
  symbolicator: Symbolicator;
}

function releaseOf(
  exception: StoredException,
  frames: readonly unknown[],
  deps: EventRouteDeps,
): ReleaseJson | null {
  if (exception.releaseId !== null) return deps.findRelease(exception.projectId, exception.releaseId) ?? null;
  // Like cymbal, symbol-set mode takes the release a frame's symbol set is bound to.
  for (const frame of frames) {
    const chunkId = isRecord(frame) ? frameChunkId(frame) : undefined;
    const release = chunkId === undefined ? undefined : deps.releaseOfChunk(exception.projectId, chunkId);
    if (release) return release;
  }
  return null;
}

/** Symbolicates a stored exception and attaches its release. */
export function exceptionJson(
  exception: StoredException,
  { deps, load, symbolicator }: Context,
): ExceptionJson {
  const list = exception.properties.$exception_list;
  const items = (Array.isArray(list) ? list : []).filter(isRecord);
  const rawFrames = items.map((item) => {
    const stacktrace = isRecord(item.stacktrace) ? item.stacktrace : undefined;
    return Array.isArray(stacktrace?.frames) ? stacktrace.frames : undefined;
  });
  return {
    id: exception.uuid,
    event: '$exception',
    project_id: exception.projectId,
    distinct_id: exception.distinctId,
    timestamp: exception.timestamp,
    received_at: exception.receivedAt,
    release_id: exception.releaseId,
    release: releaseOf(
      exception,
      rawFrames.flatMap((frames) => frames ?? []),
      deps,
    ),
    exception_list: items.map((item, i) => {
      const frames = rawFrames[i];
      return {
        type: item.type ?? null,
        value: item.value ?? null,
        mechanism: item.mechanism ?? null,
        stacktrace: frames
          ? {
              type: 'resolved' as const,
              frames: symbolicator.symbolicateFrames(exception.projectId, frames, load),
            }
          : null,
      };
    }),
    properties: exception.properties,
  };
}
