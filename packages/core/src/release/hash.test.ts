import { describe, expect, it } from 'vitest';
import { computeReleaseHashId, packVersion } from './hash';

describe('packVersion', () => {
  it('joins version and build with a plus', () => {
    expect(packVersion('1.0', '1')).toBe('1.0+1');
  });

  it('uses either part alone', () => {
    expect(packVersion('2.3')).toBe('2.3');
    expect(packVersion(undefined, '42')).toBe('42');
    expect(packVersion('', '42')).toBe('42');
  });

  it('gives undefined when both are missing', () => {
    expect(packVersion()).toBeUndefined();
    expect(packVersion('', '')).toBeUndefined();
  });
});

describe('computeReleaseHashId', () => {
  // The golden vectors of posthog-protocol.md 4.1.
  it('matches PostHog for com.example.app 2.3', () => {
    expect(computeReleaseHashId('com.example.app', packVersion('2.3')!)).toBe(
      '09aeeb69b914985562d4aa39d13033abf0f90c753ef90b0148cb06b8aeadca7dd1dd853fa24c7cc51d18cf251bb7348eae58906347a217a98d74ba7ca5673b66',
    );
  });

  it('matches PostHog for com.posthog.iosraw 1.0 build 1', () => {
    expect(computeReleaseHashId('com.posthog.iosraw', packVersion('1.0', '1')!)).toBe(
      '75605cac5268ba4bdc57b4c8336f6686802e88236ae4026418a18cabcde854d1015f18734489b8ec4c71c68773a027e5b880f7278b8ba6864a5334d76ef9eba6',
    );
  });

  it('hashes the concatenation, so the split point does not matter', () => {
    expect(computeReleaseHashId('ab', 'c')).toBe(computeReleaseHashId('a', 'bc'));
  });

  it('encodes non-ASCII as UTF-8', () => {
    expect(computeReleaseHashId('café', '1')).toBe(computeReleaseHashId('caf', 'é1'));
    expect(computeReleaseHashId('café', '1')).toMatch(/^[0-9a-f]{128}$/);
  });
});
