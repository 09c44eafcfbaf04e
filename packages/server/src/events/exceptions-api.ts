import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonBounded } from '../http/json';
import type { SymbolicatedFrame } from '../symbolication/resolve-frame';
import type { FindSymbolSet } from '../symbolication/symbol-set-cache';
import type { Symbolicator } from '../symbolication/symbolicate';
import { isRecord } from './capture-body';
import { exceptionJson } from './exception-json';
import type { EventRouteDeps } from './routes';
import { getException, listEventCounts, listExceptions, type StoredException } from './store';

const ROUTE =
  /^\/api\/(?:projects|environments)\/(\d+)\/hogmaps\/(exceptions|symbolicate|event_counts)(?:\/([^/]+))?\/?$/;
const MAX_LIMIT = 100;
const MAX_SYMBOLICATE_BODY = 10 * 1024 * 1024;
/** Frames per symbolicate request (a deep stack has a few hundred). */
const MAX_SYMBOLICATE_FRAMES = 10_000;

/** Our own read API over captured exceptions (documented in EVENTS.md). */
export async function handleExceptionsApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: EventRouteDeps,
  symbolicator: Symbolicator,
): Promise<boolean> {
  const match = ROUTE.exec(url.pathname);
  if (!match) return false;
  const projectId = Number(match[1]);
  const resource = match[2] as 'exceptions' | 'symbolicate' | 'event_counts';
  const id = match[3];
  if (id !== undefined && resource !== 'exceptions') return false;
  // As in DRF: authentication first, then the method.
  const auth = deps.authorize(req, url, projectId, 'read');
  if (!auth.ok) {
    deps.sendJson(res, auth.status, auth.body);
    return true;
  }
  const method = req.method ?? 'GET';
  const allowed = resource === 'symbolicate' ? 'POST' : 'GET';
  if (method !== allowed) {
    deps.sendJson(res, 405, {
      type: 'invalid_request',
      code: 'method_not_allowed',
      detail: `Method "${method}" not allowed.`,
      attr: null,
    });
    return true;
  }
  // Many exceptions share a chunk: read each set once per request, not once per exception.
  const load = memoize(deps.findSymbolSet);
  const symbolicate = (exception: StoredException) => exceptionJson(exception, { deps, load, symbolicator });
  if (resource === 'event_counts') {
    deps.sendJson(res, 200, { results: listEventCounts(deps.db, projectId) });
  } else if (resource === 'symbolicate') {
    await handleSymbolicate(req, res, deps, (frames) =>
      symbolicator.symbolicateFrames(projectId, frames, load),
    );
  } else if (id !== undefined) {
    const exception = getException(deps.db, projectId, safeDecode(id));
    if (exception) deps.sendJson(res, 200, symbolicate(exception));
    else deps.sendJson(res, 404, notFound());
  } else {
    const page = pageParams(url);
    if ('error' in page) {
      deps.sendJson(res, 400, page.error);
      return true;
    }
    const { count, results } = listExceptions(deps.db, projectId, page.limit, page.offset);
    deps.sendJson(res, 200, {
      count,
      next: page.offset + page.limit < count ? pageUrl(url, page.limit, page.offset + page.limit) : null,
      previous: page.offset > 0 ? pageUrl(url, page.limit, Math.max(0, page.offset - page.limit)) : null,
      results: results.map(symbolicate),
    });
  }
  return true;
}

async function handleSymbolicate(
  req: IncomingMessage,
  res: ServerResponse,
  deps: EventRouteDeps,
  symbolicate: (frames: unknown[]) => SymbolicatedFrame[],
): Promise<void> {
  let raw: Buffer;
  try {
    raw = await deps.readBody(req, MAX_SYMBOLICATE_BODY);
  } catch (err) {
    const detail = `body could not be read (limit ${MAX_SYMBOLICATE_BODY} bytes): ${(err as Error).message}`;
    deps.sendJson(res, 413, { ...validationError(detail), code: 'payload_too_large' });
    return;
  }
  let body: unknown;
  try {
    body = parseJsonBounded(raw.toString('utf8'));
  } catch (err) {
    deps.sendJson(
      res,
      400,
      validationError(`body must be JSON {"frames": [...]}: ${(err as Error).message}`),
    );
    return;
  }
  const frames = isRecord(body) ? body.frames : undefined;
  if (!Array.isArray(frames)) {
    deps.sendJson(res, 400, validationError('"frames" is required and must be an array of frames', 'frames'));
    return;
  }
  if (frames.length > MAX_SYMBOLICATE_FRAMES) {
    deps.sendJson(
      res,
      400,
      validationError(`${frames.length} frames in one request; at most ${MAX_SYMBOLICATE_FRAMES}`, 'frames'),
    );
    return;
  }
  const bad = frames.findIndex((frame) => !isRecord(frame));
  if (bad !== -1) {
    deps.sendJson(res, 400, validationError(`frames[${bad}] must be an object`, 'frames'));
    return;
  }
  deps.sendJson(res, 200, {
    frames: symbolicate(frames),
  });
}

function pageParams(url: URL): { limit: number; offset: number } | { error: object } {
  const read = (name: string, fallback: number, min: number): number | string => {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === '') return fallback;
    // Plain decimal digits only: `1e30` or `2^63` would reach SQLite as a float and fail there.
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    return Number.isSafeInteger(value) && value >= min
      ? value
      : `"${name}" must be an integer from ${min} to ${Number.MAX_SAFE_INTEGER}`;
  };
  const limit = read('limit', MAX_LIMIT, 1);
  const offset = read('offset', 0, 0);
  if (typeof limit === 'string') return { error: validationError(limit, 'limit') };
  if (typeof offset === 'string') return { error: validationError(offset, 'offset') };
  return { limit: Math.min(limit, MAX_LIMIT), offset };
}

function pageUrl(url: URL, limit: number, offset: number): string {
  const next = new URL(url.href);
  next.searchParams.set('limit', String(limit));
  next.searchParams.set('offset', String(offset));
  return next.href;
}

function validationError(detail: string, attr: string | null = null): object {
  return { type: 'validation_error', code: 'invalid_input', detail, attr };
}

function notFound(): object {
  return { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function memoize(load: FindSymbolSet): FindSymbolSet {
  const loaded = new Map<string, ReturnType<FindSymbolSet>>();
  return (projectId, chunkId) => {
    const key = `${projectId}\u0000${chunkId}`;
    if (!loaded.has(key)) loaded.set(key, load(projectId, chunkId));
    return loaded.get(key);
  };
}
