import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  describeSourcePairProblem,
  discoverSourcePairs,
  HogmapsError,
  type SourcePairCandidate,
} from '@hogmaps/core';
import { UsageError } from '../args';
import type { CommandContext } from '../context';

/** A JS file with its map on disk. */
export interface SourcePair {
  jsPath: string;
  mapPath: string;
}

/**
 * The roots to walk: positional arguments, every `--directory` (`--file`), and with `--stdin` one path
 * per line of standard input (what PostHog's plugins send). Each must exist: a missing one is a usage
 * error, checked before anything is changed.
 */
export async function readRoots(context: CommandContext): Promise<string[]> {
  const { args, io } = context;
  const roots = [...context.parsed.positionals, ...args.strings('directory')];
  if (args.flag('stdin')) {
    const text = await io.readStdin();
    roots.push(
      ...text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
    );
  }
  if (roots.length === 0) {
    throw new UsageError(
      `no directory given: name the build output, e.g. hogmaps ${context.command.name} dist (or use --stdin)`,
      context.command.name,
    );
  }
  for (const root of roots) {
    try {
      await stat(path.resolve(io.cwd, root));
    } catch {
      throw new UsageError(`directory not found: ${root}`, context.command.name);
    }
  }
  return roots;
}

/** Pairs every JS file under the roots with its map, reporting (not failing on) files without one. */
export async function findSourcePairs(
  context: CommandContext,
  roots: readonly string[],
): Promise<SourcePair[]> {
  const { args, io, logger } = context;
  const candidates = await discoverSourcePairs(roots, {
    include: args.strings('include'),
    exclude: args.strings('exclude'),
    publicPathPrefix: args.string('public-path-prefix'),
    cwd: io.cwd,
  });
  const pairs: SourcePair[] = [];
  const withoutMap: SourcePairCandidate[] = [];
  for (const candidate of candidates) {
    if (candidate.mapPath && !candidate.problem) {
      pairs.push({ jsPath: candidate.jsPath, mapPath: candidate.mapPath });
      continue;
    }
    const message = describeSourcePairProblem(candidate) ?? `${candidate.jsPath}: skipped`;
    // An inline map or an unreadable file needs action; a file without any map is usually fine.
    if (candidate.problem === 'no-map') {
      withoutMap.push(candidate);
      logger.debug(message);
    } else logger.warn(message);
  }
  const where = roots.join(', ');
  if (candidates.length === 0) {
    throw new HogmapsError('no_source_files', `no JavaScript files (.js, .mjs, .cjs) found in ${where}`);
  }
  if (pairs.length === 0) {
    throw new HogmapsError(
      'no_source_maps',
      `no source maps found in ${where}: ${candidates.length} JavaScript ${plural(candidates.length, 'file')}, none with a map; build with external source maps (for example sourcemap: 'hidden') and run this on the output folder`,
    );
  }
  if (withoutMap.length > 0) {
    logger.info(
      `${withoutMap.length} JavaScript ${plural(withoutMap.length, 'file')} without a source map skipped${logger.level === 'debug' ? '' : ' (--verbose lists them)'}`,
    );
  }
  return pairs;
}

/** Every `.css` file under the roots (for `--delete-after`, which also removes CSS maps). */
export async function findCssFiles(roots: readonly string[], cwd: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.endsWith('.css')) found.push(full);
    }
  };
  for (const root of roots) {
    const absolute = path.resolve(cwd, root);
    if ((await stat(absolute)).isDirectory()) await walk(absolute);
    else if (absolute.endsWith('.css')) found.push(absolute);
  }
  return [...new Set(found)].sort();
}

export function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

/** A path for messages: relative to the working directory when inside it. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative)
    ? relative.split(path.sep).join('/')
    : file;
}
