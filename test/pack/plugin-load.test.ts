// What loading an adapter loads (issue #14: "load only what the build will use"): the static import
// graph of each adapter's built ESM entry, followed through @hogmaps/core's exports and its chunks. The
// plugin path (options, session, injection, chunk ids) is in it; the upload pipeline, the API client and
// the folder pipeline are reached only through the session's `import()`, and of the packages only
// unplugin and picomatch (which unplugin imports anyway) are loaded up front.
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './packages';

const ADAPTERS = ['vite', 'rollup', 'rolldown', 'webpack', 'rspack', 'esbuild'];

/** Modules only an upload, a registered release or the CLI needs. */
const UPLOAD_ONLY = [
  'core/src/upload/pipeline.ts',
  'core/src/api/client.ts',
  'core/src/api/http.ts',
  'core/src/container/encode.ts',
  'core/src/release/resolve.ts',
  'core/src/folder/process.ts',
  'core/src/inject/inject-file.ts',
];

interface Graph {
  /** Package sources (relative to packages/) bundled into the files reached. */
  sources: Set<string>;
  /** npm packages imported (builtins left out). */
  packages: Set<string>;
}

const STATIC = /^(?:import|export)\s[^'"]*?["']([^'"]+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^'"]+)["']\s*\)/g;

/** `@hogmaps/<name>[/subpath]` through the workspace package's exports, as Node resolves an import. */
function resolveWorkspace(specifier: string): string {
  const [, name, subpath] = /^@hogmaps\/([^/]+)(\/.+)?$/.exec(specifier)!;
  const dir = path.join(ROOT, 'packages', name!);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const target = manifest.exports[subpath ? `.${subpath}` : '.'].import.default as string;
  return path.join(dir, target);
}

function importGraph(entry: string, { dynamic }: { dynamic: boolean }): Graph {
  const graph: Graph = { sources: new Set(), packages: new Set() };
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    const map = `${file}.map`;
    if (existsSync(map)) {
      for (const source of JSON.parse(readFileSync(map, 'utf8')).sources as string[])
        graph.sources.add(
          path.relative(path.join(ROOT, 'packages'), path.resolve(path.dirname(file), source)),
        );
    }
    const specifiers = [...code.matchAll(STATIC), ...(dynamic ? code.matchAll(DYNAMIC) : [])].map(
      (match) => match[1]!,
    );
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier));
      else if (specifier.startsWith('@hogmaps/')) visit(resolveWorkspace(specifier));
      else if (!isBuiltin(specifier))
        graph.packages.add(
          specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/'),
        );
    }
  };
  visit(entry);
  return graph;
}

describe.each(ADAPTERS)('loading @hogmaps/%s (built ESM)', (adapter) => {
  const entry = path.join(ROOT, 'packages', adapter, 'dist', 'index.js');

  it('loads the plugin path and, of the packages, only unplugin and picomatch', () => {
    const graph = importGraph(entry, { dynamic: false });
    expect(graph.sources).toContain('core/src/plugin/factory.ts');
    expect(graph.sources).toContain('core/src/session/session.ts');
    expect(UPLOAD_ONLY.filter((source) => graph.sources.has(source))).toEqual([]);
    expect([...graph.packages].sort()).toEqual(['picomatch', 'unplugin']);
  });

  it('reaches the upload path through the session’s import()', () => {
    const graph = importGraph(entry, { dynamic: true });
    expect(UPLOAD_ONLY.slice(0, 5).filter((source) => !graph.sources.has(source))).toEqual([]);
  });
});
