// What a build wrote, read after the child has exited (outside the measured time): the chunk count,
// the sizes, and how many chunks carry each tool's marker, so a variant that silently did nothing
// is caught instead of looking fast.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { VariantId } from './variants';

export interface OutputSummary {
  jsFiles: number;
  jsBytes: number;
  mapFiles: number;
  mapBytes: number;
  /** JS files carrying the variant's marker (chunk id comment, Sentry debug id). */
  injected: number;
}

const MARKERS: Record<VariantId, RegExp | undefined> = {
  baseline: undefined,
  inject: /chunkId=[0-9a-f-]{36}/,
  upload: /chunkId=[0-9a-f-]{36}/,
  posthog: /chunkId=[0-9a-f-]{36}/,
  sentry: /sentry-dbid-|_sentryDebugIds/,
  read: undefined,
  rewrite: /chunkId=[0-9a-f-]{36}/,
  placeholder: /chunkId=[A-Za-z0-9_-]{4,}/,
};

/** Every file under `dir`, as absolute paths. */
export async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

export async function inspectOutput(outDir: string, variant: VariantId): Promise<OutputSummary> {
  const summary: OutputSummary = { jsFiles: 0, jsBytes: 0, mapFiles: 0, mapBytes: 0, injected: 0 };
  const marker = MARKERS[variant];
  for (const file of await walk(outDir)) {
    if (file.endsWith('.js.map')) {
      summary.mapFiles++;
      summary.mapBytes += (await stat(file)).size;
    } else if (file.endsWith('.js')) {
      const code = await readFile(file, 'utf8');
      summary.jsFiles++;
      summary.jsBytes += Buffer.byteLength(code);
      if (marker?.test(code)) summary.injected++;
    }
  }
  return summary;
}

/** How many source maps of an output map code of `file` (a path relative to the app, forward slashes). */
export async function mapsHolding(outDir: string, file: string): Promise<number> {
  let count = 0;
  for (const map of (await walk(outDir)).filter((name) => name.endsWith('.js.map'))) {
    const sources = (JSON.parse(await readFile(map, 'utf8')) as { sources?: unknown }).sources;
    if (Array.isArray(sources) && sources.some((source) => String(source).endsWith(`/${file}`))) count++;
  }
  return count;
}
