import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Options, OptionsError, resetBuildSessions } from '@hogmaps/core';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import webpack, { type Configuration, type WebpackPluginInstance } from 'webpack';
import hogmapsDefault, {
  type HogmapsWebpackOptions,
  HogmapsWebpackPlugin,
  hogmapsWebpackPlugin,
} from '../src/index';

let root: string;

beforeEach(() => {
  resetBuildSessions();
  for (const name of ['POSTHOG_PERSONAL_API_KEY', 'POSTHOG_CLI_API_KEY', 'POSTHOG_CLI_TOKEN'])
    vi.stubEnv(name, '');
  root = mkdtempSync(path.join(tmpdir(), 'hogmaps-webpack-'));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'src/main.js'), "import('./lazy.js');\nconsole.log('main');\n");
  writeFileSync(path.join(root, 'src/lazy.js'), "export const lazy = () => 'lazy';\n");
});

afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
});

function config(plugins: WebpackPluginInstance[], out = 'dist'): Configuration {
  return {
    mode: 'production',
    context: root,
    entry: './src/main.js',
    output: { path: path.join(root, out), filename: '[name].[contenthash].js' },
    infrastructureLogging: { level: 'error' },
    plugins,
  };
}

function build(configuration: Configuration): Promise<webpack.Stats> {
  return new Promise((resolve, reject) => {
    const compiler = webpack(configuration);
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

describe('@hogmaps/webpack', () => {
  it('exports a function, a class and a default, all making one webpack plugin', () => {
    expect(hogmapsDefault).toBe(hogmapsWebpackPlugin);
    expect(typeof hogmapsWebpackPlugin().apply).toBe('function');
    const plugin = new HogmapsWebpackPlugin({ enabled: true });
    expect(typeof plugin.apply).toBe('function');
    expectTypeOf(hogmapsWebpackPlugin).returns.toEqualTypeOf<WebpackPluginInstance>();
    expectTypeOf<HogmapsWebpackOptions>().toEqualTypeOf<Options>();
    expectTypeOf<HogmapsWebpackPlugin>().toExtend<WebpackPluginInstance>();
  });

  it('taps the compiler as `hogmaps`', () => {
    for (const plugin of [hogmapsWebpackPlugin(), new HogmapsWebpackPlugin()]) {
      const compiler = webpack(config([plugin]));
      expect(compiler.hooks.thisCompilation.taps.map((tap) => tap.name)).toContain('hogmaps');
      expect(compiler.hooks.afterEmit.taps.map((tap) => tap.name)).toContain('hogmaps');
    }
  });

  it('rejects invalid options when the compiler is created, naming the option', () => {
    expect(() => webpack(config([hogmapsWebpackPlugin({ concurrency: 0 })]))).toThrow(OptionsError);
    expect(() => webpack(config([new HogmapsWebpackPlugin({ concurrency: 0 })]))).toThrow(/concurrency/);
  });

  it('injects chunk ids into every chunk (class form, no credentials)', async () => {
    const stats = await build(config([new HogmapsWebpackPlugin({ logLevel: 'silent' })]));
    expect(stats.hasErrors()).toBe(false);
    const js = Object.entries(output('dist')).filter(([file]) => file.endsWith('.js'));
    expect(js).toHaveLength(2);
    for (const [file, code] of js) expect(code, file).toMatch(/\n\/\/# chunkId=[0-9a-f-]{36}$/);
  });

  it('changes nothing when disabled', async () => {
    await build(config([], 'plain'));
    await build(config([hogmapsWebpackPlugin({ enabled: false })], 'disabled'));
    await build(config([new HogmapsWebpackPlugin({ sourcemaps: { enabled: false } })], 'off'));
    expect(output('disabled')).toEqual(output('plain'));
    expect(output('off')).toEqual(output('plain'));
  });
});
