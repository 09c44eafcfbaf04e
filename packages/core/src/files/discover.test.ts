import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileError } from '../errors';
import { discoverSourcePairs } from './discover';
import { describeSourcePairProblem, mapPathCandidates, pairSourceMap } from './pair';

const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'hogmaps-discover-')));
const dist = join(tmp, 'dist');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(relative: string, content: string | Buffer = '') {
  const path = join(dist, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

const MAP = '{"version":3,"sources":["a.ts"],"names":[],"mappings":"AAAA"}';

beforeAll(() => {
  write('app.js', 'console.log(1);\n//# sourceMappingURL=app.js.map\n//# chunkId=abc\n');
  write('app.js.map', MAP);
  write('assets/nested/chunk.mjs', 'export {};\n//# sourceMappingURL=../../maps/chunk%20one.mjs.map');
  write('maps/chunk one.mjs.map', MAP);
  write('assets/cdn.js', 'x;\n//# sourceMappingURL=https://cdn.example.com/assets/maps/cdn.js.map\n');
  write('assets/maps/cdn.js.map', MAP);
  write('sibling.cjs', 'module.exports = 1;\n');
  write('sibling.cjs.map', MAP);
  write('legacy.js', 'x;\n//@ sourceMappingURL=legacy.map\n');
  write('legacy.map', MAP);
  write('last-wins.js', '//# sourceMappingURL=first.map\nx;\n//# sourceMappingURL=second.map\n');
  write('first.map', MAP);
  write('second.map', MAP);
  write(
    'inline.js',
    `x;\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(MAP).toString('base64')}\n`,
  );
  write('inline-with-sibling.js', 'x;\n//# sourceMappingURL=data:application/json;base64,e30=\n');
  write('inline-with-sibling.js.map', MAP);
  write('missing.js', 'x;\n//# sourceMappingURL=gone.js.map\n');
  write('no-comment.js', 'x;\n');
  write('bad-utf8.js', Buffer.from([0x78, 0x3b, 0xff, 0xfe, 0x0a]));
  write('node_modules/dep/index.js', 'x;\n');
  write('node_modules/dep/index.js.map', MAP);
  write('style.css', 'a{}\n/*# sourceMappingURL=style.css.map */\n');
  write('readme.txt', 'hello');
  write('.hidden/h.js', 'x;\n');
  symlinkSync(join(dist, 'app.js'), join(dist, 'link.js'));
  symlinkSync(join(dist, 'assets'), join(dist, 'linked-dir'));
});

const byName = (pairs: Awaited<ReturnType<typeof discoverSourcePairs>>) =>
  Object.fromEntries(pairs.map((pair) => [pair.jsPath.slice(dist.length + 1), pair]));

describe('discoverSourcePairs', () => {
  it('walks recursively, pairs every JS file and reports the ones without a map', async () => {
    const pairs = byName(await discoverSourcePairs([dist]));
    expect(Object.keys(pairs).sort()).toEqual(
      [
        '.hidden/h.js',
        'app.js',
        'assets/cdn.js',
        'assets/nested/chunk.mjs',
        'bad-utf8.js',
        'inline-with-sibling.js',
        'inline.js',
        'last-wins.js',
        'legacy.js',
        'missing.js',
        'no-comment.js',
        'node_modules/dep/index.js',
        'sibling.cjs',
      ].sort(),
    );
    expect(pairs['app.js']).toEqual({
      jsPath: join(dist, 'app.js'),
      mapPath: join(dist, 'app.js.map'),
      mapReference: 'app.js.map',
    });
    expect(pairs['assets/nested/chunk.mjs']).toEqual({
      jsPath: join(dist, 'assets/nested/chunk.mjs'),
      mapPath: join(dist, 'maps/chunk one.mjs.map'),
      mapReference: '../../maps/chunk one.mjs.map',
    });
    expect(pairs['sibling.cjs']).toEqual({
      jsPath: join(dist, 'sibling.cjs'),
      mapPath: join(dist, 'sibling.cjs.map'),
    });
    expect(pairs['legacy.js']?.mapPath).toBe(join(dist, 'legacy.map'));
    expect(pairs['last-wins.js']?.mapPath).toBe(join(dist, 'second.map'));
    expect(pairs['node_modules/dep/index.js']?.mapPath).toBe(join(dist, 'node_modules/dep/index.js.map'));
    expect(pairs['inline-with-sibling.js']).toEqual({
      jsPath: join(dist, 'inline-with-sibling.js'),
      mapPath: join(dist, 'inline-with-sibling.js.map'),
      mapReference: 'data:application/json;base64,…',
    });
    expect(pairs['inline.js']).toEqual({
      jsPath: join(dist, 'inline.js'),
      mapReference: 'data:application/json;base64,…',
      problem: 'inline-map',
    });
    expect(pairs['missing.js']).toEqual({
      jsPath: join(dist, 'missing.js'),
      mapReference: 'gone.js.map',
      problem: 'no-map',
    });
    expect(pairs['no-comment.js']).toEqual({ jsPath: join(dist, 'no-comment.js'), problem: 'no-map' });
    expect(pairs['bad-utf8.js']).toEqual({ jsPath: join(dist, 'bad-utf8.js'), problem: 'not-utf8' });
    // An absolute URL is not a file: without the public path it falls through to the (missing) sibling.
    expect(pairs['assets/cdn.js']?.problem).toBe('no-map');
  });

  it('strips the public path prefix from references', async () => {
    for (const publicPathPrefix of ['https://cdn.example.com/assets', 'https://cdn.example.com/assets/']) {
      const [pair] = await discoverSourcePairs([join(dist, 'assets', 'cdn.js')], { publicPathPrefix });
      expect(pair).toEqual({
        jsPath: join(dist, 'assets/cdn.js'),
        mapPath: join(dist, 'assets/maps/cdn.js.map'),
        mapReference: 'https://cdn.example.com/assets/maps/cdn.js.map',
      });
    }
  });

  it('applies include and exclude globs', async () => {
    const excluded = byName(
      await discoverSourcePairs([dist], { exclude: ['**/node_modules/**', '**/.hidden/**'] }),
    );
    expect(excluded).not.toHaveProperty(['node_modules/dep/index.js']);
    expect(excluded).not.toHaveProperty(['.hidden/h.js']);
    expect(excluded).toHaveProperty(['app.js']);

    // Relative to the root, relative to cwd, or absolute.
    const rootRelative = await discoverSourcePairs([dist], { include: 'assets/**' });
    const cwdRelative = await discoverSourcePairs(['dist'], { cwd: tmp, include: ['dist/assets/**'] });
    const absolute = await discoverSourcePairs([dist], { include: `${dist}/assets/**/*.{js,mjs}` });
    for (const pairs of [rootRelative, cwdRelative, absolute]) {
      expect(Object.keys(byName(pairs)).sort()).toEqual(['assets/cdn.js', 'assets/nested/chunk.mjs']);
    }

    const both = await discoverSourcePairs([dist], { include: '**/*.mjs', exclude: '**/nested/**' });
    expect(both).toEqual([]);
  });

  it('accepts predicates, called with absolute paths', async () => {
    const seen: string[] = [];
    const pairs = await discoverSourcePairs([dist], {
      include: (path) => {
        seen.push(path);
        return path.endsWith('.cjs');
      },
    });
    expect(pairs.map((pair) => pair.jsPath)).toEqual([join(dist, 'sibling.cjs')]);
    expect(seen.every((path) => path.startsWith(`${dist}/`))).toBe(true);
  });

  it('does not follow symlinks', async () => {
    const names = Object.keys(byName(await discoverSourcePairs([dist])));
    expect(names).not.toContain('link.js');
    expect(names.some((name) => name.startsWith('linked-dir/'))).toBe(false);
  });

  it('accepts a single file as a root, dedupes overlapping roots and sorts', async () => {
    const pairs = await discoverSourcePairs(
      [join(dist, 'sibling.cjs'), join(dist, 'assets'), dist, join(dist, 'style.css')],
      {
        concurrency: 1,
      },
    );
    const paths = pairs.map((pair) => pair.jsPath);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toHaveLength(13);
  });

  it('rejects a root that does not exist', async () => {
    const missing = join(tmp, 'nope');
    await expect(discoverSourcePairs([missing])).rejects.toThrow(FileError);
    await expect(discoverSourcePairs([missing])).rejects.toThrow(`${missing}: does not exist`);
  });

  it('returns nothing for an empty directory', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    expect(await discoverSourcePairs([empty])).toEqual([]);
  });
});

describe('pairing helpers', () => {
  it('lists candidates in PostHog order, skipping URLs', () => {
    expect(
      mapPathCandidates('/out/js/a.js', '/static/js/a.js.map', { publicPathPrefix: '/static/js' }),
    ).toEqual(['/static/js/a.js.map', '/a.js.map', '/out/js/a.js.map']);
    expect(mapPathCandidates('/out/a.js', 'https://x.test/a.js.map')).toEqual(['/out/a.js.map']);
    expect(mapPathCandidates('/out/a.js', 'maps/a.js.map?v=1')).toEqual([
      '/out/maps/a.js.map?v=1',
      '/out/a.js.map',
    ]);
  });

  it('keeps a reference that is not valid percent-encoding as written', async () => {
    write('weird/w.js', 'x;\n//# sourceMappingURL=w%E0%A4.map\n');
    write('weird/w%E0%A4.map', MAP);
    expect(await pairSourceMap(join(dist, 'weird/w.js'))).toMatchObject({
      mapPath: join(dist, 'weird/w%E0%A4.map'),
    });
  });

  it('explains every problem', async () => {
    const inline = await pairSourceMap(join(dist, 'inline.js'));
    expect(describeSourcePairProblem(inline)).toMatch(/inline \(data: URL\) source maps are not supported/);
    expect(describeSourcePairProblem(await pairSourceMap(join(dist, 'missing.js')))).toContain(
      '"gone.js.map" not found',
    );
    expect(describeSourcePairProblem(await pairSourceMap(join(dist, 'no-comment.js')))).toContain(
      'no sourceMappingURL comment',
    );
    expect(describeSourcePairProblem(await pairSourceMap(join(dist, 'bad-utf8.js')))).toContain(
      'not valid UTF-8',
    );
    expect(await pairSourceMap(join(tmp, 'absent.js'))).toEqual({
      jsPath: join(tmp, 'absent.js'),
      problem: 'unreadable',
    });
    expect(describeSourcePairProblem(await pairSourceMap(join(dist, 'app.js')))).toBeUndefined();
  });
});
