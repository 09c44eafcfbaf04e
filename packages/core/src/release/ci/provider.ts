/** Keys of the CI providers we recognise; `ci:<key>` is the source named in logs. */
export type CiProviderName =
  | 'github-actions'
  | 'gitlab-ci'
  | 'circleci'
  | 'vercel'
  | 'netlify'
  | 'bitbucket-pipelines'
  | 'buildkite'
  | 'azure-pipelines'
  | 'jenkins'
  | 'cloudflare-pages'
  | 'cloudflare-workers'
  | 'travis';

/** What a CI provider's variables say about the build. `commit` is the pull request's head, not a merge commit. */
export interface CiInfo {
  provider: CiProviderName;
  commit?: string;
  branch?: string;
  repoName?: string;
  /** Already sanitized: no credentials, query or fragment; `.git` suffix. */
  remoteUrl?: string;
}

export interface CiProvider {
  name: CiProviderName;
  /** Undefined when this provider's marker variable is not set. */
  detect(env: NodeJS.ProcessEnv): CiInfo | undefined;
}

/** The first of `names` set to a non-blank value, trimmed. CI systems often export empty variables. */
export function envValue(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** A commit id, lowercased; anything else (Buildkite's `HEAD`, a tag name) is dropped. */
export function asCommit(value: string | undefined): string | undefined {
  return value && /^[0-9a-f]{7,64}$/i.test(value) ? value.toLowerCase() : undefined;
}

/** `refs/heads/main` → `main`, `refs/tags/v1` → `v1`; other values unchanged. */
export function shortRef(value: string | undefined): string | undefined {
  return value?.replace(/^refs\/(?:heads|tags)\//, '') || undefined;
}

/** The last segment of an `owner/name` slug. */
export function lastSegment(value: string | undefined): string | undefined {
  return value?.split('/').filter(Boolean).pop();
}

/** Builds a CiInfo without undefined keys, so results compare and log cleanly. */
export function ciInfo(provider: CiProviderName, fields: Omit<CiInfo, 'provider'>): CiInfo {
  const info: CiInfo = { provider };
  for (const key of ['commit', 'branch', 'repoName', 'remoteUrl'] as const) {
    const value = fields[key];
    if (value) info[key] = value;
  }
  return info;
}
