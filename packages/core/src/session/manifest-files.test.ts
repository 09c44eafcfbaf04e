import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManifestChunk } from './manifest';
import { isPendingMapPath, resolveManifestChunkFiles } from './manifest-files';

const ID = '6a0c2f4e-1b3d-5e7f-8a9b-0c1d2e3f4a5b';
let root: string;
let manifest: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hogmaps-manifest-files-'));
  await mkdir(path.join(root, 'app', 'dist', 'assets'), { recursive: true });
  await mkdir(path.join(root, 'node_modules', '.cache', 'hogmaps', 'pending'), { recursive: true });
  manifest = path.join(root, 'app', 'dist', 'hogmaps-manifest.json');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const chunk = (file: string, map: string | null): ManifestChunk => ({
  chunkId: ID,
  file,
  map,
  status: 'failed',
});

describe('resolveManifestChunkFiles', () => {
  it('accepts files of the output folder and maps a build moved to a parent pending folder', async () => {
    const pendingMap = `../../node_modules/.cache/hogmaps/pending/${ID}.map`;
    await writeFile(path.join(root, 'node_modules', '.cache', 'hogmaps', 'pending', `${ID}.map`), '{}');
    expect(await resolveManifestChunkFiles(manifest, chunk('assets/a.js', pendingMap), 0)).toEqual({
      jsPath: path.join(root, 'app', 'dist', 'assets', 'a.js'),
      mapPath: path.join(root, 'node_modules', '.cache', 'hogmaps', 'pending', `${ID}.map`),
    });
    expect(isPendingMapPath(manifest, chunk('assets/a.js', pendingMap))).toBe(true);
    expect(isPendingMapPath(manifest, chunk('assets/a.js', 'assets/a.js.map'))).toBe(false);
  });

  it.each([
    [
      'a file above the folder',
      chunk('../../secret.env', null),
      /chunks\[0\]\.file "\.\.\/\.\.\/secret\.env" is outside/,
    ],
    ['an absolute file', chunk('/etc/passwd', null), /chunks\[0\]\.file "\/etc\/passwd" is outside/],
    ['a map elsewhere', chunk('a.js', '../../outside.map'), /chunks\[0\]\.map .* is outside/],
    [
      'a pending map of another chunk id',
      chunk('a.js', '../../node_modules/.cache/hogmaps/pending/other.map'),
      /chunks\[0\]\.map .* is outside/,
    ],
    ['the folder itself', chunk('.', null), /chunks\[0\]\.file "\." is outside/],
  ])('refuses %s', async (_, entry, message) => {
    await expect(resolveManifestChunkFiles(manifest, entry, 0)).rejects.toThrow(message);
  });

  it('refuses a symlink in the output that leads outside it', async () => {
    await writeFile(path.join(root, 'secret.env'), 'TOKEN=1');
    await symlink(path.join(root, 'secret.env'), path.join(root, 'app', 'dist', 'assets', 'link.js'));
    await expect(resolveManifestChunkFiles(manifest, chunk('assets/link.js', null), 3)).rejects.toThrow(
      /chunks\[3\]\.file "assets\/link\.js" is outside/,
    );
  });
});
