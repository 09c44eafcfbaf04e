import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors';
import { resolveOptions } from './resolve';
import type { Options } from './types';

const KEY = 'phx_k3y0123456789abcdefghijklmnopqrstuvwxyzABCD';
const OTHER_KEY = 'phx_0therKey0123456789abcdefghijklmnopqrstuvwx';
const NO_ENV = {};

/** Resolves and returns the OptionsError, failing the test when nothing was thrown. */
function optionsError(options: unknown, env: NodeJS.ProcessEnv = NO_ENV): OptionsError {
  try {
    resolveOptions(options as Options, env);
  } catch (error) {
    expect(error).toBeInstanceOf(OptionsError);
    return error as OptionsError;
  }
  throw new Error('expected resolveOptions to throw');
}

function issuePaths(options: unknown, env: NodeJS.ProcessEnv = NO_ENV): string[] {
  return optionsError(options, env).issues.map((issue) => issue.path);
}

describe('resolveOptions defaults', () => {
  it('fills every field when nothing is given', () => {
    const resolved = resolveOptions(undefined, NO_ENV, { cwd: '/tmp/project' });
    expect(resolved).toMatchObject({
      enabled: true,
      credentials: undefined,
      missingCredentials: ['personalApiKey', 'projectId'],
      apiKeySource: undefined,
      projectIdSource: undefined,
      host: 'https://us.i.posthog.com',
      logLevel: 'info',
      sourcemaps: { enabled: true, deleteAfterUpload: true, batchSize: 50, releaseMode: 'event' },
      release: { name: undefined, version: undefined, build: undefined },
      failOnError: false,
      concurrency: 10,
      timeout: 30_000,
      retries: 2,
      proxy: undefined,
      headers: {},
      dryRun: false,
      manifest: { enabled: true, fileName: 'hogmaps-manifest.json' },
      uploadInWatchMode: false,
      force: true,
      skipOnConflict: false,
      compression: 'auto',
      uploadThread: 'auto',
      cwd: path.resolve('/tmp/project'),
      notes: [],
    });
    expect(resolved.filter('assets/index-abc.js')).toBe(true);
    // No option, no variable: no request can be proxied, and that is visible as no function at all.
    expect(resolved.proxyFor).toBeUndefined();
  });

  it('defaults cwd to the process working directory and resolves a relative one', () => {
    expect(resolveOptions({}, NO_ENV).cwd).toBe(process.cwd());
    expect(resolveOptions({}, NO_ENV, { cwd: 'apps/web' }).cwd).toBe(path.resolve('apps/web'));
  });

  it('keeps every explicit value', () => {
    const resolved = resolveOptions(
      {
        enabled: false,
        personalApiKey: KEY,
        projectId: 42,
        host: 'https://eu.i.posthog.com/',
        logLevel: 'debug',
        sourcemaps: {
          enabled: false,
          releaseName: 'web',
          releaseVersion: '1.2.3',
          build: 7,
          deleteAfterUpload: false,
          batchSize: 1000,
          releaseMode: 'symbol-set',
        },
        failOnError: true,
        concurrency: 64,
        timeout: 5,
        retries: 0,
        proxy: 'http://proxy.example:3128',
        headers: { 'X-Team': 'web' },
        dryRun: true,
        manifest: 'out/upload.json',
        uploadInWatchMode: true,
        skipOnConflict: true,
        compression: 'none',
        uploadThread: 'worker',
      },
      NO_ENV,
    );
    expect(resolved).toMatchObject({
      enabled: false,
      credentials: { apiKey: KEY, projectId: '42' },
      missingCredentials: [],
      apiKeySource: 'personalApiKey',
      projectIdSource: 'projectId',
      host: 'https://eu.i.posthog.com',
      logLevel: 'debug',
      sourcemaps: { enabled: false, deleteAfterUpload: false, batchSize: 1000, releaseMode: 'symbol-set' },
      release: { name: 'web', version: '1.2.3', build: '7' },
      failOnError: true,
      concurrency: 64,
      timeout: 5,
      retries: 0,
      proxy: 'http://proxy.example:3128',
      headers: { 'x-team': 'web' },
      dryRun: true,
      manifest: { enabled: true, fileName: 'out/upload.json' },
      uploadInWatchMode: true,
      force: false,
      skipOnConflict: true,
      compression: 'none',
      uploadThread: 'worker',
    });
  });

  it('keeps a self-hosted path and strips only trailing slashes from the host', () => {
    expect(resolveOptions({ host: 'http://localhost:8010/posthog//' }, NO_ENV).host).toBe(
      'http://localhost:8010/posthog',
    );
  });

  it('resolves sourcemaps.releaseInjection, entries by default', () => {
    expect(resolveOptions({}, NO_ENV).sourcemaps.releaseInjection).toBe('entries');
    expect(
      resolveOptions({ sourcemaps: { releaseInjection: 'startup-chunks' } }, NO_ENV).sourcemaps
        .releaseInjection,
    ).toBe('startup-chunks');
    expect(
      resolveOptions({ sourcemaps: { releaseInjection: 'every-chunk' } }, NO_ENV).sourcemaps.releaseInjection,
    ).toBe('every-chunk');
    expect(
      resolveOptions({ sourcemaps: { releaseInjection: 'entry-chunks' } }, NO_ENV).sourcemaps
        .releaseInjection,
    ).toBe('entry-chunks');
    expect(() =>
      resolveOptions({ sourcemaps: { releaseInjection: 'every-chunks' as never } }, NO_ENV),
    ).toThrow(
      /sourcemaps\.releaseInjection: expected one of 'entries', 'entry-chunks', 'startup-chunks', 'every-chunk', got "every-chunks" \(did you mean 'every-chunk'\?\)/,
    );
  });

  it('resolves the manifest option', () => {
    expect(resolveOptions({ manifest: false }, NO_ENV).manifest).toEqual({
      enabled: false,
      fileName: 'hogmaps-manifest.json',
    });
    expect(resolveOptions({ manifest: true }, NO_ENV).manifest.enabled).toBe(true);
    expect(resolveOptions({ manifest: '/abs/m.json' }, NO_ENV).manifest.fileName).toBe('/abs/m.json');
  });

  it('defaults force in both release modes (ids are content-derived), unless skipOnConflict is set', () => {
    const symbolSet = resolveOptions({ sourcemaps: { releaseMode: 'symbol-set' } }, NO_ENV);
    expect([symbolSet.force, symbolSet.skipOnConflict]).toEqual([true, false]);
    const symbolSetSkip = resolveOptions(
      { sourcemaps: { releaseMode: 'symbol-set' }, skipOnConflict: true },
      NO_ENV,
    );
    expect([symbolSetSkip.force, symbolSetSkip.skipOnConflict]).toEqual([false, true]);
    const eventSkip = resolveOptions({ skipOnConflict: true }, NO_ENV);
    expect([eventSkip.force, eventSkip.skipOnConflict]).toEqual([false, true]);
    expect(resolveOptions({ force: false }, NO_ENV).force).toBe(false);
    expect(resolveOptions({ force: true, sourcemaps: { releaseMode: 'symbol-set' } }, NO_ENV).force).toBe(
      true,
    );
  });
});

describe('PostHog plugin aliases', () => {
  it('accepts the deprecated envId with a warning note', () => {
    const resolved = resolveOptions({ personalApiKey: KEY, envId: '7' }, NO_ENV);
    expect(resolved.credentials).toEqual({ apiKey: KEY, projectId: '7' });
    expect(resolved.projectIdSource).toBe('envId');
    expect(resolved.notes).toContainEqual({ level: 'warn', message: 'envId is deprecated: use projectId' });
  });

  it('accepts projectId and envId together when they agree, and rejects them when not', () => {
    expect(resolveOptions({ projectId: 7, envId: '7' }, NO_ENV).projectIdSource).toBe('projectId');
    const error = optionsError({ projectId: 7, envId: 8 });
    expect(error.issues).toEqual([
      { path: 'envId', message: 'conflicts with projectId (7); remove the deprecated envId' },
    ]);
  });

  it('accepts sourcemaps.project and sourcemaps.version', () => {
    const resolved = resolveOptions(
      { sourcemaps: { project: 'shop', version: 'abc123', build: '12' } },
      NO_ENV,
    );
    expect(resolved.release).toEqual({ name: 'shop', version: 'abc123', build: '12' });
    expect(resolved.notes.map((note) => note.level)).toEqual(['debug', 'debug']);
  });

  it('rejects an alias that disagrees with the new name', () => {
    expect(
      issuePaths({ sourcemaps: { releaseName: 'a', project: 'b', releaseVersion: '1', version: '2' } }),
    ).toEqual(['sourcemaps.project', 'sourcemaps.version']);
  });

  it('accepts cliBinaryPath and ignores it with a debug note', () => {
    const resolved = resolveOptions({ cliBinaryPath: '/usr/local/bin/posthog-cli' }, NO_ENV);
    expect(resolved.notes).toEqual([
      { level: 'debug', message: 'cliBinaryPath is ignored: hogmaps needs no native binary' },
    ]);
  });
});

describe('environment fallbacks', () => {
  it('reads every variable when no option is given', () => {
    const resolved = resolveOptions(undefined, {
      POSTHOG_CLI_API_KEY: KEY,
      POSTHOG_CLI_PROJECT_ID: ' 99\n',
      POSTHOG_CLI_HOST: 'http://127.0.0.1:8010/',
      POSTHOG_RELEASE_MODE: 'symbol-set',
    });
    expect(resolved.credentials).toEqual({ apiKey: KEY, projectId: '99' });
    expect(resolved.apiKeySource).toBe('POSTHOG_CLI_API_KEY');
    expect(resolved.projectIdSource).toBe('POSTHOG_CLI_PROJECT_ID');
    expect(resolved.host).toBe('http://127.0.0.1:8010');
    expect(resolved.sourcemaps.releaseMode).toBe('symbol-set');
    expect(resolved.force).toBe(true);
    expect(resolved.notes).toContainEqual({
      level: 'debug',
      message: 'release mode symbol-set from POSTHOG_RELEASE_MODE',
    });
  });

  it.each([
    [
      { POSTHOG_PERSONAL_API_KEY: KEY, POSTHOG_CLI_API_KEY: OTHER_KEY, POSTHOG_CLI_TOKEN: OTHER_KEY },
      'POSTHOG_PERSONAL_API_KEY',
    ],
    [{ POSTHOG_CLI_API_KEY: KEY, POSTHOG_CLI_TOKEN: OTHER_KEY }, 'POSTHOG_CLI_API_KEY'],
    [{ POSTHOG_CLI_TOKEN: KEY }, 'POSTHOG_CLI_TOKEN'],
    [
      { POSTHOG_PERSONAL_API_KEY: '  ', POSTHOG_CLI_API_KEY: '', POSTHOG_CLI_TOKEN: KEY },
      'POSTHOG_CLI_TOKEN',
    ],
  ])('key precedence %#: %s wins', (env, source) => {
    const resolved = resolveOptions({ projectId: 1 }, env);
    expect(resolved.credentials?.apiKey).toBe(KEY);
    expect(resolved.apiKeySource).toBe(source);
  });

  it('prefers the explicit key and project id over every variable', () => {
    const env = {
      POSTHOG_PERSONAL_API_KEY: OTHER_KEY,
      POSTHOG_CLI_PROJECT_ID: '2',
      POSTHOG_CLI_HOST: 'https://eu.i.posthog.com',
      POSTHOG_RELEASE_MODE: 'symbol-set',
    };
    const resolved = resolveOptions(
      {
        personalApiKey: KEY,
        projectId: '1',
        host: 'https://ph.example.com',
        sourcemaps: { releaseMode: 'event' },
      },
      env,
    );
    expect(resolved.credentials).toEqual({ apiKey: KEY, projectId: '1' });
    expect(resolved.host).toBe('https://ph.example.com');
    expect(resolved.sourcemaps.releaseMode).toBe('event');
  });

  it('treats blank options as unset so the environment still applies', () => {
    const resolved = resolveOptions(
      { personalApiKey: '', projectId: ' ', host: '' },
      { POSTHOG_CLI_TOKEN: KEY, POSTHOG_CLI_ENV_ID: '5' },
    );
    expect(resolved.credentials).toEqual({ apiKey: KEY, projectId: '5' });
    expect(resolved.host).toBe('https://us.i.posthog.com');
  });

  it('prefers POSTHOG_CLI_PROJECT_ID over the legacy POSTHOG_CLI_ENV_ID', () => {
    const resolved = resolveOptions({}, { POSTHOG_CLI_PROJECT_ID: '3', POSTHOG_CLI_ENV_ID: '4' });
    expect(resolved.missingCredentials).toEqual(['personalApiKey']);
    expect(resolved.projectIdSource).toBe('POSTHOG_CLI_PROJECT_ID');
    expect(resolveOptions({}, { POSTHOG_CLI_ENV_ID: '4' }).projectIdSource).toBe('POSTHOG_CLI_ENV_ID');
  });

  it('leaves credentials undefined (inject only) when one of the two is missing', () => {
    const resolved = resolveOptions({ personalApiKey: KEY }, NO_ENV);
    expect(resolved.credentials).toBeUndefined();
    expect(resolved.missingCredentials).toEqual(['projectId']);
    expect(resolved.apiKeySource).toBe('personalApiKey');
  });

  it('names the variable when an environment value is invalid', () => {
    const error = optionsError(undefined, {
      POSTHOG_CLI_API_KEY: 'not-a-key',
      POSTHOG_CLI_PROJECT_ID: 'abc',
      POSTHOG_CLI_HOST: 'ftp://example.com',
      POSTHOG_RELEASE_MODE: 'symbolset',
    });
    const messages = Object.fromEntries(error.issues.map((issue) => [issue.path, issue.message]));
    expect(messages.personalApiKey).toContain('(from POSTHOG_CLI_API_KEY)');
    expect(messages.projectId).toContain('(from POSTHOG_CLI_PROJECT_ID)');
    expect(messages.host).toContain('(from POSTHOG_CLI_HOST)');
    expect(messages['sourcemaps.releaseMode']).toBe(
      "expected one of 'symbol-set', 'event' (from POSTHOG_RELEASE_MODE), got \"symbolset\" (did you mean 'symbol-set'?)",
    );
  });
});

describe('immutability', () => {
  it('never mutates the user object and freezes the result', () => {
    const options = {
      personalApiKey: ` ${KEY} `,
      projectId: 1,
      headers: { 'X-Team': 'web' },
      include: ['**/*.js'],
      sourcemaps: { project: 'shop' },
    };
    const snapshot = JSON.stringify(options);
    const frozen = deepFreeze(options);
    const resolved = resolveOptions(frozen, NO_ENV);
    expect(JSON.stringify(options)).toBe(snapshot);

    expect(Object.isFrozen(resolved)).toBe(true);
    for (const child of [
      resolved.sourcemaps,
      resolved.release,
      resolved.headers,
      resolved.manifest,
      resolved.credentials,
      resolved.notes,
      resolved.missingCredentials,
    ]) {
      expect(Object.isFrozen(child)).toBe(true);
    }
    expect(() => {
      (resolved as { host: string }).host = 'https://evil.example';
    }).toThrow(TypeError);
    expect(resolved.headers).not.toBe(options.headers);
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
