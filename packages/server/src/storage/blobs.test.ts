import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { createBlobStore, isSafeKey } from './blobs';

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
  const dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-blobs-'));
  try {
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
    expect(await readdir(path.join(dir, 'tmp'))).toEqual([]);
    expect(store.listKeys()).toEqual(['symbolsets/kept']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a writer digests what it wrote with the algorithm it was made for', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-blobs-'));
  try {
    const store = createBlobStore(dir);
    for (const algorithm of ['md5', 'sha512'] as const) {
      const writer = await store.createWriter(algorithm);
      await writer.write(Buffer.from('two '));
      await writer.write(Buffer.from('parts'));
      expect(writer.digest()).toBe(createHash(algorithm).update('two parts').digest('hex'));
      await writer.abort();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
