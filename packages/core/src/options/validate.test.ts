import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors';
import { resolveOptions } from './resolve';
import type { Options } from './types';
import { describeValue, suggest } from './validate';

const KEY = 'phx_k3y0123456789abcdefghijklmnopqrstuvwxyzABCD';
const OTHER_KEY = 'phx_0therKey0123456789abcdefghijklmnopqrstuvwx';

/** Resolves and returns the OptionsError, failing the test when nothing was thrown. */
function optionsError(options: unknown, env: NodeJS.ProcessEnv = {}): OptionsError {
  try {
    resolveOptions(options as Options, env);
  } catch (error) {
    expect(error).toBeInstanceOf(OptionsError);
    return error as OptionsError;
  }
  throw new Error('expected resolveOptions to throw');
}

function issuePaths(options: unknown): string[] {
  return optionsError(options).issues.map((issue) => issue.path);
}

describe('validation', () => {
  it('reports every invalid option at once', () => {
    const error = optionsError({
      enabled: 'yes',
      personalApiKey: 12,
      projectId: 'my-project',
      host: 'us.i.posthog.com',
      logLevel: 'verbose',
      sourcemaps: {
        enabled: 1,
        releaseName: 3,
        releaseVersion: {},
        build: Number.NaN,
        deleteAfterUpload: 'true',
        batchSize: 0,
        releaseMode: 'events',
      },
      failOnError: null,
      concurrency: 100,
      timeout: -1,
      retries: 1.5,
      proxy: 'socks5://proxy:1080',
      headers: { Authorization: 'Bearer x', 'bad name': 'v', 'X-Num': 5 },
      include: [42],
      exclude: {},
      dryRun: 'no',
      manifest: 3,
      uploadInWatchMode: 'always',
      force: true,
      skipOnConflict: true,
      compression: 'gzip',
      uploadThread: 'thread',
    });
    const paths = error.issues.map((issue) => issue.path);
    expect(paths.sort()).toEqual(
      [
        'enabled',
        'personalApiKey',
        'projectId',
        'host',
        'logLevel',
        'sourcemaps.enabled',
        'sourcemaps.releaseName',
        'sourcemaps.releaseVersion',
        'sourcemaps.build',
        'sourcemaps.deleteAfterUpload',
        'sourcemaps.batchSize',
        'sourcemaps.releaseMode',
        'failOnError',
        'concurrency',
        'timeout',
        'retries',
        'proxy',
        'headers.Authorization',
        'headers["bad name"]',
        'headers["X-Num"]',
        'include[0]',
        'exclude',
        'dryRun',
        'manifest',
        'uploadInWatchMode',
        'force',
        'compression',
        'uploadThread',
      ].sort(),
    );
    for (const issue of error.issues) expect(error.message).toContain(`  - ${issue.path}: ${issue.message}`);
    expect(error.message).toMatch(/^Invalid hogmaps options \(28 problems\):\n/);
    expect(error.code).toBe('invalid_options');
  });

  it('says what was expected and what was got', () => {
    const messages = Object.fromEntries(
      optionsError({
        concurrency: 0,
        host: 'us.i.posthog.com',
        logLevel: 'warning',
        compression: 'zst',
        uploadThread: 'workers',
        manifest: 'dist/',
        sourcemaps: { batchSize: '50' },
      }).issues.map((issue) => [issue.path, issue.message]),
    );
    expect(messages).toEqual({
      concurrency: 'expected an integer from 1 to 64, got 0',
      host: 'expected an http(s) URL such as https://us.i.posthog.com, got "us.i.posthog.com" (add https://)',
      logLevel:
        "expected one of 'debug', 'info', 'warn', 'error', 'silent', got \"warning\" (did you mean 'warn'?)",
      compression: "expected one of 'auto', 'zstd', 'none', got \"zst\" (did you mean 'zstd'?)",
      uploadThread: "expected one of 'auto', 'worker', 'main', got \"workers\" (did you mean 'worker'?)",
      manifest: 'expected a file name, got a directory ("dist/")',
      'sourcemaps.batchSize': 'expected an integer from 1 to 1000, got "50"',
    });
  });

  it('rejects options that are not an object', () => {
    expect(optionsError('phx_abc').issues).toEqual([
      {
        path: 'options',
        message: 'expected an object, got a string that looks like a PostHog API key (not shown)',
      },
    ]);
    expect(issuePaths({ sourcemaps: true })).toEqual(['sourcemaps']);
    expect(issuePaths({ headers: ['x'] })).toEqual(['headers']);
  });

  it('rejects host URLs with credentials, queries or another scheme', () => {
    expect(issuePaths({ host: 'https://user:pw@ph.example.com' })).toEqual(['host']);
    expect(issuePaths({ host: 'https://ph.example.com/?a=1' })).toEqual(['host']);
    expect(issuePaths({ host: 'ws://ph.example.com' })).toEqual(['host']);
  });

  it('rejects headers the client manages', () => {
    const error = optionsError({ headers: { authorization: 'x', 'Content-Length': '1', 'X-Ok': 'fine' } });
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'headers.authorization',
      'headers["Content-Length"]',
    ]);
    expect(error.issues[0]?.message).toContain('set personalApiKey');
    expect(issuePaths({ headers: { 'X-A': '1', 'x-a': '2' } })).toEqual(['headers["x-a"]']);
    expect(issuePaths({ headers: { 'X-A': 'a\r\nInjected: 1' } })).toEqual(['headers["X-A"]']);
  });

  it('rejects force with skipOnConflict', () => {
    expect(optionsError({ force: true, skipOnConflict: true }).issues).toEqual([
      { path: 'force', message: 'cannot be combined with skipOnConflict: true; choose one' },
    ]);
  });

  it('explains PostHog key mix-ups', () => {
    const message = (key: string) => optionsError({ personalApiKey: key }).issues[0]?.message;
    expect(message('phc_projectKey0123456789abcdefghijklmnopq')).toContain('got a project API key (phc_…)');
    expect(message(`Bearer ${KEY}`)).toContain('remove what comes before phx_');
    expect(message('0123456789abcdef')).toBe(
      'expected a personal API key starting with phx_, got a 16-character string without that prefix',
    );
  });
});

describe('unknown options', () => {
  it('suggests the closest option for typos', () => {
    const messages = Object.fromEntries(
      optionsError({
        personalApiKye: KEY,
        projectID: 1,
        concurency: 2,
        sourceMaps: {},
        sourcemaps: { deleteAfterUplaod: false, releaseNmae: 'x' },
      }).issues.map((issue) => [issue.path, issue.message]),
    );
    expect(messages).toEqual({
      personalApiKye: 'unknown option; did you mean personalApiKey?',
      projectID: 'unknown option; did you mean projectId?',
      concurency: 'unknown option; did you mean concurrency?',
      sourceMaps: 'unknown option; did you mean sourcemaps?',
      'sourcemaps.deleteAfterUplaod': 'unknown option; did you mean sourcemaps.deleteAfterUpload?',
      'sourcemaps.releaseNmae': 'unknown option; did you mean sourcemaps.releaseName?',
    });
  });

  it('points at the right level and at other tools spellings', () => {
    const messages = Object.fromEntries(
      optionsError({
        deleteAfterUpload: false,
        authToken: 'x',
        silent: true,
        sourcemaps: { concurrency: 3 },
      }).issues.map((issue) => [issue.path, issue.message]),
    );
    expect(messages).toEqual({
      deleteAfterUpload: 'unknown option; did you mean sourcemaps.deleteAfterUpload?',
      authToken: 'unknown option; did you mean personalApiKey?',
      silent: "unknown option; did you mean logLevel: 'silent'?",
      'sourcemaps.concurrency': 'unknown option; did you mean concurrency at the top level?',
    });
  });

  it('reports a key with no close match without a suggestion', () => {
    expect(optionsError({ frobnicate: 1 }).issues).toEqual([
      { path: 'frobnicate', message: 'unknown option' },
    ]);
  });
});

describe('secrets', () => {
  it('never echoes a key, a header value or a proxy password in an error', () => {
    const headerToken = 'cf-access-token-0123456789';
    const error = optionsError(
      {
        personalApiKey: 'sk_live_0123456789abcdef',
        projectId: KEY,
        host: `https://ph.example.com/?key=${KEY}`,
        headers: { 'X-Access': headerToken, 'X-Bad': `${headerToken}\n` },
        proxy: 'ftp://user:hunter2secret@proxy:21',
        sourcemaps: { releaseName: OTHER_KEY, releaseVersion: ['x'] },
        // Only the final redaction catches a secret pasted into an unrelated option.
        compression: 'sk_live_0123456789abcdef' as never,
      },
      { POSTHOG_CLI_API_KEY: OTHER_KEY },
    );
    expect(error.issues.length).toBeGreaterThanOrEqual(5);
    for (const secret of ['sk_live_0123456789abcdef', KEY, OTHER_KEY, headerToken, 'hunter2secret']) {
      expect(error.message).not.toContain(secret);
    }
    expect(error.message).toContain('the project id is the number in your PostHog URL');
  });
});

describe('suggest', () => {
  it.each([
    ['personalApiKye', 'personalApiKey'],
    ['PROJECTID', 'projectId'],
    ['warning', 'warn'],
    ['evnt', 'event'],
    ['xyz', undefined],
  ])('%s → %s', (input, expected) => {
    expect(suggest(input, ['personalApiKey', 'projectId', 'warn', 'error', 'event'])).toBe(expected);
  });
});

describe('describeValue', () => {
  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    ['', 'an empty string'],
    [' ', 'a blank string'],
    ['a'.repeat(50), `"${'a'.repeat(40)}…"`],
    [`x phx_${'a'.repeat(20)}`, 'a string that looks like a PostHog API key (not shown)'],
    [3, '3'],
    [[1], 'an array'],
    [{}, 'an object'],
    [/a/i, '/a/i'],
    [() => true, 'a function'],
  ])('%s → %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });
});
