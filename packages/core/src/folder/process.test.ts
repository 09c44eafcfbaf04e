import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readInjectedChunkId } from '../chunk-id/detect';
import { createLogger } from '../logger';
import { resolveOptions } from '../options/resolve';
import { createBuildSession } from '../session/session';
import { processDirectory } from './process';

let root: string;
const lines: string[] = [];
const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });

// One generated line mapping column 0 to line 1, column 0 of the source.
const map = (source: string) =>
  JSON.stringify({ version: 3, sources: [source], names: [], mappings: 'AAAA', sourcesContent: ['throw 1'] });

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hogmaps-folder-'));
  lines.length = 0;
  await writeFile(path.join(root, 'package.json'), '{"name":"folder-app","version":"1.0.0"}');
  await mkdir(path.join(root, 'out', 'static'), { recursive: true });
  await mkdir(path.join(root, 'out', 'server'), { recursive: true });
  // A client chunk whose (public) map hogmaps turned on, a server chunk with the user's own map.
  await writeFile(path.join(root, 'out/static/a.js'), 'throw 1\n//# sourceMappingURL=a.js.map\n');
  await writeFile(path.join(root, 'out/static/a.js.map'), map('turbopack:///[project]/app/a.tsx'));
  await writeFile(path.join(root, 'out/server/b.js'), 'throw 2\n//# sourceMappingURL=b.js.map\n');
  await writeFile(path.join(root, 'out/server/b.js.map'), map('turbopack:///[project]/app/b.tsx'));
  await writeFile(path.join(root, 'out/server/manifest.js'), 'self.x = {}\n'); // no map: skipped quietly
  // In the folder hogmaps owns: a map no file references, and a CSS file with its map.
  await writeFile(path.join(root, 'out/static/orphan.js.map'), map('turbopack:///[project]/polyfill.js'));
  await writeFile(path.join(root, 'out/static/a.css'), 'a{}\n/*# sourceMappingURL=a.css.map */\n');
  await writeFile(path.join(root, 'out/static/a.css.map'), map('turbopack:///[project]/app/a.css'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('processDirectory with a session handoff', () => {
  it('injects, rewrites sources, drops references to maps hogmaps owns and moves those maps out', async () => {
    const options = resolveOptions(
      { sourcemaps: { releaseName: 'folder-app', releaseVersion: '1' } },
      {},
      {
        cwd: root,
      },
    );
    const session = createBuildSession(options, { tool: 'cli', logger, env: {} });
    const outDir = path.join(root, 'out');
    const report = await processDirectory({
      roots: [path.join(outDir, 'static'), path.join(outDir, 'server')],
      options,
      logger,
      env: {},
      handoff: {
        session,
        outDir,
        ownsMap: ({ mapPath }) => mapPath.includes(`${path.sep}static${path.sep}`),
        rewriteSource: (source) => source.replace('turbopack:///[project]/', ''),
        ownedFolders: [path.join(outDir, 'static')],
      },
    });

    expect(report.injection).toEqual({ injected: 2, alreadyInjected: 0, skipped: 0 });
    const client = await readFile(path.join(outDir, 'static/a.js'), 'utf8');
    const server = await readFile(path.join(outDir, 'server/b.js'), 'utf8');
    expect(readInjectedChunkId(client)).toBeDefined();
    expect(readInjectedChunkId(server)).toBeDefined();
    // Our map is out of the output and nothing points at it; the user's map and reference stay.
    expect(client).not.toContain('sourceMappingURL');
    expect(existsSync(path.join(outDir, 'static/a.js.map'))).toBe(false);
    expect(existsSync(path.join(outDir, 'static/orphan.js.map'))).toBe(false);
    expect(existsSync(path.join(outDir, 'static/a.css.map'))).toBe(false);
    expect(await readFile(path.join(outDir, 'static/a.css'), 'utf8')).toBe('a{}\n');
    expect(server).toContain('//# sourceMappingURL=b.js.map');
    // The map on disk keeps its sources (only the uploaded copy is rewritten).
    const serverMap = JSON.parse(await readFile(path.join(outDir, 'server/b.js.map'), 'utf8'));
    expect(serverMap.sources).toEqual(['turbopack:///[project]/app/b.tsx']);
    expect(serverMap.chunk_id).toBe(readInjectedChunkId(server));
    // No credentials: the session's one summary line says so; the file without a map is only a debug line.
    expect(report.summary).toContain('2 chunks with ids, nothing uploaded (no credentials)');
    expect(lines.filter((line) => line.includes('warning')).join('\n')).not.toContain('without a source map');
  });
});

describe('processDirectory stays inside the folder given', () => {
  it('never reads or rewrites a map that a sourceMappingURL puts outside it', async () => {
    const outside = path.join(root, 'elsewhere');
    await mkdir(outside);
    const parentMap = path.join(root, 'out', 'parent.js.map');
    const absoluteMap = path.join(outside, 'absolute.js.map');
    const linkTarget = path.join(outside, 'linked.js.map');
    for (const file of [parentMap, absoluteMap, linkTarget]) await writeFile(file, map('secret.ts'));
    const dist = path.join(root, 'out', 'static');
    await writeFile(path.join(dist, 'parent.js'), 'throw 3\n//# sourceMappingURL=../parent.js.map\n');
    await writeFile(path.join(dist, 'absolute.js'), `throw 4\n//# sourceMappingURL=${absoluteMap}\n`);
    await writeFile(path.join(dist, 'linked.js'), 'throw 5\n//# sourceMappingURL=linked.js.map\n');
    await symlink(linkTarget, path.join(dist, 'linked.js.map'));
    const before = await Promise.all(
      [parentMap, absoluteMap, linkTarget].map((file) => readFile(file, 'utf8')),
    );

    const options = resolveOptions({}, {}, { cwd: root });
    const report = await processDirectory({ roots: [dist], options, logger, env: {}, step: 'inject' });

    expect(report.injection).toEqual({ injected: 1, alreadyInjected: 0, skipped: 0 }); // a.js alone
    const after = await Promise.all(
      [parentMap, absoluteMap, linkTarget].map((file) => readFile(file, 'utf8')),
    );
    expect(after).toEqual(before);
    for (const name of ['parent.js', 'absolute.js', 'linked.js']) {
      expect(readInjectedChunkId(await readFile(path.join(dist, name), 'utf8'))).toBeUndefined();
      expect(lines.join('\n')).toMatch(
        new RegExp(`${name}: source map "[^"]*" is outside the folder given; it is neither read nor changed`),
      );
    }
  });
});
