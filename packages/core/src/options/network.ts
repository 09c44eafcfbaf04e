import {
  type EnvValue,
  HOST_ENV,
  maskUrlCredentials,
  type ProxyEnv,
  parseProxyUrl,
  proxyVariableFor,
  readEnv,
  readProxyEnv,
} from './env';
import type { OptionNote } from './types';
import { describeValue, type Issues, isPlainObject, readString } from './validate';

export const DEFAULT_HOST = 'https://us.i.posthog.com';

/** `host` > POSTHOG_CLI_HOST > default; an http(s) URL without trailing slash. */
export function resolveHost(issues: Issues, option: unknown, env: NodeJS.ProcessEnv): string {
  const explicit = readString(issues, 'host', option);
  const fromEnv = explicit ? undefined : readEnv(env, HOST_ENV);
  const raw = explicit ?? fromEnv?.value;
  if (!raw) return DEFAULT_HOST;
  const from = fromEnv ? ` (from ${HOST_ENV})` : '';
  const expected = `expected an http(s) URL such as ${DEFAULT_HOST}${from}`;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    const hint = !raw.includes('://') && /^[\w.-]+(:\d+)?(\/\S*)?$/.test(raw) ? ' (add https://)' : '';
    issues.add('host', `${expected}, got ${describeValue(maskUrlCredentials(raw))}${hint}`);
    return DEFAULT_HOST;
  }
  if (url.username || url.password) {
    issues.add('host', `must not contain credentials${from}: the key goes in personalApiKey`);
    return DEFAULT_HOST;
  }
  if (url.search || url.hash) {
    issues.add('host', `${expected} without query or fragment, got ${describeValue(raw)}`);
    return DEFAULT_HOST;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export interface ResolvedProxy {
  proxy: string | undefined;
  /** Undefined when no request can go through a proxy (no option, no variable). */
  proxyFor: ((url: string) => string | undefined) | undefined;
}

const NO_PROXY: ResolvedProxy = { proxy: undefined, proxyFor: undefined };

/**
 * An explicit `proxy` applies to every request; `false` disables proxying; otherwise the
 * standard variables decide per URL (presigned upload URLs are on another host than `host`).
 * A malformed variable is ignored with a warning: it is the machine's setting, not ours.
 */
export function resolveProxy(
  issues: Issues,
  option: unknown,
  host: string,
  env: NodeJS.ProcessEnv,
  notes: OptionNote[],
  secrets: Set<string>,
): ResolvedProxy {
  if (option === false) return NO_PROXY;
  if (option !== undefined && typeof option !== 'string') {
    issues.expected('proxy', 'an http(s) proxy URL or false', option);
    return NO_PROXY;
  }
  const explicit = option?.trim();
  if (explicit) {
    const url = parseProxyUrl(explicit);
    addPasswordSecret(url, secrets);
    if (!url) {
      issues.expected(
        'proxy',
        'an http(s) proxy URL such as http://proxy.example:3128',
        maskUrlCredentials(explicit),
      );
      return NO_PROXY;
    }
    const proxy = formatUrl(url);
    return { proxy, proxyFor: () => proxy };
  }

  const raw = readProxyEnv(env);
  const proxyEnv: ProxyEnv = {
    http: validEnvProxy(raw.http, notes, secrets),
    https: validEnvProxy(raw.https, notes, secrets),
    noProxy: raw.noProxy,
  };
  if (!proxyEnv.http && !proxyEnv.https) return NO_PROXY;
  const proxyFor = (target: string): string | undefined => {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return undefined;
    }
    return proxyVariableFor(url, proxyEnv)?.value;
  };
  const variable = proxyVariableFor(new URL(host), proxyEnv);
  if (variable) {
    notes.push({
      level: 'debug',
      message: `proxy ${maskUrlCredentials(variable.value)} from ${variable.name}`,
    });
  }
  return { proxy: variable?.value, proxyFor };
}

function validEnvProxy(
  variable: EnvValue | undefined,
  notes: OptionNote[],
  secrets: Set<string>,
): EnvValue | undefined {
  if (!variable) return undefined;
  const url = parseProxyUrl(variable.value);
  addPasswordSecret(url, secrets);
  if (!url) {
    notes.push({ level: 'warn', message: `ignoring ${variable.name}: not an http(s) proxy URL` });
    return undefined;
  }
  return { name: variable.name, value: formatUrl(url) };
}

function addPasswordSecret(url: URL | undefined, secrets: Set<string>): void {
  if (!url?.password) return;
  secrets.add(url.password);
  secrets.add(decodeURIComponent(url.password));
}

function formatUrl(url: URL): string {
  return url.pathname === '/' && !url.search && !url.hash ? url.href.slice(0, -1) : url.href;
}

// Set per request by the client; `Authorization` comes from personalApiKey.
const MANAGED_HEADERS = ['host', 'content-length', 'content-type', 'transfer-encoding', 'connection'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Extra API headers, names lower-cased. Values are never echoed (they are often tokens). */
export function resolveHeaders(issues: Issues, value: unknown, secrets: Set<string>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (value === undefined) return headers;
  if (!isPlainObject(value)) {
    issues.expected('headers', 'an object mapping header names to strings', value);
    return headers;
  }
  for (const [name, headerValue] of Object.entries(value)) {
    const path = /^[A-Za-z_$][\w$]*$/.test(name) ? `headers.${name}` : `headers[${JSON.stringify(name)}]`;
    const lower = name.toLowerCase();
    if (typeof headerValue === 'string' && headerValue.length >= 8) secrets.add(headerValue);
    if (!HEADER_NAME.test(name)) {
      issues.add(path, 'not a valid HTTP header name');
    } else if (lower === 'authorization') {
      issues.add(
        path,
        'cannot be set: hogmaps sends Authorization: Bearer <personalApiKey>; set personalApiKey',
      );
    } else if (MANAGED_HEADERS.includes(lower)) {
      issues.add(path, 'cannot be set: the HTTP client sets it per request');
    } else if (typeof headerValue !== 'string') {
      issues.add(
        path,
        `expected a string, got ${typeof headerValue === 'object' ? describeValue(headerValue) : `a ${typeof headerValue}`}`,
      );
    } else if (/[\r\n\0]/.test(headerValue)) {
      issues.add(path, 'must not contain line breaks or NUL characters');
    } else if (Object.hasOwn(headers, lower)) {
      issues.add(path, `duplicates another header that differs only in case (${lower})`);
    } else {
      headers[lower] = headerValue;
    }
  }
  return headers;
}
