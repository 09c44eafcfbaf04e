// What loading an adapter loads (issue #14: "load only what the build will use"): the static import
// graph of each adapter's built ESM entry, followed through @hogmaps/core's exports and its chunks. The
// plugin path (options, session, injection, chunk ids) is in it; the upload pipeline, the API client and
// the folder pipeline are reached only through the session's `import()`, and no package is loaded up
// front: unplugin, picomatch and @jridgewell/* are bundled into core's chunks (one file to load instead
// of a dozen across seven packages), stay core's dependencies, and their notices ship with core.
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
  /** npm packages bundled into the files reached (from their maps' sources). */
  bundled: Set<string>;
  /** npm packages imported (builtins left out). */
  packages: Set<string>;
  /** Node built-ins imported, without `node:`. */
  builtins: Set<string>;
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
  const graph: Graph = { sources: new Set(), bundled: new Set(), packages: new Set(), builtins: new Set() };
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    const map = `${file}.map`;
    if (existsSync(map)) {
      for (const source of JSON.parse(readFileSync(map, 'utf8')).sources as string[]) {
        const inPackage = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1];
        if (inPackage) graph.bundled.add(inPackage);
        else
          graph.sources.add(
            path.relative(path.join(ROOT, 'packages'), path.resolve(path.dirname(file), source)),
          );
      }
    }
    const specifiers = [...code.matchAll(STATIC), ...(dynamic ? code.matchAll(DYNAMIC) : [])].map(
      (match) => match[1]!,
    );
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier));
      else if (specifier.startsWith('@hogmaps/')) visit(resolveWorkspace(specifier));
      else if (isBuiltin(specifier)) graph.builtins.add(specifier.replace(/^node:/, ''));
      else
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

  it('loads the plugin path and no package: unplugin and what it imports are bundled', () => {
    const graph = importGraph(entry, { dynamic: false });
    expect(graph.sources).toContain('core/src/plugin/factory.ts');
    expect(graph.sources).toContain('core/src/session/session.ts');
    expect(UPLOAD_ONLY.filter((source) => graph.sources.has(source))).toEqual([]);
    expect([...graph.packages]).toEqual([]);
    expect(graph.bundled).toContain('unplugin');
    expect(graph.bundled).toContain('picomatch');
  });

  // Importing a built-in builds its ESM namespace from every export: `process` opens stdin and loads
  // the diagnostics report, `crypto` Node's streams and Web Crypto (about 20 ms of a config load
  // together). The plugin reaches crypto through process.getBuiltinModule when it first hashes.
  it('imports neither process nor crypto as modules', () => {
    const graph = importGraph(entry, { dynamic: false });
    expect(graph.builtins).toContain('path'); // the graph sees built-ins
    expect([...graph.builtins].filter((name) => name === 'process' || name === 'crypto')).toEqual([]);
  });

  it('bundles only packages core depends on, and ships their license notices', () => {
    const graph = importGraph(entry, { dynamic: true });
    const core = JSON.parse(readFileSync(path.join(ROOT, 'packages/core/package.json'), 'utf8'));
    const declared = new Set(Object.keys(core.dependencies));
    // Direct dependencies, and what they depend on (installed with them): every bundled package is one.
    const installed = new Set(declared);
    for (const name of declared) {
      const manifest = path.join(ROOT, 'packages/core/node_modules', name, 'package.json');
      for (const dependency of Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).dependencies ?? {}))
        installed.add(dependency);
    }
    const bundled = [...graph.bundled].filter((name) => name !== 'tsup'); // tsup's ESM shim
    expect(bundled.filter((name) => !installed.has(name))).toEqual([]);
    const notices = readFileSync(path.join(ROOT, 'packages/core/dist/THIRD-PARTY-LICENSES.md'), 'utf8');
    expect(bundled.filter((name) => !notices.includes(`## ${name}@`))).toEqual([]);
  });

  it('reaches the upload path through the session’s import()', () => {
    const graph = importGraph(entry, { dynamic: true });
    expect(UPLOAD_ONLY.slice(0, 5).filter((source) => !graph.sources.has(source))).toEqual([]);
  });
});
