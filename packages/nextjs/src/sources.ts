import { existsSync } from 'node:fs';
import path from 'node:path';

const TURBOPACK = 'turbopack:///[project]/';
// `webpack://<namespace>/<path>`: the namespace is the package name (maybe scoped, `@org/app`) or
// Next's `_N_E`; module paths are relative to the project (`./app/page.tsx`, `../../node_modules/…`).
const WEBPACK_RELATIVE = /^webpack:\/\/.*?\/(?=\.\.?\/)/;
const WEBPACK = /^webpack:\/\/[^/]*\//;
const URL_SCHEME = /^[a-z][a-z0-9+.-]+:/i;

const toPosix = (file: string) => file.split(path.sep).join('/');

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Makes the `sources` of Next's maps paths relative to the project, as a developer reads them
 * (`app/checkout/page.tsx`): Turbopack's `turbopack:///[project]/…` (relative to `turbopackRoot`, the
 * root Next picked, often the monorepo root), webpack's `webpack://_N_E/./…` (relative to the project)
 * and paths relative to the map file. Other URLs stay. Each source is rewritten on its own, so the
 * result never depends on the order maps are read in (it is part of each symbol set's content hash).
 * Without `turbopackRoot`, `[project]` is the nearest ancestor of the project holding the file, and a
 * file found nowhere keeps its `[project]`-relative path.
 */
export function createSourceRewriter(
  projectDir: string,
  turbopackRoot?: string,
): (source: string, mapPath: string) => string {
  const project = path.resolve(projectDir);

  const rootFor = (relative: string): string | undefined => {
    if (turbopackRoot) return turbopackRoot;
    for (let dir = project; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, relative))) return dir;
      if (path.dirname(dir) === dir) return undefined;
    }
  };

  return (source, mapPath) => {
    let absolute: string | undefined;
    if (source.startsWith(TURBOPACK)) {
      const relative = decode(source.slice(TURBOPACK.length));
      const root = rootFor(relative);
      if (!root) return relative;
      absolute = path.join(root, relative);
    } else if (WEBPACK.test(source)) {
      const relative = WEBPACK_RELATIVE.test(source)
        ? source.replace(WEBPACK_RELATIVE, '')
        : source.replace(WEBPACK, '');
      absolute = path.resolve(project, relative);
    } else if (URL_SCHEME.test(source)) {
      return source;
    } else {
      absolute = path.resolve(path.dirname(mapPath), decode(source));
    }
    return toPosix(path.relative(project, absolute));
  };
}
