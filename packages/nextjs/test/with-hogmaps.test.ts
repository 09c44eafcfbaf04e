import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Options, OptionsError } from '@hogmaps/core';
import type { NextConfig } from 'next';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { hasAfterCompileHook } from '../src/bundler';
import { type HogmapsNextOptions, type NextConfigFunction, withHogmaps } from '../src/index';

const BUILD = 'phase-production-build';
const context = { defaultConfig: {} as NextConfig };
type WebpackHook = NonNullable<NextConfig['webpack']>;
const webpackContext = (dev: boolean) => ({ dev, isServer: false }) as unknown as Parameters<WebpackHook>[1];

beforeEach(() => {
  for (const name of [
    'TURBOPACK',
    'NEXT_RSPACK',
    'POSTHOG_CLI_API_KEY',
    'POSTHOG_PERSONAL_API_KEY',
    'POSTHOG_CLI_TOKEN',
  ])
    vi.stubEnv(name, '');
});
afterEach(() => vi.unstubAllEnvs());

describe('withHogmaps', () => {
  it('has the public shape: a config function, options typed as every plugin takes them', () => {
    expectTypeOf(withHogmaps).returns.toEqualTypeOf<NextConfigFunction>();
    expectTypeOf<HogmapsNextOptions>().toEqualTypeOf<Options>();
    expect(typeof withHogmaps({})).toBe('function');
  });

  it('leaves next dev and next start alone, and never resolves options there', async () => {
    const user: NextConfig = { reactStrictMode: true };
    const bad = { concurrency: -1 } as Options;
    for (const phase of ['phase-development-server', 'phase-production-server']) {
      expect(await withHogmaps(user, bad)(phase, context)).toBe(user);
    }
    await expect(withHogmaps(user, bad)(BUILD, context)).rejects.toBeInstanceOf(OptionsError);
  });

  it('takes sync and async config functions and promises, with the phase', async () => {
    const fromFunction = vi.fn(async (phase: string) => ({ env: { PHASE: phase } }));
    const config = await withHogmaps(fromFunction)(BUILD, context);
    expect(fromFunction).toHaveBeenCalledWith(BUILD, context);
    expect(config.env).toEqual({ PHASE: BUILD });
    expect((await withHogmaps(Promise.resolve({ basePath: '/x' }))(BUILD, context)).basePath).toBe('/x');
    expect((await withHogmaps(() => ({ basePath: '/y' }))(BUILD, context)).basePath).toBe('/y');
  });

  it('webpack: runs the user hook first, lifts Next devtool: false and adds one plugin per compiler', async () => {
    const userWebpack = vi.fn((config: { plugins: unknown[] }) => ({
      ...config,
      plugins: [...config.plugins, 'user'],
    }));
    const config = await withHogmaps({ webpack: userWebpack })(BUILD, context);
    const out = config.webpack!({ devtool: false, plugins: [] }, webpackContext(false)) as {
      devtool: unknown;
      plugins: unknown[];
    };
    expect(userWebpack).toHaveBeenCalledOnce();
    expect(out.devtool).toBeUndefined();
    expect(out.plugins).toHaveLength(2);
    expect(out.plugins[0]).toBe('user');
    expect(out.plugins[1]).toHaveProperty('apply');
    const dev = config.webpack!({ devtool: 'eval-source-map', plugins: [] }, webpackContext(true)) as {
      plugins: unknown[];
    };
    expect(dev.plugins).toEqual(['user']);
  });

  it("chains the user's runAfterProductionCompile before hogmaps' own", async () => {
    const order: string[] = [];
    const user: NextConfig = {
      compiler: { runAfterProductionCompile: async () => void order.push('user') },
    };
    const config = await withHogmaps(user)(BUILD, context);
    const hook = config.compiler?.runAfterProductionCompile;
    expect(hook).not.toBe(user.compiler?.runAfterProductionCompile);
    // No output folder here: hogmaps finds nothing to do and says so, after the user's hook ran.
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => {
      order.push('hogmaps');
      return true;
    });
    await hook?.({ projectDir: '/nonexistent', distDir: '/nonexistent/.next' });
    stderr.mockRestore();
    expect(order[0]).toBe('user');
    expect(order.slice(1)).toContain('hogmaps');
  });

  it('Turbopack (as Next decides it, from TURBOPACK): browser maps on, no webpack hook added', async () => {
    vi.stubEnv('TURBOPACK', 'auto');
    // Without credentials nothing would be uploaded: no maps are made for nothing.
    expect((await withHogmaps({})(BUILD, context)).productionBrowserSourceMaps).toBeUndefined();
    vi.stubEnv('POSTHOG_CLI_API_KEY', 'phx_test');
    vi.stubEnv('POSTHOG_CLI_PROJECT_ID', '1');
    const config = await withHogmaps({})(BUILD, context);
    expect(config.productionBrowserSourceMaps).toBe(true);
    expect(config.webpack).toBeUndefined();
    expect(config.compiler?.runAfterProductionCompile).toEqual(expect.any(Function));
    // Maps the user made public stay theirs: the setting is kept as it was.
    const own = await withHogmaps({ productionBrowserSourceMaps: true })(BUILD, context);
    expect(own.productionBrowserSourceMaps).toBe(true);
  });

  it('Turbopack on a Next without runAfterProductionCompile: one clear message, config unchanged', async () => {
    vi.stubEnv('TURBOPACK', '1');
    const project = mkdtempSync(path.join(tmpdir(), 'hogmaps-next-old-'));
    mkdirSync(path.join(project, 'node_modules/next'), { recursive: true });
    writeFileSync(path.join(project, 'node_modules/next/package.json'), '{"name":"next","version":"15.3.2"}');
    vi.spyOn(process, 'cwd').mockReturnValue(project);
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((line) => lines.push(String(line)) > 0);
    const user: NextConfig = {};
    try {
      expect(await withHogmaps(user)(BUILD, context)).toBe(user);
    } finally {
      vi.restoreAllMocks();
      rmSync(project, { recursive: true, force: true });
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Next.js 15.3.2 with Turbopack has no compiler.runAfterProductionCompile');
    expect(lines[0]).toContain('Upgrade Next.js, or build with webpack');
  });

  it('does nothing when disabled by its own option', async () => {
    const user: NextConfig = {};
    expect(await withHogmaps(user, { sourcemaps: { enabled: false } })(BUILD, context)).toBe(user);
  });
});

describe('hasAfterCompileHook', () => {
  it('is true from Next 15.4.1 on', () => {
    expect(hasAfterCompileHook('15.4.0')).toBe(false);
    expect(hasAfterCompileHook('14.2.30')).toBe(false);
    expect(hasAfterCompileHook('15.4.1')).toBe(true);
    expect(hasAfterCompileHook('15.5.0')).toBe(true);
    expect(hasAfterCompileHook('16.4.6')).toBe(true);
  });
});
