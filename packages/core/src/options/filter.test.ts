import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors';
import { normalizeFileName } from './filter';
import { resolveOptions } from './resolve';
import type { Options } from './types';

function filterOf(options: Pick<Options, 'include' | 'exclude'>): (fileName: string) => boolean {
  return resolveOptions(options, {}).filter;
}

describe('filter', () => {
  it('lets every file through by default', () => {
    const filter = filterOf({});
    expect(['index.js', 'assets/a.mjs', 'deep/er/.vite/x.cjs'].every(filter)).toBe(true);
  });

  it('matches globs with a slash against the relative path', () => {
    const filter = filterOf({ include: 'assets/**' });
    expect(filter('assets/index-abc.js')).toBe(true);
    expect(filter('assets/nested/chunk.js')).toBe(true);
    expect(filter('server/entry.js')).toBe(false);
  });

  it('matches globs without a slash against the base name, dot files included', () => {
    const filter = filterOf({ exclude: '*.worker.js' });
    expect(filter('assets/search.worker.js')).toBe(false);
    expect(filter('search.worker.js')).toBe(false);
    expect(filter('assets/search.js')).toBe(true);
    expect(filterOf({ include: '*.js' })('.hidden/x.js')).toBe(true);
  });

  it('accepts a RegExp, also a global one whose lastIndex would alternate results', () => {
    const pattern = /vendor/g;
    const filter = filterOf({ exclude: pattern });
    expect([filter('vendor.js'), filter('vendor.js'), filter('vendor.js')]).toEqual([false, false, false]);
    expect(filter('app.js')).toBe(true);
    expect(pattern.lastIndex).toBe(0);
  });

  it('accepts a function and passes it the normalised name', () => {
    const seen: string[] = [];
    const filter = filterOf({
      include: (fileName) => {
        seen.push(fileName);
        return fileName.startsWith('client/');
      },
    });
    expect(filter('.\\client\\app.js?v=3')).toBe(true);
    expect(filter('server/app.js')).toBe(false);
    expect(seen).toEqual(['client/app.js', 'server/app.js']);
  });

  it('combines arrays: any include, then no exclude', () => {
    const filter = filterOf({
      include: ['assets/**', /^legacy-/, (name) => name === 'sw.js'],
      exclude: ['**/*.test.js', /polyfill/],
    });
    expect(filter('assets/a.js')).toBe(true);
    expect(filter('legacy-main.js')).toBe(true);
    expect(filter('sw.js')).toBe(true);
    expect(filter('other.js')).toBe(false);
    expect(filter('assets/a.test.js')).toBe(false);
    expect(filter('assets/polyfills.js')).toBe(false);
  });

  it('lets exclude win over include', () => {
    expect(filterOf({ include: '**/*.js', exclude: 'assets/**' })('assets/a.js')).toBe(false);
  });

  it('reports every invalid pattern with its index', () => {
    try {
      resolveOptions({ include: ['ok/**', 3, ''] as never, exclude: ['[unclosed', null] as never }, {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OptionsError);
      const issues = (error as OptionsError).issues;
      expect(issues.map((issue) => issue.path)).toEqual([
        'include[1]',
        'include[2]',
        'exclude[0]',
        'exclude[1]',
      ]);
      expect(issues[0]?.message).toBe(
        'expected a glob string, a RegExp or a function (fileName) => boolean, got 3',
      );
      expect(issues[2]?.message).toMatch(/^invalid glob "\[unclosed"/);
    }
  });
});

describe('normalizeFileName', () => {
  it.each([
    ['assets\\a.js', 'assets/a.js'],
    ['./a.js', 'a.js'],
    ['././a.js', 'a.js'],
    ['a.js?v=1&x=2', 'a.js'],
    ['dir/a.js', 'dir/a.js'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeFileName(input)).toBe(expected);
  });
});
