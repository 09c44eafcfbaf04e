import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../db/database';
import type { ReleaseJson } from '../releases/store';
import { handleStaticAsset } from '../static-assets';
import type { FindSymbolSet } from '../symbolication/symbol-set-cache';
import { createSymbolicator, type Symbolicator } from '../symbolication/symbolicate';
import { CAPTURE_PATHS, handleCapture } from './capture-route';
import { handleExceptionsApi } from './exceptions-api';
import { handleRemoteConfig } from './remote-config';
import { ensureEventTables } from './store';

/** What the events routes need from the rest of the server. */
export interface EventRouteDeps {
  db: Database;
  /** The project whose public token (`phc_…`) this is. */
  projectIdForToken(token: string): number | undefined;
  authorize(
    req: IncomingMessage,
    url: URL,
    projectId: number,
    scope: 'read' | 'write',
  ): { ok: true } | { ok: false; status: number; body: object };
  /** The finished symbol set of a chunk id (read from disk only when the parse cache needs it). */
  findSymbolSet: FindSymbolSet;
  /** A release of the project by id (`$release_id`), in PostHog's release JSON. */
  findRelease(projectId: number, releaseId: string): ReleaseJson | undefined;
  /** The release a chunk's symbol set is bound to (symbol-set mode). */
  releaseOfChunk(projectId: number, chunkId: string): ReleaseJson | undefined;
  readBody(req: IncomingMessage, limitBytes?: number): Promise<Buffer>;
  sendJson(res: ServerResponse, status: number, body: unknown): void;
}

// One symbolicator (and so one parsed-map cache) per server, keyed by its database.
const symbolicators = new WeakMap<Database, Symbolicator>();

/**
 * Handles event ingestion (`/e/`, `/i/v0/e/`, `/batch/`, `/capture/`…), posthog-js's static
 * scripts (`/static/*`) and remote config (`/array/<token>/config`), and the
 * `/api/projects/:id/hogmaps/*` exceptions API. Returns false when
 * the path is none of these, so the caller can answer 404.
 */
export async function handleEventRoutes(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: EventRouteDeps,
): Promise<boolean> {
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  if (CAPTURE_PATHS.has(path)) {
    ensureEventTables(deps.db);
    await handleCapture(req, res, url, deps);
    return true;
  }
  if (path.startsWith('/static/')) return handleStaticAsset(req, res, url);
  if (path.startsWith('/array/')) return handleRemoteConfig(req, res, path, deps);
  if (!path.startsWith('/api/')) return false;
  return handleExceptionsApi(req, res, url, deps, symbolicatorFor(deps.db));
}

/** The server's one symbolicator (its parsed-map cache is shared by every reader of `db`). */
export function symbolicatorFor(db: Database): Symbolicator {
  let symbolicator = symbolicators.get(db);
  if (!symbolicator) {
    symbolicator = createSymbolicator();
    symbolicators.set(db, symbolicator);
  }
  return symbolicator;
}
