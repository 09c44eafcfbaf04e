import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createBlobStore, isSafeKey } from './blobs';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-blobs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('only plain relative keys are safe', () => {
  for (const key of ['symbolsets/0190a0a0-1234-7abc-8def-0123456789ab', 'a', 'a/b.c/d_e-f']) {
    expect(isSafeKey(key), key).toBe(true);
  }
  for (const key of [
    '',
    '/etc/passwd',
    '../x',
    'a/../../x',
    'a/./b',
    'a//b',
    'a\\b',
    'a/b/',
    '..',
    'a%2Fb',
    'x'.repeat(600),
  ]) {
    expect(isSafeKey(key), key).toBe(false);
  }
});

test('a writer aborted after its commit keeps the object; one aborted before leaves nothing', async () => {
  const store = createBlobStore(dir);
  const kept = await store.createWriter('md5');
  await kept.write(Buffer.from('kept'));
  await kept.close();
  kept.commitSync('symbolsets/kept');
  await kept.abort();
  expect(store.readSync('symbolsets/kept')?.toString()).toBe('kept');

  const dropped = await store.createWriter('md5');
  await dropped.write(Buffer.from('dropped'));
  await dropped.abort();
  expect(await readdir(store.tmpDir)).toEqual([]);
  expect(store.listKeys()).toEqual(['symbolsets/kept']);
});

test('a writer digests what it wrote with the algorithm it was made for', async () => {
  const store = createBlobStore(dir);
  for (const algorithm of ['md5', 'sha512'] as const) {
    const writer = await store.createWriter(algorithm);
    await writer.write(Buffer.from('two '));
    await writer.write(Buffer.from('parts'));
    expect(writer.digest()).toBe(createHash(algorithm).update('two parts').digest('hex'));
    await writer.abort();
  }
});

test('a second server starting on the same data folder leaves the uploads the first is receiving alone', async () => {
  const first = createBlobStore(dir);
  const writer = await first.createWriter('md5');
  await writer.write(Buffer.from('half '));
  createBlobStore(dir); // the second server's start
  await writer.write(Buffer.from('and the rest'));
  await writer.close();
  writer.commitSync('symbolsets/in-flight');
  expect(first.readSync('symbolsets/in-flight')?.toString()).toBe('half and the rest');
});

test('a start removes what servers that are gone left in tmp/, and nothing a live or distant one may use', async () => {
  const tmp = path.join(dir, 'tmp');
  // A pid that has just exited (a child process of this test) stands for a crashed server.
  const gone = spawnSync(process.execPath, ['-e', '']).pid;
  const leftovers = {
    [`${gone}@${hostname()}.0123abcd`]: 'dir',
    [`${process.pid}@${hostname()}.89abcdef`]: 'dir',
    [`${gone}@elsewhere.example.0123abcd`]: 'dir',
    'old-layout-file': 'file',
    'recent-layout-file': 'file',
  } as const;
  await mkdir(tmp, { recursive: true });
  for (const [name, kind] of Object.entries(leftovers)) {
    if (kind === 'dir') {
      await mkdir(path.join(tmp, name));
      await writeFile(path.join(tmp, name, 'part'), 'x');
    } else await writeFile(path.join(tmp, name), 'x');
  }
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
  await utimes(path.join(tmp, 'old-layout-file'), twoDaysAgo, twoDaysAgo);

  const store = createBlobStore(dir);
  expect((await readdir(tmp)).sort()).toEqual(
    [
      `${gone}@elsewhere.example.0123abcd`,
      `${process.pid}@${hostname()}.89abcdef`,
      path.basename(store.tmpDir),
      'recent-layout-file',
    ].sort(),
  );
  // Its own folder goes when it closes.
  store.removeTemporaries();
  expect(await readdir(tmp)).not.toContain(path.basename(store.tmpDir));
});
