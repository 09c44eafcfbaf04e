import { createPostHogClient, encodeSymbolSet, type PostHogClient, type SymbolSetJson } from '@hogmaps/core';
import type { RunningServer } from '@hogmaps/server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTempServer } from '../harness/temp-server';

// The core client against the real local server: release, three symbol sets, paging, download, delete.
let server: RunningServer;
let client: PostHogClient;

beforeAll(async () => {
  server = await startTempServer('roundtrip');
  client = createPostHogClient({ host: server.url, projectId: server.projectId, apiKey: server.apiKey });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

test('create a release, upload three symbol sets, page through them, download one, delete one', async () => {
  const release = await client.releases.create({
    project: 'round-trip',
    version: '1.2.3',
    hash_id: 'round-trip-hash',
  });
  expect(await client.releases.getByHash('round-trip-hash')).toMatchObject({
    id: release.id,
    version: '1.2.3',
  });

  const containers = new Map<string, Buffer>();
  for (const n of [1, 2, 3]) {
    const chunkId = `0190aaaa-0000-7000-8000-00000000000${n}`;
    containers.set(
      chunkId,
      encodeSymbolSet({
        minified: `f${n}();\n//# chunkId=${chunkId}`,
        map: `{"version":3,"sources":["f${n}.ts"],"mappings":"AAAA"}`,
      }),
    );
  }
  const { createHash } = await import('node:crypto');
  const hashOf = (bytes: Buffer) => createHash('sha512').update(bytes).digest('hex');
  const start = await client.symbolSets.bulkStartUpload({
    symbol_sets: [...containers].map(([chunk_id, bytes]) => ({
      chunk_id,
      release_id: release.id,
      content_hash: hashOf(bytes),
    })),
    force: false,
    skip_on_conflict: false,
  });
  expect(Object.keys(start.id_map).sort()).toEqual([...containers.keys()].sort());
  const hashes: Record<string, string> = {};
  for (const [chunkId, entry] of Object.entries(start.id_map)) {
    const bytes = containers.get(chunkId)!;
    await client.uploadToPresignedPost(entry.presigned_url, bytes);
    hashes[entry.symbol_set_id] = hashOf(bytes);
  }
  await client.symbolSets.bulkFinishUpload({ content_hashes: hashes });

  const page1 = await client.symbolSets.listPage({ limit: 2 });
  expect(page1.count).toBe(3);
  expect(page1.results).toHaveLength(2);
  expect(page1.next).toMatch(/offset=2/);
  const all: SymbolSetJson[] = [];
  for await (const set of client.symbolSets.list({ limit: 1 })) all.push(set);
  expect(all.map((set) => set.ref).sort()).toEqual([...containers.keys()].sort());
  expect(all.every((set) => set.release?.id === release.id)).toBe(true);

  const first = all[0]!;
  const downloaded = await client.symbolSets.downloadBytes(first.id);
  expect(Buffer.compare(Buffer.from(downloaded), containers.get(first.ref)!)).toBe(0);

  await client.symbolSets.delete(first.id);
  const remaining: string[] = [];
  for await (const set of client.symbolSets.list()) remaining.push(set.ref);
  expect(remaining.sort()).toEqual([...containers.keys()].filter((ref) => ref !== first.ref).sort());
  await expect(client.symbolSets.get(first.id)).rejects.toMatchObject({ status: 404, apiCode: 'not_found' });
});
