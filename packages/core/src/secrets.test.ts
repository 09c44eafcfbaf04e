import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage, HogmapsError, OptionsError } from './errors';
import { createLogger } from './logger';
import { resolveOptions } from './options/resolve';
import { maskError, maskSecrets, registerSecret, registerUrlCredentials } from './secrets';
import { readManifest, writeManifest } from './session/manifest';

const KEY = 'phx_secretsTestKeyAbCdEfGh0123456789wxyz';

describe('maskSecrets', () => {
  it('masks every occurrence of a registered key, showing only its prefix and last four characters', () => {
    registerSecret(KEY, 'api-key');
    expect(maskSecrets(`code ${KEY} and attr ${KEY}`)).toBe('code phx_…wxyz and attr phx_…wxyz');
  });

  it('masks proxy passwords, plain and percent-decoded', () => {
    registerUrlCredentials('http://ci-user:p%40ss-w0rd-proxy@proxy.test:3128');
    expect(maskSecrets('proxy said p@ss-w0rd-proxy / p%40ss-w0rd-proxy')).toBe(
      'proxy said [redacted] / [redacted]',
    );
  });

  it('masks what resolveOptions was given, before anything can print it', () => {
    const key = 'phx_fromResolveOptions0123456789abcdQRST';
    resolveOptions({ personalApiKey: key, projectId: 1, headers: { 'x-token': 'header-secret-value' } }, {});
    expect(maskSecrets(`${key} header-secret-value`)).toBe('phx_…QRST [redacted]');
  });

  it('keeps short values that would mangle ordinary text', () => {
    registerSecret('abc');
    expect(maskSecrets('abc')).toBe('abc');
  });
});

describe('errors and logs never hold the key', () => {
  it('masks the message, stack, fields and causes of a thrown error', () => {
    registerSecret(KEY, 'api-key');
    const cause = new Error(`socket said ${KEY}`);
    const error = new ApiError({
      status: 400,
      method: 'POST',
      url: 'http://127.0.0.1/api/x',
      body: { code: KEY, attr: KEY, detail: `echo ${KEY}` },
      retryable: false,
      cause,
    });
    const printed = inspect(error, { depth: 5 });
    expect(printed).not.toContain(KEY);
    expect(error.stack).not.toContain(KEY);
    expect(error.message).toContain('phx_…wxyz');
    expect([error.apiCode, error.attr, error.detail].join(' ')).not.toContain(KEY);
    expect(String((error.cause as Error).stack)).not.toContain(KEY);
    const wrapped = new HogmapsError('upload_failed', 'upload failed', { cause: error });
    expect(inspect(wrapped, { depth: 5 })).not.toContain(KEY);
    expect(errorMessage(`plain ${KEY}`)).toBe('plain phx_…wxyz');
    expect(maskError(`string cause ${KEY}`)).toBe('string cause phx_…wxyz');
  });

  it('masks option issues', () => {
    registerSecret(KEY, 'api-key');
    const error = new OptionsError([{ path: 'host', message: `got ${KEY}` }]);
    expect(error.issues[0]?.message).toBe('got phx_…wxyz');
    expect(error.message).not.toContain(KEY);
  });

  it('masks every log line', () => {
    registerSecret(KEY, 'api-key');
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    logger.debug(`request with ${KEY}`);
    logger.child('vite').error(`failed: ${KEY}`);
    expect(lines.join('\n')).not.toContain(KEY);
    expect(lines).toEqual(['[hogmaps] request with phx_…wxyz', '[hogmaps:vite] error: failed: phx_…wxyz']);
  });

  it('masks every string of a manifest it writes', async () => {
    registerSecret(KEY, 'api-key');
    const dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-secrets-'));
    try {
      const file = path.join(dir, 'hogmaps-manifest.json');
      await writeManifest(file, {
        manifestVersion: 1,
        tool: 'hogmaps/vite',
        createdAt: new Date(0).toISOString(),
        host: 'http://127.0.0.1:1',
        projectId: '1',
        releaseMode: 'event',
        release: null,
        chunks: [
          {
            chunkId: '0c7f7d5e-9f0a-4c43-8d3c-000000000001',
            file: 'a.js',
            map: null,
            status: 'failed',
            error: `server said ${KEY}`,
          },
        ],
      });
      expect(await readFile(file, 'utf8')).not.toContain(KEY);
      expect((await readManifest(file)).chunks[0]?.error).toBe('server said phx_…wxyz');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
