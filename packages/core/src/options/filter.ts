import picomatch from 'picomatch';
import type { FilePattern } from './types';
import type { Issues } from './validate';

type Matcher = (fileName: string) => boolean;

/**
 * Turns `include` / `exclude` into one predicate, once, so hooks never re-inspect option shapes.
 * A file passes when it matches some include pattern (or there are none) and no exclude pattern.
 */
export function createFileFilter(issues: Issues, include: unknown, exclude: unknown): Matcher {
  const includes = compilePatterns(issues, 'include', include);
  const excludes = compilePatterns(issues, 'exclude', exclude);
  return (fileName) => {
    const name = normalizeFileName(fileName);
    if (includes.length > 0 && !includes.some((matches) => matches(name))) return false;
    return !excludes.some((matches) => matches(name));
  };
}

/** Forward slashes, no leading `./`, no `?query` (webpack's `[name].js?[contenthash]`). */
export function normalizeFileName(fileName: string): string {
  return fileName
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\?.*$/s, '');
}

function compilePatterns(issues: Issues, path: string, value: unknown): Matcher[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    const matcher = compilePattern(issues, path, value);
    return matcher ? [matcher] : [];
  }
  const matchers: Matcher[] = [];
  value.forEach((item, index) => {
    const matcher = compilePattern(issues, `${path}[${index}]`, item);
    if (matcher) matchers.push(matcher);
  });
  return matchers;
}

function compilePattern(issues: Issues, path: string, pattern: unknown): Matcher | undefined {
  if (typeof pattern === 'function') {
    const predicate = pattern as FilePattern & Matcher;
    return (name) => Boolean(predicate(name));
  }
  if (pattern instanceof RegExp) {
    // A copy without g/y: their lastIndex makes test() alternate between true and false.
    const regexp = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    return (name) => regexp.test(name);
  }
  if (typeof pattern === 'string' && pattern.trim() !== '') {
    const glob = pattern.replace(/^(\.\/)+/, '');
    try {
      const matches = picomatch(glob, { dot: true, strictBrackets: true });
      // A glob without a slash matches the base name, so `*.worker.js` works in any folder.
      // (picomatch's own `basename` option also rewrites globs that have slashes.)
      if (glob.includes('/')) return matches;
      return (name) => matches(name.slice(name.lastIndexOf('/') + 1));
    } catch (error) {
      issues.add(path, `invalid glob ${JSON.stringify(pattern)}: ${(error as Error).message}`);
      return undefined;
    }
  }
  issues.expected(path, 'a glob string, a RegExp or a function (fileName) => boolean', pattern);
  return undefined;
}
