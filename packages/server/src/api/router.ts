import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app';
import type { Scope } from '../auth/authorize';
import {
  authenticate,
  authorize,
  type KeyCandidate,
  keyFromBodyOrQuery,
  keyFromHeader,
} from '../auth/authorize';
import { hasJsonBody, readJson } from '../http/body';
import { HttpError, methodNotAllowed } from '../http/errors';

/** One matched API request, already authorized for `projectId`. */
export interface ApiContext {
  app: App;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  projectId: number;
  /** Decoded capture groups of the route's path pattern. */
  params: string[];
  /** The JSON body (DRF's JSONParser: empty is `{}`); read once, also when authentication needed it. */
  readJson(): Promise<unknown>;
}

export interface ApiAction {
  scope: Scope;
  handle(ctx: ApiContext): Promise<void> | void;
}

export interface ApiRoute {
  /** Matches the path under `/api/{projects|environments}/:id/error_tracking/`, no slash at either end. */
  path: RegExp;
  methods: Partial<Record<string, ApiAction>>;
}

const API_PATH = /^\/api\/(?:projects|environments)\/(\d+)\/error_tracking\/(.+?)\/?$/;

function decodeParams(match: RegExpExecArray): string[] | undefined {
  try {
    return match.slice(1).map((value) => decodeURIComponent(value));
  } catch {
    return undefined;
  }
}

/**
 * Routes one request the way Django and DRF do: an unknown path is not ours (404 later, before any
 * auth); then authentication (401), the method (405), scope and project (403/404), then the view.
 * Returns false when the path is not an error-tracking route.
 */
export async function dispatchApi(
  app: App,
  routes: readonly ApiRoute[],
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const api = API_PATH.exec(url.pathname);
  if (!api) return false;
  let route: ApiRoute | undefined;
  let params: string[] | undefined;
  for (const candidate of routes) {
    const match = candidate.path.exec(api[2]!);
    if (match) {
      route = candidate;
      params = decodeParams(match);
      break;
    }
  }
  if (!route || !params) return false;

  let body: Promise<unknown> | undefined;
  const readBodyOnce = () => {
    body ??= readJson(req, app.maxBodyBytes);
    return body;
  };
  // posthog/auth.py: the Bearer header, else `personal_api_key` in a JSON body, else in the query.
  let candidate: KeyCandidate | undefined = keyFromHeader(req);
  if (!candidate) candidate = keyFromBodyOrQuery(hasJsonBody(req) ? await readBodyOnce() : undefined, url);
  const auth = authenticate(app.credentials, candidate);
  if (!auth.ok) throw new HttpError(auth.status, auth.body, auth.headers);
  const method = req.method ?? 'GET';
  const action = route.methods[method];
  if (!action) throw methodNotAllowed(method, Object.keys(route.methods));
  const projectId = Number(api[1]);
  const access = authorize(app.credentials, candidate, projectId, action.scope);
  if (!access.ok) throw new HttpError(access.status, access.body, access.headers);
  await action.handle({ app, req, res, url, projectId, params, readJson: readBodyOnce });
  return true;
}
