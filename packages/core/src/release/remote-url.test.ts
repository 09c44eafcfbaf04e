import { describe, expect, it } from 'vitest';
import { repoNameFromRemoteUrl, sanitizeRemoteUrl } from './remote-url';

describe('sanitizeRemoteUrl', () => {
  it.each([
    ['https://user:tok@host/acme/app.git?x=1#y', 'https://host/acme/app.git'],
    ['https://x-access-token:ghs_abc@github.com/acme/app', 'https://github.com/acme/app.git'],
    ['https://ghp_secret@github.com/acme/app.git', 'https://github.com/acme/app.git'],
    [
      'https://gitlab-ci-token:glcbt-xyz@gitlab.com/group/sub/app.git',
      'https://gitlab.com/group/sub/app.git',
    ],
    ['https://github.com/acme/app/', 'https://github.com/acme/app.git'],
    ['git@github.com:acme/app.git', 'git@github.com:acme/app.git'],
    ['git@github.com:acme/app', 'git@github.com:acme/app.git'],
    ['deploy:hunter2@example.com:acme/app.git', 'deploy@example.com:acme/app.git'],
    ['github.com:acme/app.git', 'github.com:acme/app.git'],
    ['ssh://git:pw@github.com:22/acme/app.git', 'ssh://git@github.com:22/acme/app.git'],
    ['git://example.com/acme/app', 'git://example.com/acme/app.git'],
    ['/srv/git/app', '/srv/git/app.git'],
    ['https://example.com', 'https://example.com'],
  ])('%s -> %s', (input, expected) => {
    expect(sanitizeRemoteUrl(input)).toBe(expected);
  });

  it('gives undefined for empty input', () => {
    expect(sanitizeRemoteUrl('')).toBeUndefined();
    expect(sanitizeRemoteUrl('  ')).toBeUndefined();
    expect(sanitizeRemoteUrl(undefined)).toBeUndefined();
  });
});

describe('repoNameFromRemoteUrl', () => {
  it.each([
    ['https://user:tok@host/acme/app.git?x=1#y', 'app'],
    ['git@github.com:acme/web-app.git', 'web-app'],
    ['https://gitlab.com/group/sub/project/', 'project'],
    ['C:\\repos\\thing.git', 'thing'],
  ])('%s -> %s', (input, expected) => {
    expect(repoNameFromRemoteUrl(input)).toBe(expected);
  });

  it('gives undefined when there is no path', () => {
    expect(repoNameFromRemoteUrl('https://example.com')).toBeUndefined();
    expect(repoNameFromRemoteUrl('')).toBeUndefined();
  });
});
