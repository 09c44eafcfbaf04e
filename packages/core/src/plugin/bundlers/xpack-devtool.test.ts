import { describe, expect, it } from 'vitest';
import { JS_ASSET, javascriptDevtool, planSourceMaps } from './xpack-devtool';

const plan = (
  configured: unknown,
  effective: unknown = configured,
  extra: { userMapPlugin?: boolean; wantsMaps?: boolean } = {},
) =>
  planSourceMaps({
    configured,
    effective,
    userMapPlugin: extra.userMapPlugin ?? false,
    wantsMaps: extra.wantsMaps ?? true,
  });

describe('javascriptDevtool', () => {
  it('reads strings, false and webpack 5.112 per-type lists', () => {
    expect(javascriptDevtool(undefined)).toBeUndefined();
    expect(javascriptDevtool('source-map')).toBe('source-map');
    expect(javascriptDevtool('')).toBe(false);
    expect(javascriptDevtool(false)).toBe(false);
    expect(
      javascriptDevtool([
        { type: 'css', use: 'source-map' },
        { type: 'javascript', use: 'eval' },
      ]),
    ).toBe('eval');
    expect(javascriptDevtool([{ type: 'all', use: 'hidden-source-map' }])).toBe('hidden-source-map');
    expect(javascriptDevtool([{ type: 'css', use: 'source-map' }])).toBe(false);
  });
});

describe('planSourceMaps', () => {
  it('adds hidden maps when no devtool is configured and the production default makes none', () => {
    expect(plan(undefined, false)).toEqual({ kind: 'ours', warning: undefined });
  });

  it("adds hidden maps when devtool is false (Next.js's default): only hogmaps' option turns the upload off", () => {
    expect(plan(false)).toEqual({ kind: 'ours', warning: undefined });
    expect(plan('')).toEqual({ kind: 'ours', warning: undefined });
    expect(plan([{ type: 'css', use: 'source-map' }])).toEqual({ kind: 'ours', warning: undefined });
  });

  it('makes no maps for nothing: without credentials, no maps and no warning', () => {
    expect(plan(undefined, false, { wantsMaps: false })).toEqual({
      kind: 'none',
      warning: undefined,
    });
    expect(plan(false, false, { wantsMaps: false }).warning).toBeUndefined();
  });

  it("respects the user's devtool when it writes map files", () => {
    for (const devtool of [
      'source-map',
      'hidden-source-map',
      'nosources-source-map',
      'cheap-module-source-map',
    ]) {
      expect(plan(devtool)).toEqual({ kind: 'user', warning: undefined });
    }
    // rspack's development default writes files too: it stays the bundler's.
    expect(plan(undefined, 'cheap-module-source-map').kind).toBe('user');
  });

  it('treats an own SourceMapDevToolPlugin as user maps, whatever devtool says', () => {
    expect(plan(false, false, { userMapPlugin: true })).toEqual({
      kind: 'user',
      warning: undefined,
    });
  });

  it('warns once per reason when maps are not files', () => {
    expect(plan('eval-source-map')).toMatchObject({
      kind: 'none',
      warning: expect.stringMatching(/devtool 'eval-source-map' writes no source map files/),
    });
    expect(plan('inline-source-map')).toMatchObject({
      kind: 'none',
      warning: expect.stringMatching(/devtool 'inline-source-map' writes no source map files/),
    });
    expect(plan(undefined, 'eval').warning).toMatch(/default devtool 'eval' of this mode/);
  });
});

describe('JS_ASSET', () => {
  it('matches .js, .mjs and .cjs files, also with a query or hash', () => {
    for (const name of ['main.js', 'a/b.mjs', 'c.cjs', 'main.js?v=1', 'main.js#x', 'MAIN.JS'])
      expect(JS_ASSET.test(name), name).toBe(true);
    for (const name of ['main.css', 'main.js.map', 'main.json', 'main.jsx'])
      expect(JS_ASSET.test(name), name).toBe(false);
  });
});
