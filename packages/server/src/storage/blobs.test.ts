import { expect, test } from 'vitest';
import { isSafeKey } from './blobs';

test('only plain relative keys are safe', () => {
  for (const key of ['symbolsets/0190a0a0-1234-7abc-8def-0123456789ab', 'a', 'a/b.c/d_e-f']) {
    expect(isSafeKey(key), key).toBe(true);
  }
  for (const key of [
    '',
    '/etc/passwd',
    '../x',
    'a/../../x',
    'a/./b',
    'a//b',
    'a\\b',
    'a/b/',
    '..',
    'a%2Fb',
    'x'.repeat(600),
  ]) {
    expect(isSafeKey(key), key).toBe(false);
  }
});
