import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createPostHogClient,
  encodeSymbolSet,
  injectChunk,
  type PostHogClient,
  readSourcePair,
  type UploadInput,
  type UploadOptions,
  type UploadProgressEvent,
  uploadSymbolSets,
} from '@hogmaps/core';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { startTestServer, type TestProject, type TestServer } from '../harness/server';

// Event mode hashes the pair, not the container, so the pipeline asks bulk_check_upload first and
// packs (zstd) only the sets the server still needs; what it sends stays byte-identical to a
// container packed up front. Every run talks to the real local server.
let server: TestServer;
let project: TestProject;
let client: PostHogClient;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  project = server.project();
  client = createPostHogClient({
    host: server.server.url,
    projectId: project.projectId,
    apiKey: project.apiKey,
    retries: 0,
  });
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-check-first-'));
  return async () => {
    await client.close();
    await rm(dir, { recursive: true, force: true });
  };
});

const RELEASE_1 = '0190aaaa-0000-7000-8000-000000000001';
const RELEASE_2 = '0190aaaa-0000-7000-8000-000000000002';
const chunkIdOf = (n: number) => `0190bbbb-0000-7000-8000-00000000000${n}`;

/** Writes chunk n as a build of `release` emits it (release snippet injected) and returns its input. */
async function emit(n: number, release: string, body = `return ${n} * 2;`): Promise<UploadInput> {
  const chunkId = chunkIdOf(n);
  const source = `export function f${n}(x){${body}}\n`;
  const { code } = injectChunk(source, { chunkId, releaseId: release });
  const map = {
    version: 3,
    file: `chunk-${n}.js`,
    sources: [`src/f${n}.ts`],
    sourcesContent: [source],
    names: [],
    mappings: 'AAAA,SAAS',
  };
  const jsPath = path.join(dir, `chunk-${n}.js`);
  await writeFile(jsPath, code);
  await writeFile(`${jsPath}.map`, JSON.stringify(map));
  const input: UploadInput = {
    chunkId,
    fileName: `chunk-${n}.js`,
    load: () => {
      loads.set(chunkId, (loads.get(chunkId) ?? 0) + 1);
      return readSourcePair(jsPath, `${jsPath}.map`);
    },
  };
  return input;
}

let loads = new Map<string, number>();

async function upload(inputs: UploadInput[], options: UploadOptions = {}) {
  loads = new Map();
  const events: UploadProgressEvent[] = [];
  const summary = await uploadSymbolSets(client, inputs, {
    releaseMode: 'event',
    force: true,
    releaseId: null,
    onProgress: (event) => events.push(event),
    ...options,
  });
  const packed = events.flatMap((event) => (event.type === 'packed' ? [event.chunkId] : []));
  return { summary, packed };
}

/** Each set the server holds is exactly the container of the pair on disk. */
async function expectStoredAsOnDisk(ns: number[]) {
  for (const n of ns) {
    const jsPath = path.join(dir, `chunk-${n}.js`);
    const expected = encodeSymbolSet(await readSourcePair(jsPath, `${jsPath}.map`));
    const set = (await project.symbolSets()).find((candidate) => candidate.ref === chunkIdOf(n))!;
    const base = `${server.server.url}/api/projects/${project.projectId}/error_tracking`;
    const { url } = (await (
      await fetch(`${base}/symbol_sets/${set.id}/download/`, {
        headers: { authorization: `Bearer ${project.apiKey}` },
      })
    ).json()) as { url: string };
    const stored = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(stored.equals(expected), `chunk ${n}`).toBe(true);
  }
}

test('a new release of unchanged code packs nothing; a changed chunk alone is packed and sent', async () => {
  const first = await upload(await Promise.all([1, 2, 3, 4].map((n) => emit(n, RELEASE_1))));
  expect(first.summary.uploaded).toHaveLength(4);
  expect(first.packed.sort()).toEqual([1, 2, 3, 4].map(chunkIdOf));
  await expectStoredAsOnDisk([1, 2, 3, 4]);

  // Release 2: the same code with the new release id in every snippet, and chunk 3 changed.
  const inputs = await Promise.all(
    [1, 2, 3, 4].map((n) => emit(n, RELEASE_2, n === 3 ? 'return 7;' : undefined)),
  );
  const second = await upload(inputs);
  expect(second.summary.uploaded).toEqual([chunkIdOf(3)]);
  expect(second.summary.alreadyPresent.sort()).toEqual([1, 2, 4].map(chunkIdOf));
  expect(second.packed).toEqual([chunkIdOf(3)]);
  expect([...loads.values()]).toEqual([1, 1, 1, 1]); // each pair read once: held from hash to pack
  await expectStoredAsOnDisk([3]);

  const third = await upload(
    await Promise.all([1, 2, 3, 4].map((n) => emit(n, RELEASE_1, n === 3 ? 'return 7;' : undefined))),
  );
  expect(third.summary).toMatchObject({ uploaded: [], failed: [] });
  expect(third.packed).toEqual([]);
});

test('when bulk_check_upload fails, every set goes to bulk_start_upload; what it asks for is packed and sent as is', async () => {
  await upload([await emit(1, RELEASE_1)]);
  const failing = server.server.faults.add({
    match: { path: 'bulk_check_upload' },
    action: { status: 500, body: { detail: 'down' } },
    times: 1,
  });
  const { summary, packed } = await upload(await Promise.all([1, 2].map((n) => emit(n, RELEASE_2))));
  expect(failing.hits).toBe(1);
  // Without an answer each set goes to bulk_start_upload, which finds chunk 1 unchanged (same event
  // hash): only chunk 2 is packed and sent.
  expect(summary).toMatchObject({ uploaded: [chunkIdOf(2)], alreadyPresent: [chunkIdOf(1)], failed: [] });
  expect(packed).toEqual([chunkIdOf(2)]);
  await expectStoredAsOnDisk([2]);
});

test('pairs beyond the buffer budget are read again and re-hashed before packing; a changed file fails', async () => {
  const inputs = await Promise.all([1, 2, 3].map((n) => emit(n, RELEASE_1)));
  const { summary, packed } = await upload(inputs, { maxBufferedBytes: 0 });
  expect(summary.uploaded).toHaveLength(3);
  expect(packed).toHaveLength(3);
  expect([...loads.values()]).toEqual([2, 2, 2]); // nothing held: read to hash, read again to pack
  await expectStoredAsOnDisk([1, 2, 3]);

  // Changed between its hash and its upload: the upload would not match the hash PostHog recorded.
  const fickle = await emit(4, RELEASE_1);
  const load = fickle.load;
  let calls = 0;
  fickle.load = async () => {
    if (++calls === 2) await emit(4, RELEASE_1, 'return 0;');
    return load();
  };
  const changed = await upload([fickle], { maxBufferedBytes: 0 });
  expect(changed.summary.failed[0]?.error).toMatch(/chunk-4\.js: changed while it was being uploaded/);
});

test('a pair that might pack over the size limit is packed before the check; over it, it never reaches the server', async () => {
  const big = await emit(1, RELEASE_1, `return ${JSON.stringify('x'.repeat(4000))};`);
  const small = await emit(2, RELEASE_1);
  const { summary, packed } = await upload([big, small], { maxPayloadBytes: 2000, compression: 'none' });
  expect(summary.tooLarge).toEqual([chunkIdOf(1)]);
  expect(summary.uploaded).toEqual([chunkIdOf(2)]);
  expect(packed).toEqual([chunkIdOf(2)]);
  expect((await project.symbolSets()).map((set) => set.ref)).toEqual([chunkIdOf(2)]);
});
