import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { FileError } from '../errors';
import { type PairOptions, pairSourceMap, type SourcePairCandidate } from './pair';

/** Globs (picomatch syntax, dotfiles matched) or a predicate receiving the absolute path. */
export type PathFilter = string | readonly string[] | ((path: string) => boolean);

export interface DiscoverOptions extends PairOptions {
  /** Only JS files matching this are kept. */
  include?: PathFilter;
  /** JS files matching this are dropped. Nothing is excluded implicitly, not even `node_modules`. */
  exclude?: PathFilter;
  /** Base for relative roots and for cwd-relative glob matching. Default: `process.cwd()`. */
  cwd?: string;
  /** JS files read at once. Default 16. */
  concurrency?: number;
}

const JS_EXTENSION = /\.(?:js|mjs|cjs)$/;

interface WalkedFile {
  absolute: string;
  /** The folder it was found in: its map must be inside it. */
  folder: string;
  /** Relative to the root it was found under (the file name for a file root). */
  fromRoot: string;
}

type Matcher = (file: WalkedFile) => boolean;

const toPosix = (path: string) => (sep === '/' ? path : path.split(sep).join('/'));

/**
 * Globs are tried against the path relative to its root, relative to `cwd`, and absolute; any match
 * counts. That covers PostHog's CLI (which matches the walked path, i.e. root-prefixed) and the natural
 * `assets/**` for a root of `dist`.
 */
function compileFilter(filter: PathFilter | undefined, cwd: string): Matcher | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter === 'function') return (file) => filter(file.absolute);
  const globs = typeof filter === 'string' ? [filter] : [...filter];
  if (globs.length === 0) return undefined;
  const isMatch = picomatch(globs, { dot: true });
  return (file) =>
    isMatch(toPosix(file.fromRoot)) ||
    isMatch(toPosix(relative(cwd, file.absolute))) ||
    isMatch(toPosix(file.absolute));
}

async function walk(dir: string, root: string, out: WalkedFile[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // Unreadable directories are dropped, as PostHog's CLI does.
  }
  for (const entry of entries) {
    // Symlinks are not followed (no cycles, no files outside the output folder).
    if (entry.isSymbolicLink()) continue;
    const absolute = join(dir, entry.name);
    if (entry.isDirectory()) await walk(absolute, root, out);
    else if (entry.isFile() && JS_EXTENSION.test(entry.name)) {
      out.push({ absolute, folder: root, fromRoot: relative(root, absolute) });
    }
  }
}

async function collectRoot(root: string): Promise<WalkedFile[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(root);
  } catch (error) {
    throw new FileError('root_not_found', root, 'does not exist or cannot be read', { cause: error });
  }
  if (info.isFile()) {
    return JS_EXTENSION.test(root)
      ? [{ absolute: root, folder: dirname(root), fromRoot: basename(root) }]
      : [];
  }
  const files: WalkedFile[] = [];
  await walk(root, root, files);
  return files;
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * The CLI's file selection and pairing (posthog-protocol.md 2): walks each root (a directory or a
 * single file) recursively, keeps `.js` / `.mjs` / `.cjs` files passing include/exclude, and pairs each
 * with its source map. Files without a usable map are returned with a `problem` rather than dropped, so
 * the caller can report them. Sorted by path; a file reached from two roots appears once. A map must
 * be inside the root the file was found in (a single file's folder): a `sourceMappingURL` leading out
 * of it is never read or rewritten.
 */
export async function discoverSourcePairs(
  roots: readonly string[],
  options: DiscoverOptions = {},
): Promise<SourcePairCandidate[]> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const include = compileFilter(options.include, cwd);
  const exclude = compileFilter(options.exclude, cwd);
  const byPath = new Map<string, WalkedFile>();
  for (const root of roots) {
    for (const file of await collectRoot(resolve(cwd, root))) {
      if (include && !include(file)) continue;
      if (exclude?.(file)) continue;
      if (!byPath.has(file.absolute)) byPath.set(file.absolute, file);
    }
  }
  const paths = [...byPath.keys()].sort();
  const pairOptions: PairOptions = options.publicPathPrefix
    ? { publicPathPrefix: options.publicPathPrefix }
    : {};
  return mapLimited(paths, options.concurrency ?? 16, (path) =>
    pairSourceMap(path, { ...pairOptions, within: byPath.get(path)!.folder }),
  );
}
