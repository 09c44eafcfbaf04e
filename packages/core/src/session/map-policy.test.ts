import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disposeMaps, pendingMapsDir } from './map-policy';

let root: string;
let dist: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hogmaps-map-policy-'));
  dist = path.join(root, 'dist');
  await mkdir(dist);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function map(name: string): Promise<string> {
  const file = path.join(dist, name);
  await writeFile(file, '{"version":3,"mappings":""}');
  return file;
}

describe('disposeMaps', () => {
  it('never turns a chunk id that is not one into a path: that map is deleted, not moved', async () => {
    const mapPath = await map('a.js.map');
    const result = await disposeMaps(
      [{ chunkId: '../../../escaped', mapPath, keepForRetry: true }],
      pendingMapsDir(root),
    );
    expect(existsSync(mapPath)).toBe(false);
    expect(result.movedAside.size).toBe(0);
    expect(await readdir(root)).toEqual(['dist']);
  });
});
