import type { ResolvedOptions } from '../options/types';
import { type BuildSession, createBuildSession, type SessionMeta } from './session';

// On globalThis, so the ESM and CJS copies of core in one process share sessions.
const KEY = Symbol.for('hogmaps.build-sessions');
type Registry = Map<string, BuildSession>;

function registry(): Registry {
  const holder = globalThis as typeof globalThis & { [KEY]?: Registry };
  holder[KEY] ??= new Map();
  return holder[KEY];
}

/**
 * One session per process and target (host + project + release mode + project folder): Vite client and
 * SSR builds, webpack multi-compilers and legacy builds share one release and one upload.
 */
export function getBuildSession(options: ResolvedOptions, meta: SessionMeta): BuildSession {
  const key = [
    options.host,
    options.credentials?.projectId ?? '-',
    options.sourcemaps.releaseMode,
    options.cwd,
  ].join('|');
  const sessions = registry();
  let session = sessions.get(key);
  if (!session) {
    session = createBuildSession(options, meta);
    sessions.set(key, session);
  }
  return session;
}

/** Forget every session (tests, and long-lived processes between unrelated builds). */
export function resetBuildSessions(): void {
  registry().clear();
}
