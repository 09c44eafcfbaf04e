/**
 * The one masking function. Every secret hogmaps is configured with (the API key, proxy passwords,
 * header values) is registered here when options are resolved or a client is created, and every
 * string that leaves hogmaps (log lines, thrown errors and their causes, the manifest, CLI output)
 * passes through `maskSecrets`, so a server that echoes the key back cannot make us print it.
 */

// On globalThis, so the ESM and CJS copies of core in one process mask the same secrets.
const KEY = Symbol.for('hogmaps.secrets');
/** secret → what replaces it; kept longest first so a secret inside another is never half-masked. */
type Registry = Map<string, string>;

function registry(): Registry {
  const holder = globalThis as typeof globalThis & { [KEY]?: Registry };
  holder[KEY] ??= new Map();
  return holder[KEY];
}

/** Shorter values are too common in ordinary text to mask without mangling it. */
const MIN_SECRET_LENGTH = 4;

/** `phx_abcdefgh…wxyz` → `phx_…wxyz`; short keys show no tail at all. */
export function maskApiKey(key: string): string {
  const prefix = /^ph[a-z]_/.exec(key)?.[0] ?? '';
  return key.length >= 16 ? `${prefix}…${key.slice(-4)}` : `${prefix}…`;
}

/**
 * Remembers `value` (and its percent-decoded form) as a secret for the rest of the process. API keys
 * are shown as `phx_…wxyz` so a person can tell keys apart; anything else as `[redacted]`.
 */
export function registerSecret(value: string | undefined, kind: 'api-key' | 'other' = 'other'): void {
  if (typeof value !== 'string') return;
  const forms = new Set([value, value.trim()]);
  try {
    forms.add(decodeURIComponent(value));
  } catch {
    // not percent-encoded
  }
  const secrets = registry();
  let added = false;
  for (const form of forms) {
    if (form.length < MIN_SECRET_LENGTH || secrets.has(form)) continue;
    secrets.set(form, kind === 'api-key' ? maskApiKey(form) : '[redacted]');
    added = true;
  }
  if (!added) return;
  const sorted = [...secrets].sort(([a], [b]) => b.length - a.length);
  secrets.clear();
  for (const [secret, mask] of sorted) secrets.set(secret, mask);
}

/** Registers the password (and user name) of a URL's credentials, e.g. a proxy URL. */
export function registerUrlCredentials(value: string | undefined): void {
  if (!value) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return;
  }
  registerSecret(url.password);
  if (url.password) registerSecret(`${url.username}:${url.password}`);
}

/** `text` with every registered secret masked. */
export function maskSecrets(text: string): string {
  let result = text;
  for (const [secret, mask] of registry()) {
    if (result.includes(secret)) result = result.split(secret).join(mask);
  }
  return result;
}

/**
 * Masks an error's message and stack in place, and those of its causes (a library error may quote
 * a URL with credentials, or a body that echoes the key). Non-error causes that are strings are
 * returned masked.
 */
export function maskError<T>(error: T, depth = 0): T {
  if (typeof error === 'string') return maskSecrets(error) as T;
  if (!(error instanceof Error) || depth > 8) return error;
  const writable = (name: 'message' | 'stack') => {
    const value = error[name];
    if (typeof value !== 'string') return;
    const masked = maskSecrets(value);
    if (masked === value) return;
    try {
      Object.defineProperty(error, name, { value: masked, writable: true, configurable: true });
    } catch {
      // a frozen error: nothing we can do, and nothing we print reads it unmasked
    }
  };
  writable('message');
  writable('stack');
  if ('cause' in error && error.cause !== undefined) {
    const cause = maskError(error.cause, depth + 1);
    if (cause !== error.cause) {
      try {
        Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
      } catch {
        // frozen
      }
    }
  }
  return error;
}
