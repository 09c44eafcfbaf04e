// Which esbuild outputs carry the release id in event mode (startup-chunks.ts). esbuild has one banner
// for every file, so the release goes into the placeholder (and so into every `[hash]` name) only with
// `releaseInjection: 'every-chunk'`, or when entry names hash into a folder. Otherwise an output
// carries it when its name can follow it: an entry (unhashed, as esbuild names entries by default, or
// renamed once it carries the release: esbuild-release-names.ts), or, with 'startup-chunks', a chunk
// an entry imports statically when chunk names are not hashed.
import path from 'node:path';
import type { BuildOptions, Metafile } from 'esbuild';
import type { ReleaseInjection } from '../../options/types';
import { releaseCarriers } from '../startup-chunks';
import { entryNameFormat, metafileKey } from './esbuild-release-names';

const HASH = /\[hash\]/;

/** How entries are named, when their `[hash]` can be renamed to follow the release they carry. */
export function entryFormatOf(options: BuildOptions) {
  return entryNameFormat(options.entryNames, options.outExtension?.['.js']);
}

/** Whether the release goes into the banner placeholder, and so into every `[hash]` name. */
export function releaseInNames(options: BuildOptions, injection: ReleaseInjection): boolean {
  if (injection === 'every-chunk') return true;
  return HASH.test(options.entryNames ?? '[dir]/[name]') && entryFormatOf(options) === undefined;
}

/** The absolute paths of the entry points the build was given (not the targets of import()). */
function configuredEntries(options: BuildOptions, workingDir: string): Set<string> {
  const points = options.entryPoints ?? [];
  const inputs = Array.isArray(points)
    ? points.map((point) => (typeof point === 'string' ? point : point.in))
    : Object.values(points);
  return new Set(inputs.map((input) => path.resolve(workingDir, input)));
}

/**
 * The outputs (absolute paths) that get the release variant, from the metafile: entries and, with
 * 'startup-chunks' when their names allow it, the chunks entries import statically (they run first).
 */
export function startupOutputs(
  metafile: Metafile,
  options: BuildOptions,
  workingDir: string,
  inNames: boolean,
  injection: ReleaseInjection,
): Set<string> {
  const configured = configuredEntries(options, workingDir);
  const dynamicTargets = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.kind === 'dynamic-import') dynamicTargets.add(path.resolve(workingDir, imported.path));
    }
  }
  const entries: string[] = [];
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (output.entryPoint === undefined) continue;
    const absolute = path.resolve(workingDir, file);
    // import() targets are entry points to esbuild too; they run after a startup chunk.
    const given = configured.has(path.resolve(workingDir, output.entryPoint));
    if (given || !dynamicTargets.has(absolute)) entries.push(absolute);
  }
  // A hashed chunk name cannot follow a release that is not in every name: entries alone, then.
  const chunksMayCarryIt = inNames || !HASH.test(options.chunkNames ?? '[name]-[hash]');
  return releaseCarriers(
    entries,
    (file) =>
      metafile.outputs[metafileKey(workingDir, file)]?.imports
        .filter((imported) => imported.kind === 'import-statement')
        .map((imported) => path.resolve(workingDir, imported.path)),
    chunksMayCarryIt ? injection : 'entries',
  );
}
