import { stripVTControlCharacters } from 'node:util';
import { hogmapsVitePlugin } from '@hogmaps/vite';
import { build, createLogger, type InlineConfig, type Logger } from 'vite';
import type { BundlerRunner, NeutralBuild } from '../types';
import { absoluteEntries, fileNames, firstWatchBuild, outcome } from './rollup-shared';

/** A Vite logger that records warnings (`[plugin x] message` becomes `[x] message`) instead of printing them. */
export function recordingLogger(warnings: string[]): Logger {
  const logger = createLogger('warn', { allowClearScreen: false });
  const record = (message: string) => {
    warnings.push(
      stripVTControlCharacters(message)
        .replace(/^\[plugin ([^\]]+)\] /, '[$1] ')
        .trim(),
    );
  };
  logger.warn = record;
  logger.warnOnce = record;
  return logger;
}

/** The Vite configuration of a neutral build: an app build, or an SSR build (CommonJS) for `node`. */
export function viteConfig(config: NeutralBuild, warnings: string[]): InlineConfig {
  const node = config.platform === 'node';
  const names = fileNames(config);
  return {
    root: config.root,
    configFile: false,
    envDir: false,
    logLevel: 'warn',
    customLogger: recordingLogger(warnings),
    plugins: config.hogmaps ? [hogmapsVitePlugin(config.hogmaps)] : [],
    ...(node ? { ssr: { target: 'node' as const, noExternal: true } } : {}),
    build: {
      outDir: config.outDir,
      emptyOutDir: true,
      minify: config.minify !== false,
      ...(config.sourcemap === undefined ? {} : { sourcemap: config.sourcemap === 'external' }),
      ...(node ? { ssr: true } : {}),
      rolldownOptions: {
        input: absoluteEntries(config),
        output: {
          ...(node ? { format: 'cjs' as const } : {}),
          entryFileNames: node ? names.entryFileNames : `assets/${names.entryFileNames}`,
          chunkFileNames: node ? names.chunkFileNames : `assets/${names.chunkFileNames}`,
          assetFileNames: `assets/${names.assetFileNames}`,
        },
      },
    },
  };
}

export const viteRunner: BundlerRunner = {
  name: 'vite',
  hashesNames: true,
  async build(config: NeutralBuild) {
    const warnings: string[] = [];
    await build(viteConfig(config, warnings));
    return outcome(config, warnings);
  },
};

export default viteRunner;

/** `vite build --watch`: the first build only. */
export async function viteWatchOnce(config: NeutralBuild) {
  const warnings: string[] = [];
  const inline = viteConfig(config, warnings);
  const watcher = await build({ ...inline, build: { ...inline.build, watch: {} } });
  await firstWatchBuild(watcher as never);
  return outcome(config, warnings);
}
