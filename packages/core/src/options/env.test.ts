import { describe, expect, it } from 'vitest';
import { isNoProxy, maskUrlCredentials, parseProxyUrl, readEnv } from './env';
import { resolveOptions } from './resolve';

const S3 = 'https://bucket.s3.us-east-1.amazonaws.com/';

describe('readEnv', () => {
  it('returns the first non-blank variable, trimmed', () => {
    expect(readEnv({ A: ' ', B: ' b\n', C: 'c' }, 'A', 'B', 'C')).toEqual({ name: 'B', value: 'b' });
    expect(readEnv({ A: '' }, 'A')).toBeUndefined();
  });
});

describe('proxy from the environment', () => {
  it('uses HTTPS_PROXY for the https host and for other https URLs', () => {
    const resolved = resolveOptions({}, { HTTPS_PROXY: 'http://proxy.corp:3128' });
    expect(resolved.proxy).toBe('http://proxy.corp:3128');
    expect(resolved.proxyFor?.(S3)).toBe('http://proxy.corp:3128');
    expect(resolved.proxyFor?.('http://plain.example/')).toBeUndefined();
    expect(resolved.notes).toContainEqual({
      level: 'debug',
      message: 'proxy http://proxy.corp:3128 from HTTPS_PROXY',
    });
  });

  it('prefers lower-case variables, as curl and undici do', () => {
    const env = { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' };
    expect(resolveOptions({}, env).proxy).toBe('http://lower:1');
  });

  it('falls back to HTTP_PROXY for https URLs and uses it for http ones', () => {
    const resolved = resolveOptions({ host: 'http://ph.internal' }, { HTTP_PROXY: 'proxy.corp:8080' });
    expect(resolved.proxy).toBe('http://proxy.corp:8080');
    expect(resolved.proxyFor?.(S3)).toBe('http://proxy.corp:8080');
  });

  it('honours NO_PROXY for the host and per URL', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost, .posthog.com 127.0.0.1:8010' };
    const resolved = resolveOptions({}, env);
    expect(resolved.proxy).toBeUndefined();
    expect(resolved.proxyFor?.(S3)).toBe('http://proxy:3128');
    expect(resolved.proxyFor?.('http://127.0.0.1:8010/api')).toBeUndefined();
    expect(resolved.proxyFor?.('https://127.0.0.1:9000/api')).toBe('http://proxy:3128');
    expect(resolved.proxyFor?.('not a url')).toBeUndefined();
    expect(resolveOptions({}, { ...env, no_proxy: '*' }).proxyFor?.(S3)).toBeUndefined();
  });

  it('snapshots the environment at resolve time', () => {
    const env: NodeJS.ProcessEnv = { HTTPS_PROXY: 'http://proxy:3128' };
    const resolved = resolveOptions({}, env);
    env.NO_PROXY = '*';
    expect(resolved.proxyFor?.(S3)).toBe('http://proxy:3128');
  });

  it('lets an explicit proxy apply to every URL, and false disable the environment', () => {
    const env = { HTTPS_PROXY: 'http://env-proxy:1', NO_PROXY: '*' };
    const explicit = resolveOptions({ proxy: 'https://user:pw@explicit:443/' }, env);
    expect(explicit.proxy).toBe('https://user:pw@explicit');
    expect(explicit.proxyFor?.(S3)).toBe('https://user:pw@explicit');
    const off = resolveOptions({ proxy: false }, { HTTPS_PROXY: 'http://env-proxy:1' });
    expect(off.proxy).toBeUndefined();
    expect(off.proxyFor).toBeUndefined();
  });

  it('ignores a malformed variable with a warning that hides its password', () => {
    const resolved = resolveOptions({}, { HTTPS_PROXY: 'socks5://u:secret@proxy:1080' });
    expect(resolved.proxy).toBeUndefined();
    expect(resolved.notes).toEqual([
      { level: 'warn', message: 'ignoring HTTPS_PROXY: not an http(s) proxy URL' },
    ]);
  });
});

describe('isNoProxy', () => {
  const url = (value: string) => new URL(value);
  it.each([
    ['https://api.example.com', 'example.com', true],
    ['https://example.com', '.example.com', true],
    ['https://a.b.example.com', '*.example.com', true],
    ['https://notexample.com', 'example.com', false],
    ['https://example.com:8443', 'example.com:8443', true],
    ['https://example.com', 'example.com:8443', false],
    ['https://example.com', 'example.com:443', true],
    ['http://[::1]:8010', '::1', true],
    ['http://[::1]:8010', '[::1]:8010', true],
    ['http://[::1]:8010', '[::1]:9', false],
    ['https://EXAMPLE.com', 'Example.COM', true],
    ['https://example.com', '', false],
  ])('%s with NO_PROXY=%s → %s', (target, noProxy, expected) => {
    expect(isNoProxy(url(target), noProxy)).toBe(expected);
  });
});

describe('parseProxyUrl and maskUrlCredentials', () => {
  it('adds http:// to scheme-less values and rejects other schemes', () => {
    expect(parseProxyUrl('proxy:3128')?.href).toBe('http://proxy:3128/');
    expect(parseProxyUrl('socks5://proxy:1080')).toBeUndefined();
    expect(parseProxyUrl('http://')).toBeUndefined();
  });

  it('masks only the password', () => {
    expect(maskUrlCredentials('http://user:secret@proxy:3128')).toBe('http://user:***@proxy:3128');
    expect(maskUrlCredentials('http://proxy:3128/')).toBe('http://proxy:3128/');
    expect(maskUrlCredentials('not a url')).toBe('not a url');
  });
});
