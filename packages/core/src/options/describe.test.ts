import { describe, expect, it } from 'vitest';
import { describeMissingCredentials, describeOptions, maskApiKey } from './describe';
import { resolveOptions } from './resolve';

const KEY = 'phx_k3y0123456789abcdefghijklmnopqrstuvwxyzABCD';

describe('maskApiKey', () => {
  it('keeps the prefix and the last four characters only', () => {
    expect(maskApiKey(KEY)).toBe('phx_…ABCD');
    expect(maskApiKey('phx_short')).toBe('phx_…');
  });
});

describe('describeOptions', () => {
  it('describes the resolved options without the key, header values or proxy password', () => {
    const resolved = resolveOptions(
      {
        personalApiKey: KEY,
        projectId: 42,
        headers: { 'X-Access': 'header-secret-value' },
        proxy: 'http://user:proxy-password@proxy:3128',
        sourcemaps: { releaseName: 'web', releaseVersion: '1.0.0', build: '9' },
      },
      {},
    );
    const line = describeOptions(resolved);
    expect(line).toContain('project=42 (projectId) key=phx_…ABCD (personalApiKey)');
    expect(line).toContain('release=web@1.0.0+9');
    expect(line).toContain('proxy=http://user:***@proxy:3128');
    expect(line).toContain('headers=x-access');
    expect(line).toContain('conflicts=force');
    for (const secret of [KEY, 'header-secret-value', 'proxy-password']) expect(line).not.toContain(secret);
    expect(line).not.toContain('\n');
  });

  it('says what is missing and what will be detected', () => {
    const line = describeOptions(resolveOptions({}, {}));
    expect(line).toContain('credentials=none (missing personalApiKey, projectId)');
    expect(line).toContain('release=(detect)@(detect)');
    expect(line).toContain('proxy=none');
  });
});

describe('describeMissingCredentials', () => {
  it('names each missing credential with its variables', () => {
    expect(describeMissingCredentials(resolveOptions({ personalApiKey: KEY }, {}))).toBe(
      'no PostHog credentials: chunk ids are injected but nothing is uploaded; set projectId (or POSTHOG_CLI_PROJECT_ID / POSTHOG_CLI_ENV_ID)',
    );
    expect(describeMissingCredentials(resolveOptions({}, {}))).toContain(
      'set personalApiKey (or POSTHOG_PERSONAL_API_KEY / POSTHOG_CLI_API_KEY / POSTHOG_CLI_TOKEN) and projectId',
    );
    expect(
      describeMissingCredentials(resolveOptions({ personalApiKey: KEY, projectId: 1 }, {})),
    ).toBeUndefined();
  });
});
