// Git remote URLs end up in release metadata sent to PostHog, so credentials must never survive.

const URL_FORM = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)/;
// `[user@]host:path`, as git reads it: no `/` before the colon, and not a Windows drive (`C:\…`).
const SCP_FORM = /^(?:([^@/]*)@)?([^@/:]{2,}|\[[^\]]+\]):(.*)$/;
// Schemes whose user name is an account (ssh's `git@`), not a secret.
const USER_IS_ACCOUNT = new Set(['ssh://', 'git+ssh://', 'ssh+git://']);

interface RemoteParts {
  /** Everything before the path, credentials already removed. */
  prefix: string;
  path: string;
}

function splitRemote(raw: string): RemoteParts {
  const url = URL_FORM.exec(raw);
  if (url) {
    const scheme = url[1]!.toLowerCase();
    let authority = url[2]!;
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const user = authority.slice(0, at).split(':')[0]!;
      const host = authority.slice(at + 1);
      authority = USER_IS_ACCOUNT.has(scheme) && user ? `${user}@${host}` : host;
    }
    return { prefix: `${url[1]}${authority}`, path: url[3]! };
  }
  const scp = SCP_FORM.exec(raw);
  if (scp) {
    const user = scp[1]?.split(':')[0];
    return { prefix: `${user ? `${user}@` : ''}${scp[2]}:`, path: scp[3]! };
  }
  return { prefix: '', path: raw };
}

/**
 * The remote URL as PostHog's CLI reports it: user names used as tokens, passwords, the query and
 * the fragment removed, and a `.git` suffix ensured. An ssh account name (`git@github.com:acme/app.git`,
 * `ssh://git@host/…`) is kept, since it is not a secret. Undefined for an empty value.
 */
export function sanitizeRemoteUrl(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  const { prefix, path } = splitRemote(value);
  const trimmed = path.replace(/\/+$/, '');
  if (!trimmed) return prefix || undefined;
  return `${prefix}${trimmed.endsWith('.git') ? trimmed : `${trimmed}.git`}`;
}

/** The repository name a remote points at: its last path segment without `.git`. */
export function repoNameFromRemoteUrl(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  const segment = splitRemote(value)
    .path.replace(/[\\/]+$/, '')
    .split(/[\\/]/)
    .pop();
  const name = segment?.replace(/\.git$/, '');
  return name || undefined;
}
