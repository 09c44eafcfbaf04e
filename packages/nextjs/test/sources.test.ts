import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { turbopackRoot } from '../src/bundler';
import { createSourceRewriter } from '../src/sources';

let root: string;
let project: string;

beforeEach(() => {
  // A monorepo: Turbopack's [project] is its root, the Next app lives in apps/web.
  root = mkdtempSync(path.join(tmpdir(), 'hogmaps-next-sources-'));
  project = path.join(root, 'apps/web');
  mkdirSync(path.join(project, 'app'), { recursive: true });
  writeFileSync(path.join(project, 'app/page.tsx'), '');
  mkdirSync(path.join(root, 'node_modules/.pnpm/next'), { recursive: true });
  writeFileSync(path.join(root, 'node_modules/.pnpm/next/index.js'), '');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('createSourceRewriter', () => {
  const map = () => path.join(project, '.next/static/chunks/abc.js.map');

  it("turns Turbopack's [project] paths into paths relative to the Next project", () => {
    const rewrite = createSourceRewriter(project);
    expect(rewrite('turbopack:///[project]/apps/web/app/page.tsx', map())).toBe('app/page.tsx');
    expect(rewrite('turbopack:///[project]/node_modules/.pnpm/next/index.js', map())).toBe(
      '../../node_modules/.pnpm/next/index.js',
    );
  });

  it("turns webpack's namespaced paths (scoped package names too) into project paths", () => {
    const rewrite = createSourceRewriter(project);
    expect(rewrite('webpack://_N_E/./app/page.tsx', map())).toBe('app/page.tsx');
    expect(rewrite('webpack://@acme/web/./app/page.tsx', map())).toBe('app/page.tsx');
    expect(rewrite('webpack://web/../../node_modules/.pnpm/next/index.js', map())).toBe(
      '../../node_modules/.pnpm/next/index.js',
    );
  });

  it('resolves paths relative to the map file, and leaves other URLs alone', () => {
    const rewrite = createSourceRewriter(project);
    const serverMap = path.join(project, '.next/server/chunks/ssr/x.js.map');
    expect(rewrite('../../../../app/page.tsx', serverMap)).toBe('app/page.tsx');
    expect(rewrite('webpack-internal:///(rsc)/./app/page.tsx', map())).toBe(
      'webpack-internal:///(rsc)/./app/page.tsx',
    );
  });

  it('gives every source the same path whatever order the maps are read in (it is hashed)', () => {
    // Next ships no `src/`: a file found nowhere on disk, read before or after one that exists.
    const missing = 'turbopack:///[project]/node_modules/.pnpm/next/src/client/link.tsx';
    const present = 'turbopack:///[project]/node_modules/.pnpm/next/index.js';
    const missingFirst = createSourceRewriter(project);
    const presentFirst = createSourceRewriter(project);
    presentFirst(present, map());
    expect(missingFirst(missing, map())).toBe(presentFirst(missing, map()));
    const withRoot = createSourceRewriter(project, root);
    expect(withRoot(missing, map())).toBe('../../node_modules/.pnpm/next/src/client/link.tsx');
    expect(withRoot('turbopack:///[project]/apps/web/app/page.tsx', map())).toBe('app/page.tsx');
  });
});

describe('turbopackRoot', () => {
  it('is the configured root, else the one Next itself finds (this repository, by its lockfile)', () => {
    const configured = { outputFileTracingRoot: '/srv/repo', turbopack: { root: '/other' } };
    expect(turbopackRoot(project, configured, {})).toBe(path.resolve('/srv/repo'));
    expect(turbopackRoot(project, { turbopack: { root: '/srv/mono' } }, {})).toBe(path.resolve('/srv/mono'));
    expect(turbopackRoot(project, {}, { NEXT_PRIVATE_OUTPUT_TRACE_ROOT: '/srv/env' })).toBe(
      path.resolve('/srv/env'),
    );
    const repository = path.resolve(import.meta.dirname, '../../..');
    expect(turbopackRoot(path.resolve(import.meta.dirname, '..'), {}, {})).toBe(repository);
  });
});
