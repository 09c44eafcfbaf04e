// What the rollup and rolldown runners share: CSS imports turned into emitted assets (neither bundles
// CSS itself), file names, warning text, and reading the outcome.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { BuildOutcome, NeutralBuild } from '../types';

/** A transform hook that emits each imported CSS file as an asset and leaves an empty module. */
export function cssAssetsPlugin() {
  return {
    name: 'scenario-css-assets',
    transform(
      this: { emitFile(file: { type: 'asset'; name: string; source: string }): string },
      code: string,
      id: string,
    ) {
      if (!id.endsWith('.css')) return null;
      this.emitFile({ type: 'asset', name: path.basename(id), source: code });
      return { code: 'export {};', map: { mappings: '' }, moduleType: 'js' as const };
    },
  };
}

/** Output file names: hashed for browser builds; Node builds are CommonJS (`.cjs`) so `node` runs them. */
export function fileNames(config: NeutralBuild) {
  const ext = config.platform === 'node' ? 'cjs' : 'js';
  const hash = config.hashedNames === false ? '' : '-[hash]';
  const entryHash = config.hashedEntryNames === false ? '' : hash;
  return {
    entryFileNames: config.platform === 'node' ? `[name].${ext}` : `[name]${entryHash}.${ext}`,
    chunkFileNames: `[name]${hash}.${ext}`,
    assetFileNames: `[name]${hash}[extname]`,
  };
}

/** The `sourcemap` output option the user "configured", or none at all. */
export function userSourcemap(config: NeutralBuild): { sourcemap?: boolean } {
  return config.sourcemap === undefined ? {} : { sourcemap: config.sourcemap === 'external' };
}

export function absoluteEntries(config: NeutralBuild): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config.entries).map(([name, file]) => [name, path.resolve(config.root, file)]),
  );
}

/** `[plugin] message` for plugin warnings, as the bundlers print them. */
export function formatWarning(log: { message: string; plugin?: string | undefined }): string {
  const prefix = `[plugin ${log.plugin}] `;
  const message = log.message.startsWith(prefix) ? log.message.slice(prefix.length) : log.message;
  return log.plugin ? `[${log.plugin}] ${message}` : message;
}

/** Every file under `outDir`, relative, with forward slashes, sorted. */
export function listFiles(outDir: string): string[] {
  return readdirSync(outDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(outDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

export function outcome(config: NeutralBuild, warnings: string[]): BuildOutcome {
  return { outDir: config.outDir, files: listFiles(config.outDir), warnings };
}

interface WatcherLike {
  on(event: 'event', listener: (event: WatcherEvent) => void): unknown;
  close(): Promise<void> | void;
}
type WatcherEvent =
  | { code: 'BUNDLE_END'; result: { close(): Promise<void> | void } }
  | { code: 'ERROR'; error: Error; result?: { close(): Promise<void> | void } | null }
  | { code: 'START' | 'BUNDLE_START' | 'END' };

/** Waits for a watcher's first build (rollup, rolldown and Vite's watchers speak the same events), then closes it. */
export async function firstWatchBuild(watcher: WatcherLike): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      watcher.on('event', (event) => {
        if (event.code === 'BUNDLE_END') void event.result.close();
        else if (event.code === 'ERROR') {
          void event.result?.close();
          reject(event.error);
        } else if (event.code === 'END') resolve();
      });
    });
  } finally {
    await watcher.close();
  }
}
