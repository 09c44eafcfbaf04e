import type { IncomingMessage } from 'node:http';
import type { PostHogErrorBody } from '../http/errors';
import { NOT_FOUND_BODY } from '../http/errors';
import type { ApiKey, CredentialStore } from './credentials';

export type Scope = 'read' | 'write';

export type AuthResult =
  | { ok: true; key: ApiKey }
  | { ok: false; status: number; body: PostHogErrorBody; headers?: Record<string, string> };

const SCOPE_OBJECT = 'error_tracking';

function authError(status: number, code: string, detail: string): AuthResult {
  const type = 'authentication_error';
  // DRF sends WWW-Authenticate with its 401s; clients look at the status only.
  const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer realm="api"' } : {};
  return { ok: false, status, body: { type, code, detail, attr: null }, headers };
}

/** Who is calling: 401 unless the request carries a known `Authorization: Bearer phx_…`. */
export function authenticate(credentials: CredentialStore, req: IncomingMessage): AuthResult {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) return authError(401, 'not_authenticated', 'Authentication credentials were not provided.');
  const key = credentials.findApiKey(match[1]!);
  if (!key) {
    return authError(
      401,
      'authentication_failed',
      'Personal API key found in request Authorization header is invalid.',
    );
  }
  return { ok: true, key };
}

/** `error_tracking:write` also grants `:read`; `*` grants everything. */
export function hasScope(key: ApiKey, scope: Scope): boolean {
  const scopes = new Set(key.scopes);
  if (scopes.has('*') || scopes.has(`${SCOPE_OBJECT}:write`)) return true;
  return scope === 'read' && scopes.has(`${SCOPE_OBJECT}:read`);
}

/**
 * PostHog's permission chain for one request: key (401), scope (403), the key's project list (403),
 * then the project itself (404).
 */
export function authorize(
  credentials: CredentialStore,
  req: IncomingMessage,
  projectId: number,
  scope: Scope,
): AuthResult {
  const auth = authenticate(credentials, req);
  if (!auth.ok) return auth;
  if (!hasScope(auth.key, scope)) {
    return authError(403, 'permission_denied', `API key missing required scope '${SCOPE_OBJECT}:${scope}'`);
  }
  if (auth.key.projectIds !== null && !auth.key.projectIds.includes(projectId)) {
    return authError(
      403,
      'permission_denied',
      `API key does not have access to the requested project: ID ${projectId}.`,
    );
  }
  if (!credentials.getProject(projectId)) return { ok: false, status: 404, body: NOT_FOUND_BODY };
  return auth;
}
