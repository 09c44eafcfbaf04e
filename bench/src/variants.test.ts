import { describe, expect, test } from 'vitest';
import { parseVariants, variantsFor } from './variants';

describe('variants', () => {
  test('the reference plugins run only when named', () => {
    expect(parseVariants(undefined)).toEqual(['baseline', 'inject', 'upload', 'sentry', 'posthog']);
    expect(parseVariants('placeholder,read,rewrite')).toEqual(['baseline', 'read', 'rewrite', 'placeholder']);
  });

  test('each reference runs only on the bundlers it is written for', () => {
    const ids = (bundler: Parameters<typeof variantsFor>[0]) => variantsFor(bundler).map((v) => v.id);
    expect(ids('rolldown')).toEqual(expect.arrayContaining(['read', 'rewrite', 'placeholder']));
    expect(ids('vite')).toEqual(expect.arrayContaining(['read', 'rewrite', 'placeholder']));
    expect(ids('rollup')).toEqual(expect.arrayContaining(['read', 'rewrite']));
    // rollup has no postBanner for the bundler to fill a placeholder into.
    expect(ids('rollup')).not.toContain('placeholder');
    for (const bundler of ['webpack', 'rspack', 'esbuild'] as const) {
      for (const reference of ['read', 'rewrite', 'placeholder'] as const)
        expect(ids(bundler)).not.toContain(reference);
    }
  });

  test('an unknown variant is refused with the known ones listed', () => {
    expect(() => parseVariants('inject,rewrte')).toThrow(/unknown variant\(s\): rewrte \(known: .*rewrite/);
  });
});
