import type { IncomingMessage } from 'node:http';
import { isPlainObject } from '../http/body';
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

/** Where the personal API key was found, as PostHog names it in its 401 detail. */
export type KeySource = 'Authorization header' | 'body' | 'query string';

/** The key a request offers and where it came from (the first candidate only is ever tried). */
export interface KeyCandidate {
  key: unknown;
  source: KeySource;
}

// posthog/auth.py: `^Bearer\s+(\S.+)$`, case-sensitive; `pha_` (OAuth) tokens belong to another scheme.
const BEARER = /^Bearer\s+(\S.+)$/;

/** The `Authorization: Bearer …` key, if the header has that form. */
export function keyFromHeader(req: IncomingMessage): KeyCandidate | undefined {
  const header = req.headers.authorization;
  const match = header === undefined ? null : BEARER.exec(header);
  const key = match?.[1]?.trim();
  if (key === undefined || key.startsWith('pha_')) return undefined;
  return { key, source: 'Authorization header' };
}

/**
 * PostHog's `find_key_with_source` after the header: `personal_api_key` in the (parsed JSON) body,
 * then in the query string.
 */
export function keyFromBodyOrQuery(body: unknown, url: URL): KeyCandidate | undefined {
  if (isPlainObject(body) && 'personal_api_key' in body)
    return { key: body.personal_api_key, source: 'body' };
  const query = url.searchParams.get('personal_api_key');
  return query === null ? undefined : { key: query, source: 'query string' };
}

/** Who is calling: 401 unless the candidate key is a known personal API key. */
export function authenticate(credentials: CredentialStore, candidate: KeyCandidate | undefined): AuthResult {
  if (!candidate) return authError(401, 'not_authenticated', 'Authentication credentials were not provided.');
  const key = typeof candidate.key === 'string' ? credentials.findApiKey(candidate.key) : undefined;
  if (!key) {
    return authError(
      401,
      'authentication_failed',
      `Personal API key found in request ${candidate.source} is invalid.`,
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
  candidate: KeyCandidate | undefined,
  projectId: number,
  scope: Scope,
): AuthResult {
  const auth = authenticate(credentials, candidate);
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
