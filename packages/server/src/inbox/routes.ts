import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app';
import { symbolicatorFor } from '../events/routes';
import { readBody } from '../http/body';
import { sendJson, sendText } from '../http/respond';
import { symbolSetFinder } from '../symbolication/load-symbol-set';
import { createInboxAccess, isSameOriginPost, type Viewer } from './access';
import { createInboxApi } from './api';
import { inboxAsset } from './assets';
import { createChangeStream } from './change-stream';
import { createIssueIndex } from './issue-index';
import { type InboxPage, loginPage, pageShell } from './pages';

export interface InboxOptions {
  app: App;
  /** Ask for a personal API key (the server listens on a non-loopback address, or a test forces it). */
  requireLogin: boolean;
  /** The listening port (known once the server listens). */
  port: () => number;
}

/**
 * Every inbox answer: nothing but this server's own scripts and styles may run or load (an event's
 * text can never become markup, and if it did, it could not run), no framing, no referrer, no
 * caching of pages or data.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Not no-referrer: with it, browsers send `Origin: null` on the inbox's own form posts.
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const PAGES: readonly [RegExp, InboxPage][] = [
  [/^\/$/, 'issues'],
  [/^\/issues\/[0-9a-f]{32}\/?$/, 'issue'],
  [/^\/releases\/?$/, 'releases'],
  [/^\/symbol-sets\/?$/, 'symbol-sets'],
];

const MAX_FORM_BYTES = 8 * 1024;

/** Where to go after logging in: a path on this server only, never another site. */
function safeNext(value: string | null): string {
  if (!value || value.length > 2000 || !/^\/(?![/\\])/.test(value) || value.startsWith('/inbox/')) return '/';
  return value;
}

function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  sendText(res, status, html, 'text/html; charset=utf-8', { 'Cache-Control': 'no-store', ...headers });
}

function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(303, { Location: location, 'Cache-Control': 'no-store', ...headers });
  res.end();
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendText(res, 405, 'Method not allowed\n', 'text/plain; charset=utf-8', { Allow: allow });
}

/**
 * The local error inbox: pages at `/`, `/issues/:id`, `/releases`, `/symbol-sets`, and everything
 * they need under `/inbox/` (scripts and styles, the JSON API, live updates, login and logout).
 */
export function createInbox(options: InboxOptions) {
  const { app } = options;
  const symbolicator = symbolicatorFor(app.db);
  const load = symbolSetFinder(app);
  const symbolicate = (projectId: number, frames: readonly unknown[]) =>
    symbolicator.symbolicateFrames(projectId, frames, load);
  const index = createIssueIndex({
    db: app.db,
    symbolicate,
    isSymbolSetMissing: (projectId, chunkId) =>
      app.symbolSets.getByRef(projectId, chunkId)?.content_hash == null,
  });
  const access = createInboxAccess({
    credentials: app.credentials,
    clock: app.clock,
    requireLogin: options.requireLogin,
    port: options.port,
  });
  const api = createInboxApi({ app, access, index, symbolicate });
  const stream = createChangeStream(app.db);

  async function login(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!access.requireLogin) return redirect(res, '/');
    if (req.method === 'GET' || req.method === 'HEAD') {
      const next = safeNext(url.searchParams.get('next'));
      if (access.viewer(req)) return redirect(res, next);
      return sendHtml(res, 200, loginPage({ next }));
    }
    if (req.method !== 'POST') return methodNotAllowed(res, 'GET, HEAD, POST');
    if (!isSameOriginPost(req))
      return sendHtml(res, 403, loginPage({ next: '/', error: 'Log in from this page.' }));
    const form = new URLSearchParams((await readBody(req, MAX_FORM_BYTES)).toString('utf8'));
    const next = safeNext(form.get('next'));
    const session = access.login((form.get('key') ?? '').trim());
    if (!session) {
      const error = 'That is not a personal API key of this server with error_tracking:read.';
      return sendHtml(res, 401, loginPage({ next, error }));
    }
    redirect(res, next, { 'Set-Cookie': session.cookie });
  }

  function logout(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    if (!isSameOriginPost(req))
      return sendText(res, 403, 'Log out from the inbox.\n', 'text/plain; charset=utf-8');
    redirect(res, access.requireLogin ? '/inbox/login' : '/', {
      'Set-Cookie': access.logout(access.viewer(req)),
    });
  }

  function data(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    viewer: Viewer | undefined,
    path: string,
  ) {
    if (!viewer) {
      return sendJson(
        res,
        401,
        { type: 'authentication_error', code: 'not_authenticated', detail: 'Log in to the inbox first.' },
        { 'Cache-Control': 'no-store' },
      );
    }
    if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
    if (path === 'stream') {
      const project = api.project(viewer, url);
      if ('status' in project) return sendJson(res, project.status, project.body);
      return stream.open(res, project.id);
    }
    const answer = api.answer(viewer, path, url);
    if (!answer)
      return sendJson(res, 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.' });
    sendJson(res, answer.status, answer.body, { 'Cache-Control': 'no-store' });
  }

  function asset(req: IncomingMessage, res: ServerResponse, name: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
    const file = inboxAsset(name);
    if (!file) return sendText(res, 404, 'Not found\n', 'text/plain; charset=utf-8');
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, { ETag: file.etag });
      return void res.end();
    }
    res.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Length': String(file.body.length),
      'Cache-Control': 'no-cache',
      ETag: file.etag,
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  return {
    requireLogin: options.requireLogin,

    /** Answers inbox paths; false for every other path. */
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      const path = url.pathname;
      const page = PAGES.find(([pattern]) => pattern.test(path))?.[1];
      if (!page && !path.startsWith('/inbox/')) return false;
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      const hostProblem = access.hostProblem(req);
      if (hostProblem) {
        sendText(res, 403, `${hostProblem}\n`, 'text/plain; charset=utf-8');
        return true;
      }
      if (path.startsWith('/inbox/assets/')) asset(req, res, path.slice('/inbox/assets/'.length));
      else if (path === '/inbox/login') await login(req, res, url);
      else if (path === '/inbox/logout') logout(req, res);
      else {
        const viewer = access.viewer(req);
        if (path.startsWith('/inbox/api/')) data(req, res, url, viewer, path.slice('/inbox/api/'.length));
        else if (!page) sendText(res, 404, 'Not found\n', 'text/plain; charset=utf-8');
        else if (req.method !== 'GET' && req.method !== 'HEAD') methodNotAllowed(res, 'GET, HEAD');
        else if (!viewer) redirect(res, `/inbox/login?next=${encodeURIComponent(path + url.search)}`);
        else sendHtml(res, 200, pageShell(page, { login: access.requireLogin }));
      }
      return true;
    },

    /** Ends live-update streams (the server is stopping). */
    close(): void {
      stream.close();
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
