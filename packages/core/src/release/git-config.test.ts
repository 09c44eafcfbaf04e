import { describe, expect, it } from 'vitest';
import { getConfigValue, parseGitConfig } from './git-config';

describe('parseGitConfig', () => {
  it('reads sections, subsections, quoting, escapes, comments and continuations', () => {
    const text = [
      '# leading comment',
      '[core]',
      '\tbare = false ; trailing comment',
      '\tfilemode',
      '[Remote "Origin"]',
      '\tURL = "https://example.com/a b.git" # comment',
      '\tfetch = +refs/heads/*:refs/remotes/origin/*',
      '[remote "up\\"stream"] url = git@host:x/y.git',
      '[branch.Main]',
      '\tmerge = refs/heads/\\',
      'main',
      '[alias]',
      '\tsay = "echo \\"hi\\"\\tthere" ',
      '',
    ].join('\r\n');
    expect(parseGitConfig(text)).toEqual([
      { section: 'core', subsection: undefined, key: 'bare', value: 'false' },
      { section: 'core', subsection: undefined, key: 'filemode', value: true },
      { section: 'remote', subsection: 'Origin', key: 'url', value: 'https://example.com/a b.git' },
      { section: 'remote', subsection: 'Origin', key: 'fetch', value: '+refs/heads/*:refs/remotes/origin/*' },
      { section: 'remote', subsection: 'up"stream', key: 'url', value: 'git@host:x/y.git' },
      { section: 'branch', subsection: 'main', key: 'merge', value: 'refs/heads/main' },
      { section: 'alias', subsection: undefined, key: 'say', value: 'echo "hi"\tthere' },
    ]);
  });

  it('ignores keys before any section and garbage lines', () => {
    expect(parseGitConfig('orphan = 1\n[core]\n!!!\nok = yes\n')).toEqual([
      { section: 'core', subsection: undefined, key: 'ok', value: 'yes' },
    ]);
  });

  it('returns the last value of a plain section key', () => {
    const entries = parseGitConfig('[extensions]\nrefStorage = files\n[extensions]\nrefstorage = reftable\n');
    expect(getConfigValue(entries, 'extensions', 'refstorage')).toBe('reftable');
    expect(getConfigValue(entries, 'core', 'bare')).toBeUndefined();
  });
});
