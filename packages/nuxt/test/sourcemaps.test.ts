import { describe, expect, test } from 'vitest';
import { claimSourcemaps, type NuxtSourcemaps } from '../src/sourcemaps';

describe('claimSourcemaps', () => {
  test("Nuxt's defaults (server on, client off): the client's maps become hogmaps' hidden maps", () => {
    const sourcemap: NuxtSourcemaps = { server: true, client: false };
    expect(claimSourcemaps(sourcemap)).toEqual({ client: true, server: false });
    expect(sourcemap).toEqual({ server: true, client: 'hidden' });
  });

  test('maps turned off everywhere become hidden maps on both sides', () => {
    const sourcemap: NuxtSourcemaps = { server: false, client: false };
    expect(claimSourcemaps(sourcemap)).toEqual({ client: true, server: true });
    expect(sourcemap).toEqual({ server: 'hidden', client: 'hidden' });
  });

  test("maps the user turned on stay the user's", () => {
    const sourcemap: NuxtSourcemaps = { server: 'hidden', client: true };
    expect(claimSourcemaps(sourcemap)).toEqual({ client: false, server: false });
    expect(sourcemap).toEqual({ server: 'hidden', client: true });
  });
});
