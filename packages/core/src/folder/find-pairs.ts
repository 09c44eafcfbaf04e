import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { HogmapsError } from '../errors';
import { type DiscoverOptions, discoverSourcePairs } from '../files/discover';
import { describeSourcePairProblem, type SourcePairCandidate } from '../files/pair';
import { plural } from './display';
import type { FolderContext, SourcePair } from './types';

export interface FindPairsOptions extends Pick<DiscoverOptions, 'include' | 'exclude' | 'publicPathPrefix'> {
  /** How the count of files without a map is logged: `info` (a folder given by hand), `debug` (a
   * framework's output, where such files are expected). @default 'info' */
  reportWithoutMap?: 'info' | 'debug';
}

/**
 * Pairs every JS file under the roots with its map. Files without any map are counted (one debug line
 * each); an inline map or an unreadable file is a warning. No JS at all, or no map at all, is an error
 * that says what to do.
 */
export async function findSourcePairs(
  context: FolderContext,
  roots: readonly string[],
  options: FindPairsOptions = {},
): Promise<SourcePair[]> {
  const { logger, cwd } = context;
  const { reportWithoutMap = 'info', ...discover } = options;
  const candidates = await discoverSourcePairs(roots, { ...discover, cwd });
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
    logger[reportWithoutMap](
      `${withoutMap.length} JavaScript ${plural(withoutMap.length, 'file')} without a source map skipped${logger.level === 'debug' ? '' : ' (debug logging lists them)'}`,
    );
  }
  return pairs;
}

/** Every `.css` file under the roots (map deletion also removes CSS maps). */
export function findCssFiles(roots: readonly string[], cwd: string): Promise<string[]> {
  return findFiles(roots, cwd, '.css');
}

/** Every file under the roots whose name ends with `suffix` (symlinks not followed), sorted. */
export async function findFiles(roots: readonly string[], cwd: string, suffix: string): Promise<string[]> {
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
      else if (entry.isFile() && entry.name.endsWith(suffix)) found.push(full);
    }
  };
  for (const root of roots) {
    const absolute = path.resolve(cwd, root);
    if ((await stat(absolute)).isDirectory()) await walk(absolute);
    else if (absolute.endsWith(suffix)) found.push(absolute);
  }
  return [...new Set(found)].sort();
}
