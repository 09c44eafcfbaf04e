/** A non-blank environment variable, trimmed (CI secrets often carry a trailing newline). */
export interface EnvValue {
  readonly name: string;
  readonly value: string;
}

/** The first of `names` that is set to a non-blank value. */
export function readEnv(env: NodeJS.ProcessEnv, ...names: string[]): EnvValue | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** Key precedence after the explicit option: PostHog's plugin name, then the CLI's, then legacy. */
export const API_KEY_ENV = ['POSTHOG_PERSONAL_API_KEY', 'POSTHOG_CLI_API_KEY', 'POSTHOG_CLI_TOKEN'] as const;
export const PROJECT_ID_ENV = ['POSTHOG_CLI_PROJECT_ID', 'POSTHOG_CLI_ENV_ID'] as const;
export const HOST_ENV = 'POSTHOG_CLI_HOST';
export const RELEASE_MODE_ENV = 'POSTHOG_RELEASE_MODE';

/** The proxy variables, read once so later lookups do not depend on a changing process.env. */
export interface ProxyEnv {
  readonly http: EnvValue | undefined;
  readonly https: EnvValue | undefined;
  readonly noProxy: string;
}

// Lower case first, as curl and undici's EnvHttpProxyAgent do.
export function readProxyEnv(env: NodeJS.ProcessEnv): ProxyEnv {
  return {
    http: readEnv(env, 'http_proxy', 'HTTP_PROXY'),
    https: readEnv(env, 'https_proxy', 'HTTPS_PROXY'),
    noProxy: readEnv(env, 'no_proxy', 'NO_PROXY')?.value ?? '',
  };
}

/** The proxy variable that applies to `target`, or undefined for a direct connection. */
export function proxyVariableFor(target: URL, proxyEnv: ProxyEnv): EnvValue | undefined {
  const variable = target.protocol === 'https:' ? (proxyEnv.https ?? proxyEnv.http) : proxyEnv.http;
  if (!variable || isNoProxy(target, proxyEnv.noProxy)) return undefined;
  return variable;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * NO_PROXY: comma or space separated; `*` disables proxying; an entry matches its host and all
 * subdomains (a leading `.` or `*.` is ignored); `host:port` matches that port only. CIDR ranges
 * are not supported (nor by undici).
 */
export function isNoProxy(target: URL, noProxy: string): boolean {
  const hostname = target.hostname.toLowerCase();
  const port = Number(target.port) || DEFAULT_PORTS[target.protocol] || 0;
  for (const raw of noProxy.split(/[\s,]+/)) {
    if (!raw) continue;
    if (raw === '*') return true;
    const withPort = /^(.+):(\d+)$/.exec(raw);
    // A bare IPv6 address has colons but no port; only bracketed ones can carry one.
    const bareIpv6 = raw.includes(':') && !raw.startsWith('[') && raw.split(':').length > 2;
    const entryHost = (withPort && !bareIpv6 ? withPort[1]! : raw).replace(/^\*?\./, '').toLowerCase();
    const entryPort = withPort && !bareIpv6 ? Number(withPort[2]) : 0;
    if (entryPort && entryPort !== port) continue;
    const entry = bareIpv6 ? `[${entryHost}]` : entryHost;
    if (hostname === entry || hostname.endsWith(`.${entry}`)) return true;
  }
  return false;
}

/**
 * Parses a proxy URL. Scheme-less values (`proxy.corp:3128`, common in the environment) mean
 * http. Only http and https proxies are supported (undici's ProxyAgent).
 */
export function parseProxyUrl(value: string): URL | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!url.hostname) return undefined;
  return url;
}

/** `http://user:secret@proxy:3128` → `http://user:***@proxy:3128`, for logs and messages. */
export function maskUrlCredentials(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (!url.password) return value;
  url.password = '***';
  return url.toString().replace(/\/$/, value.endsWith('/') ? '/' : '');
}
