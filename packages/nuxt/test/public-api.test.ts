import type { Options } from '@hogmaps/core';
import { describe, expect, expectTypeOf, test } from 'vitest';
import type { HogmapsNuxtOptions } from '../src/index';
import * as api from '../src/index';

describe('@hogmaps/nuxt public API', () => {
  test('exports the module by name and as default, and nothing else at runtime', () => {
    expect(Object.keys(api).sort()).toEqual(['default', 'hogmapsNuxtModule']);
    expect(api.default).toBe(api.hogmapsNuxtModule);
    expect(typeof api.default).toBe('function');
  });

  test('is a Nuxt module named @hogmaps/nuxt, configured under `hogmaps`, for Nuxt 4', async () => {
    expect(await api.default.getMeta?.()).toMatchObject({
      name: '@hogmaps/nuxt',
      configKey: 'hogmaps',
      compatibility: { nuxt: '>=4.0.0' },
    });
  });

  test('takes the same options as every hogmaps plugin', () => {
    expectTypeOf<HogmapsNuxtOptions>().toEqualTypeOf<Options>();
  });
});
