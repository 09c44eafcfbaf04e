import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Options, OptionsError, resetBuildSessions } from '@hogmaps/core';
import { type Configuration, type RspackPluginInstance, rspack, type Stats } from '@rspack/core';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import hogmapsDefault, {
  type HogmapsRspackOptions,
  HogmapsRspackPlugin,
  hogmapsRspackPlugin,
} from '../src/index';

let root: string;

beforeEach(() => {
  resetBuildSessions();
  for (const name of ['POSTHOG_PERSONAL_API_KEY', 'POSTHOG_CLI_API_KEY', 'POSTHOG_CLI_TOKEN'])
    vi.stubEnv(name, '');
  root = mkdtempSync(path.join(tmpdir(), 'hogmaps-rspack-'));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'src/main.js'), "import('./lazy.js');\nconsole.log('main');\n");
  writeFileSync(path.join(root, 'src/lazy.js'), "export const lazy = () => 'lazy';\n");
});

afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
});

function config(plugins: RspackPluginInstance[], out = 'dist'): Configuration {
  return {
    mode: 'production',
    context: root,
    entry: './src/main.js',
    output: { path: path.join(root, out), filename: '[name].[contenthash].js' },
    infrastructureLogging: { level: 'error' },
    plugins,
  };
}

function build(configuration: Configuration): Promise<Stats> {
  return new Promise((resolve, reject) => {
    const compiler = rspack(configuration);
    compiler.run((error, stats) =>
      compiler.close(() => (error || !stats ? reject(error ?? new Error('no stats')) : resolve(stats))),
    );
  });
}

function output(out: string): Record<string, string> {
  const dir = path.join(root, out);
  return Object.fromEntries(
    readdirSync(dir).map((file) => [file, readFileSync(path.join(dir, file), 'utf8')]),
  );
}

describe('@hogmaps/rspack', () => {
  it('exports a function, a class and a default, all making one rspack plugin', () => {
    expect(hogmapsDefault).toBe(hogmapsRspackPlugin);
    expect(typeof hogmapsRspackPlugin().apply).toBe('function');
    const plugin = new HogmapsRspackPlugin({ enabled: true });
    expect(typeof plugin.apply).toBe('function');
    expectTypeOf(hogmapsRspackPlugin).returns.toEqualTypeOf<RspackPluginInstance>();
    expectTypeOf<HogmapsRspackOptions>().toEqualTypeOf<Options>();
    expectTypeOf<HogmapsRspackPlugin>().toExtend<RspackPluginInstance>();
  });

  it('taps the compiler as `hogmaps`', () => {
    for (const plugin of [hogmapsRspackPlugin(), new HogmapsRspackPlugin()]) {
      const compiler = rspack(config([plugin]));
      expect(compiler.hooks.thisCompilation.taps.map((tap) => tap.name)).toContain('hogmaps');
      expect(compiler.hooks.afterEmit.taps.map((tap) => tap.name)).toContain('hogmaps');
    }
  });

  it('rejects invalid options when the compiler is created, naming the option', () => {
    expect(() => rspack(config([hogmapsRspackPlugin({ concurrency: 0 })]))).toThrow(OptionsError);
    expect(() => rspack(config([new HogmapsRspackPlugin({ concurrency: 0 })]))).toThrow(/concurrency/);
  });

  it('injects chunk ids into every chunk (class form, no credentials)', async () => {
    const stats = await build(config([new HogmapsRspackPlugin({ logLevel: 'silent' })]));
    expect(stats.hasErrors()).toBe(false);
    const js = Object.entries(output('dist')).filter(([file]) => file.endsWith('.js'));
    expect(js).toHaveLength(2);
    for (const [file, code] of js) expect(code, file).toMatch(/\n\/\/# chunkId=[0-9a-f-]{36}$/);
  });

  it('changes nothing when disabled', async () => {
    await build(config([], 'plain'));
    await build(config([hogmapsRspackPlugin({ enabled: false })], 'disabled'));
    await build(config([new HogmapsRspackPlugin({ sourcemaps: { enabled: false } })], 'off'));
    expect(output('disabled')).toEqual(output('plain'));
    expect(output('off')).toEqual(output('plain'));
  });
});
