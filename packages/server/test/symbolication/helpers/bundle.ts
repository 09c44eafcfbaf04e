import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { injectChunkId, type SourceMapJson } from './chunk-id';
import { type ContainerOptions, encodeContainer } from './container';

export const APP_DIR = fileURLToPath(new URL('../fixtures/app/', import.meta.url));

/** One built, chunk-id-injected bundle and everything a test needs to check its symbolication. */
export interface AppBundle {
  /** The JS as served: snippet first line, bundle, `//# chunkId=` last line. */
  code: string;
  map: SourceMapJson;
  chunkId: string;
  /** 1-based line of the `throw` in checkout.ts. */
  throwLine: number;
  container(options?: ContainerOptions): Buffer;
}

/**
 * Builds a fixture entry with esbuild (bundled, minified, external map with sourcesContent), then
 * injects a chunk id (with the release snippet when a release id is given) the way PostHog's tools do.
 */
export async function buildAppBundle(
  entry: 'browser-entry.js' | 'node-entry.js' | 'vm-entry.js',
  chunkId: string = randomUUID(),
  releaseId?: string,
): Promise<AppBundle> {
  const browser = entry !== 'node-entry.js';
  const result = await build({
    entryPoints: [path.join(APP_DIR, entry)],
    bundle: true,
    minify: true,
    sourcemap: 'external',
    sourcesContent: true,
    write: false,
    outdir: path.join(APP_DIR, 'dist'),
    format: browser ? 'iife' : 'esm',
    platform: browser ? 'browser' : 'node',
    target: browser ? 'es2020' : 'node20',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const mapFile = result.outputFiles.find((file) => file.path.endsWith('.js.map'));
  if (!js || !mapFile) throw new Error(`esbuild produced no JS and map for ${entry}`);
  const injected = injectChunkId(js.text, JSON.parse(mapFile.text) as SourceMapJson, chunkId, releaseId);
  return {
    ...injected,
    chunkId,
    throwLine: throwLine(),
    container: (options) => encodeContainer(injected.code, JSON.stringify(injected.map), options),
  };
}

/** The 1-based line of `throw new Error` in checkout.ts. */
export function throwLine(): number {
  const lines = readFileSync(path.join(APP_DIR, 'checkout.ts'), 'utf8').split('\n');
  return lines.findIndex((line) => line.includes('throw new Error')) + 1;
}
