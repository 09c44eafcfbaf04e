import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { hasScope } from '../auth/authorize';
import type { ApiKey, CredentialStore, Project } from '../auth/credentials';
import type { Clock } from '../clock';

/** Who is looking at the inbox: anyone on a loopback-only server, else a logged-in API key. */
export type Viewer = { kind: 'local' } | { kind: 'key'; key: ApiKey; session: string };

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const MAX_SESSIONS = 1000;

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (bare.startsWith('::ffff:')) return bare.slice(7).startsWith('127.');
  return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
}

/** The host name of a `Host` header (without the port), or undefined when it is none. */
function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return new URL(`http://${header}`).hostname;
  } catch {
    return undefined;
  }
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return cookies;
}

export interface InboxAccessOptions {
  credentials: CredentialStore;
  clock: Clock;
  /** Whether a personal API key is needed (the server is reachable from other machines, or forced). */
  requireLogin: boolean;
  /** The listening port: the session cookie is named after it, so two servers on one host never mix. */
  port: () => number;
}

/**
 * Who may look at the inbox. Without login (a loopback-only server) the request's Host must be a
 * loopback name too, so a web page cannot read the inbox through DNS rebinding. With login, a
 * session made by the login form: a random token in an HttpOnly, SameSite=Strict cookie, kept in
 * memory only (a restart logs everyone out), tied to the key's id, so revoking the key ends it.
 */
export function createInboxAccess(options: InboxAccessOptions) {
  const { credentials, clock } = options;
  const sessions = new Map<string, { keyId: string; expires: number }>();
  const digest = (token: string) => createHash('sha256').update(token).digest('hex');
  const cookieName = () => `hogmaps_inbox_${options.port()}`;

  return {
    requireLogin: options.requireLogin,

    /** Why a request may not use the inbox at all (wrong Host), or undefined. */
    hostProblem(req: IncomingMessage): string | undefined {
      if (options.requireLogin) return undefined;
      const name = hostName(req.headers.host);
      return name !== undefined && isLoopbackHost(name)
        ? undefined
        : `This inbox answers on loopback addresses only (http://127.0.0.1:${options.port()}/).`;
    },

    /** The viewer behind a request, or undefined when login is required and there is no valid session. */
    viewer(req: IncomingMessage): Viewer | undefined {
      if (!options.requireLogin) return { kind: 'local' };
      const token = parseCookies(req.headers.cookie).get(cookieName());
      if (!token) return undefined;
      const id = digest(token);
      const session = sessions.get(id);
      if (!session || session.expires <= clock()) {
        sessions.delete(id);
        return undefined;
      }
      const key = credentials.getApiKey(session.keyId);
      if (!key || !hasScope(key, 'read')) {
        sessions.delete(id);
        return undefined;
      }
      return { kind: 'key', key, session: id };
    },

    /** The projects a viewer may read, lowest id first. */
    projects(viewer: Viewer): Project[] {
      const all = credentials.listProjects();
      if (viewer.kind === 'local' || viewer.key.projectIds === null) return all;
      const allowed = new Set(viewer.key.projectIds);
      return all.filter((project) => allowed.has(project.id));
    },

    /** A session for a personal API key with read access, or undefined when the key is not one. */
    login(secret: string): { cookie: string } | undefined {
      const key = credentials.findApiKey(secret);
      if (!key || !hasScope(key, 'read')) return undefined;
      const token = randomBytes(32).toString('base64url');
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
      sessions.set(digest(token), { keyId: key.id, expires: clock() + SESSION_TTL_MS });
      const maxAge = Math.floor(SESSION_TTL_MS / 1000);
      return { cookie: `${cookieName()}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}` };
    },

    /** Ends the viewer's session; returns the cookie that clears it in the browser. */
    logout(viewer: Viewer | undefined): string {
      if (viewer?.kind === 'key') sessions.delete(viewer.session);
      return `${cookieName()}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
    },
  };
}

export type InboxAccess = ReturnType<typeof createInboxAccess>;

/**
 * A form POST must come from the inbox's own pages (login CSRF, forced logout): a browser names the
 * page's origin in `Origin` (or `Sec-Fetch-Site`) on every cross-site POST. Clients that send
 * neither are not browsers, and so cannot be tricked into posting.
 */
export function isSameOriginPost(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin === `http://${req.headers.host}`;
}
