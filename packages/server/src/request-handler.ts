import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '@hogmaps/core';
import { dispatchApi } from './api/router';
import { API_ROUTES } from './api/routes';
import type { App } from './app';
import { authorize, keyFromBodyOrQuery, keyFromHeader } from './auth/authorize';
import { parseUuid } from './db/ids';
import type { EventRouteDeps } from './events/routes';
import { handleEventRoutes } from './events/routes';
import { applyFault } from './faults/apply';
import type { FaultEngine, FaultTarget } from './faults/rules';
import { discardBody, readBody } from './http/body';
import { BodyTooLargeError, bodyTooLargeBody, HttpError, notFound, SERVER_ERROR_BODY } from './http/errors';
import { sendJson } from './http/respond';
import type { Inbox } from './inbox/routes';
import { releaseJson } from './releases/store';
import { handleStorage, isStoragePath } from './storage/routes';
import { symbolSetFinder } from './symbolication/load-symbol-set';

const EVENT_PATH =
  /^\/(?:e|i\/v0\/e|batch|capture|track|engage)\/*$|^\/(?:static|array)\/|^\/api\/(?:projects|environments)\/\d+\/hogmaps\//;

/** Which part of the server a path belongs to (fault rules can target one part). */
export function classifyPath(pathname: string): FaultTarget {
  if (isStoragePath(pathname)) return 'storage';
  if (EVENT_PATH.test(pathname)) return 'events';
  return 'api';
}

/** The request's absolute URL as the client addressed us (Host header), for links and presigned URLs. */
function requestUrl(req: IncomingMessage, fallbackHost: string): URL {
  const target = req.url ?? '/';
  const path = target.startsWith('/') ? target : new URL(target, 'http://x').pathname;
  try {
    return new URL(`http://${req.headers.host || fallbackHost}${path}`);
  } catch {
    return new URL(`http://${fallbackHost}${path}`); // a Host header that is no host
  }
}

function eventDeps(app: App): EventRouteDeps {
  return {
    db: app.db,
    projectIdForToken: (token) => app.credentials.projectIdForToken(token),
    authorize(req, url, projectId, scope) {
      // The events helper's read API takes the header or the query string (its bodies are frames).
      const candidate = keyFromHeader(req) ?? keyFromBodyOrQuery(undefined, url);
      const result = authorize(app.credentials, candidate, projectId, scope);
      return result.ok ? { ok: true } : { ok: false, status: result.status, body: result.body };
    },
    findSymbolSet: symbolSetFinder(app),
    findRelease(projectId, releaseId) {
      const id = parseUuid(releaseId);
      const row = id === undefined ? undefined : app.releases.get(projectId, id);
      return row && releaseJson(row);
    },
    releaseOfChunk(projectId, chunkId) {
      const releaseId = app.symbolSets.getByRef(projectId, chunkId)?.release_id;
      const row = releaseId ? app.releases.get(projectId, releaseId) : undefined;
      return row && releaseJson(row);
    },
    readBody: (req, limitBytes) => readBody(req, limitBytes ?? app.maxBodyBytes),
    sendJson: (res, status, body) => sendJson(res, status, body),
  };
}

async function sendError(app: App, req: IncomingMessage, res: ServerResponse, error: unknown): Promise<void> {
  if (res.headersSent) {
    app.logger.error(`${req.method} ${req.url} failed after the answer began: ${errorMessage(error)}`);
    res.destroy();
    return;
  }
  // Read what the client is still sending (bounded) so it gets to see the answer.
  const drained = await discardBody(req);
  const headers: Record<string, string> = drained ? {} : { Connection: 'close' };
  if (error instanceof HttpError) {
    sendJson(res, error.status, error.body, { ...error.headers, ...headers });
  } else if (error instanceof BodyTooLargeError) {
    sendJson(res, 413, bodyTooLargeBody(error.limitBytes), headers);
  } else {
    app.logger.error(`${req.method} ${req.url} failed: ${(error as Error)?.stack ?? errorMessage(error)}`);
    sendJson(res, 500, SERVER_ERROR_BODY, headers);
  }
}

/**
 * The one request handler: fault rules first, then object storage, the error-tracking API, the
 * events helper's routes, the inbox's pages, and PostHog's 404 for anything else.
 */
export function createRequestHandler(
  app: App,
  faults: FaultEngine,
  fallbackHost: () => string,
  inbox?: Pick<Inbox, 'handle'>,
) {
  const deps = eventDeps(app);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    res.on('finish', () => {
      app.logger.debug(`${req.method} ${req.url} → ${res.statusCode} (${Date.now() - started} ms)`);
    });
    try {
      const url = requestUrl(req, fallbackHost());
      const target = classifyPath(url.pathname);
      const fault = faults.take(req.method ?? 'GET', url.pathname, target);
      if (fault && (await applyFault(fault, target, req, res))) return;
      if (target === 'storage') return await handleStorage(app, req, res, url);
      if (await dispatchApi(app, API_ROUTES, req, res, url)) return;
      if (await handleEventRoutes(req, res, url, deps)) return;
      if (inbox && (await inbox.handle(req, res, url))) return;
      throw notFound();
    } catch (error) {
      await sendError(app, req, res, error);
    }
  };
}
