import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostHogClient, type PostHogClient } from '../../src/api/client';
import { decodeSymbolSet } from '../../src/container/decode';
import { FileError } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { uploadSymbolSets } from '../../src/upload/pipeline';
import type { UploadInput, UploadOptions, UploadProgressEvent } from '../../src/upload/types';
import { type FakePostHog, startFakePostHog } from './fake-posthog';

let server: FakePostHog;
let client: PostHogClient;
let logs: string[];

beforeEach(async () => {
  server = await startFakePostHog();
  client = createPostHogClient({
    host: server.url,
    projectId: server.projectId,
    apiKey: server.apiKey,
    retryBaseDelayMs: 1,
  });
  logs = [];
});

afterEach(async () => {
  await client.close();
  await server.close();
});

const map = (id: string) =>
  JSON.stringify({ version: 3, sources: [`${id}.ts`], names: [], mappings: 'AAAA' });

function input(chunkId: string, code = `console.log(${JSON.stringify(chunkId)});`): UploadInput {
  return {
    chunkId,
    fileName: `dist/${chunkId}.js`,
    load: async () => ({ minified: code, map: map(chunkId) }),
  };
}

function upload(inputs: UploadInput[], options: UploadOptions = {}) {
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  return uploadSymbolSets(client, inputs, { logger, ...options });
}

const ids = (...names: string[]) => names.map((name) => input(name));

/** An input whose load waits (at most 10 s) until a symbol set has reached storage. */
function loadedAfterStorage(chunkId: string): UploadInput {
  return {
    ...input(chunkId),
    load: async () => {
      for (let waited = 0; server.routes('storage').length === 0; waited += 10) {
        if (waited > 10_000) throw new Error(`nothing was uploaded while ${chunkId} was packed`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return { minified: `${chunkId}();`, map: map(chunkId) };
    },
  };
}

describe('uploadSymbolSets', () => {
  it('checks, starts, posts and finishes; the server holds exactly what was packed', async () => {
    const events: UploadProgressEvent[] = [];
    const summary = await upload(ids('a', 'b', 'c'), { onProgress: (event) => events.push(event) });
    expect(summary).toMatchObject({
      uploaded: ['a', 'b', 'c'],
      alreadyPresent: [],
      tooLarge: [],
      mapsNothing: [],
      declined: [],
      failed: [],
    });
    expect(summary.requests).toBe(6); // check, start, 3 × storage, finish
    expect(server.requests.map((r) => r.route)).toEqual([
      'bulk_check_upload',
      'bulk_start_upload',
      'storage',
      'storage',
      'storage',
      'bulk_finish_upload',
    ]);
    for (const id of ['a', 'b', 'c']) {
      const row = server.rows.get(id)!;
      const stored = server.objects.get(row.storageKey!)!;
      expect(row.contentHash).toBe(createHash('sha512').update(stored).digest('hex'));
      expect(decodeSymbolSet(stored)).toMatchObject({ version: 2, compression: 1, map: map(id) });
    }
    expect(summary.bytes).toBe([...server.objects.values()].reduce((n, b) => n + b.length, 0));
    expect(events[0]).toEqual({ type: 'start', files: 3, duplicates: 0 });
    expect(events.filter((e) => e.type === 'packed')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'uploaded').map((e) => 'chunkId' in e && e.chunkId)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(events.at(-1)).toEqual({ type: 'done', summary });
  });

  it('uploads nothing the second time', async () => {
    await upload(ids('a', 'b'));
    const before = server.requests.length;
    const summary = await upload(ids('a', 'b'));
    expect(summary).toMatchObject({ uploaded: [], alreadyPresent: ['a', 'b'], requests: 1 });
    expect(server.requests.slice(before).map((r) => r.route)).toEqual(['bulk_check_upload']);
  });

  it('honours Retry-After on 429', async () => {
    server.fault('bulk_start_upload', {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { detail: 'slow down' },
    });
    const started = Date.now();
    const summary = await upload(ids('a'));
    expect(summary.uploaded).toEqual(['a']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.routes('bulk_start_upload')).toHaveLength(2);
  });

  it('retries a 500 and a dropped connection', async () => {
    server.fault('bulk_finish_upload', { status: 500 });
    server.fault('storage', { drop: true });
    const summary = await upload(ids('a', 'b'));
    expect(summary.uploaded).toEqual(['a', 'b']);
    expect(server.routes('bulk_finish_upload')).toHaveLength(2);
    expect(server.routes('storage')).toHaveLength(3);
  });

  it('fails only the chunk that object storage keeps refusing (403), after retries and a fresh POST', async () => {
    // Three attempts on the presigned POST, three on the fresh one asked for then (as PostHog's CLI).
    server.fault('storage', {
      status: 403,
      body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
      times: 6,
    });
    const summary = await upload(ids('a', 'b'), { concurrency: 1 });
    expect(summary.uploaded).toEqual(['b']);
    expect(summary.failed).toEqual([
      {
        chunkId: 'a',
        fileName: 'dist/a.js',
        error: expect.stringMatching(
          /^dist\/a\.js: uploading to object storage failed: .*HTTP 403 \(AccessDenied\): Access Denied/,
        ),
      },
    ]);
    expect(Object.keys(server.routes('bulk_finish_upload')[0]!.json as object)).toEqual(['content_hashes']);
    expect(server.rows.get('a')!.contentHash).toBeNull(); // left pending: the next run uploads it
  });

  it('starts an expired presigned POST again, once', async () => {
    server.fault('storage', {
      status: 403,
      body: '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>',
    });
    const summary = await upload(ids('a'));
    expect(summary.uploaded).toEqual(['a']);
    expect(
      server
        .routes('bulk_start_upload')
        .map((r) => (r.json as { symbol_sets: unknown[] }).symbol_sets.length),
    ).toEqual([1, 1]);
    expect(server.rows.get('a')!.contentHash).not.toBeNull();
  });

  it('reports content_hash_mismatch per chunk, naming force and skipOnConflict', async () => {
    await upload(ids('a'));
    for (const supportsCheck of [true, false]) {
      server.state.supportsCheck = supportsCheck;
      const summary = await upload([input('a', 'changed();'), input(`b${supportsCheck}`)]);
      expect(summary.uploaded).toEqual([`b${supportsCheck}`]);
      expect(summary.failed).toEqual([
        {
          chunkId: 'a',
          fileName: 'dist/a.js',
          error:
            'dist/a.js: PostHog already has chunk a with different content; set force to replace it or skipOnConflict to keep it',
        },
      ]);
    }
    expect((await upload([input('a', 'changed();')], { skipOnConflict: true })).alreadyPresent).toEqual([
      'a',
    ]);
    expect((await upload([input('a', 'changed();')], { force: true })).uploaded).toEqual(['a']);
    expect(decodeSymbolSet(server.objects.get(server.rows.get('a')!.storageKey!)!).minified).toBe(
      'changed();',
    );
  });

  it('drops the release id once on release_id_mismatch, as PostHog’s CLI does', async () => {
    const r1 = await client.releases.create({ version: '1', project: 'app' });
    const r2 = await client.releases.create({ version: '2', project: 'app' });
    await upload(ids('a'), { releaseId: r1.id });
    for (const supportsCheck of [true, false]) {
      server.state.supportsCheck = supportsCheck;
      const b = `b${supportsCheck}`;
      const summary = await upload(ids('a', b), { releaseId: r2.id });
      expect(summary).toMatchObject({ uploaded: [b], alreadyPresent: ['a'], failed: [] });
      expect(server.rows.get(b)!.releaseId).toBeNull();
    }
    expect(server.rows.get('a')!.releaseId).toBe(r1.id);
    expect(logs.filter((line) => line.includes('uploading without a release id'))).toHaveLength(2);
  });

  it('coalesces duplicate chunk ids: the first file wins, with a warning', async () => {
    const events: UploadProgressEvent[] = [];
    const second = { ...input('a', 'other();'), fileName: 'dist/copy.js' };
    const summary = await upload([input('a'), second, input('b')], { onProgress: (e) => events.push(e) });
    expect(summary.uploaded).toEqual(['a', 'b']);
    expect(events[0]).toEqual({ type: 'start', files: 2, duplicates: 1 });
    expect(events).toContainEqual({
      type: 'skipped',
      chunkId: 'a',
      fileName: 'dist/copy.js',
      reason: 'duplicate',
    });
    expect(logs.join('\n')).toContain(
      'dist/copy.js: skipped, chunk id a is also used by dist/a.js (first one wins)',
    );
    expect(decodeSymbolSet(server.objects.get(server.rows.get('a')!.storageKey!)!).minified).toContain(
      'console.log',
    );
  });

  it('skips payloads over the size limit with a warning', async () => {
    const big = input('big', `/*${'x'.repeat(5000)}*/`);
    const summary = await upload([big, input('small')], { maxPayloadBytes: 1000, compression: 'none' });
    expect(summary).toMatchObject({ uploaded: ['small'], tooLarge: ['big'] });
    expect(logs.join('\n')).toMatch(
      /dist\/big\.js: skipped, its symbol set is \d+ bytes, over the 1000-byte limit/,
    );
    expect(server.rows.has('big')).toBe(false);
  });

  it('skips a map that maps nothing when asked (builds do), and uploads it otherwise, as PostHog’s CLI', async () => {
    // What Nitro leaves of the map of a chunk made only of dependencies: sources, no segment.
    const hollow = (chunkId: string, asBytes: boolean): UploadInput => {
      const text = JSON.stringify({ version: 3, sources: ['../node_modules/h3/index.mjs'], mappings: ';;' });
      return {
        ...input(chunkId),
        load: async () => ({ minified: 'h3();', map: asBytes ? Buffer.from(text) : text }),
      };
    };
    for (const releaseMode of ['symbol-set', 'event'] as const) {
      const events: UploadProgressEvent[] = [];
      const [bytes, text, kept] = [`bytes-${releaseMode}`, `text-${releaseMode}`, `kept-${releaseMode}`];
      const summary = await upload([hollow(bytes, true), hollow(text, false), input(kept)], {
        releaseMode,
        skipMapsNothing: true,
        onProgress: (event) => events.push(event),
      });
      expect(summary).toMatchObject({ uploaded: [kept], mapsNothing: [bytes, text], failed: [] });
      expect(events).toContainEqual({
        type: 'skipped',
        chunkId: bytes,
        fileName: `dist/${bytes}.js`,
        reason: 'maps-nothing',
      });
      for (const id of [bytes, text]) expect(server.rows.has(id)).toBe(false);
      expect(logs.join('\n')).toContain(`dist/${text}.js: skipped, its map maps nothing`);
    }
    const summary = await upload([hollow('plain', true)]);
    expect(summary).toMatchObject({ uploaded: ['plain'], mapsNothing: [] });
    expect(server.rows.has('plain')).toBe(true);
  });

  it('reports each bad input once, naming the file, and uploads the rest', async () => {
    const inputs: UploadInput[] = [
      {
        chunkId: 'm',
        fileName: 'dist/m.js',
        load: () => Promise.reject(new FileError('malformed_map', 'dist/m.js.map', 'not valid JSON')),
      },
      { chunkId: 'n', fileName: 'dist/n.js', load: () => Promise.reject(new Error('ENOENT: no such file')) },
      {
        chunkId: 'u',
        fileName: 'dist/u.js',
        load: async () => ({ minified: Buffer.from([0xc3, 0x28]), map: '{}' }),
      },
      input('ok'),
    ];
    const summary = await upload(inputs);
    expect(summary.uploaded).toEqual(['ok']);
    expect(summary.failed.map((f) => f.error)).toEqual([
      'dist/m.js.map: not valid JSON',
      'dist/n.js: ENOENT: no such file',
      'dist/u.js: the minified code is not valid UTF-8',
    ]);
    expect(logs.filter((line) => line.includes('error:'))).toHaveLength(3);
  });

  it('falls back to uploading everything when bulk_check_upload is missing or failing', async () => {
    server.state.supportsCheck = false;
    expect((await upload(ids('a'))).uploaded).toEqual(['a']);
    server.state.supportsCheck = true;
    server.fault('bulk_check_upload', { status: 502, times: 3 });
    const summary = await upload(ids('a', 'b'));
    expect(summary).toMatchObject({ uploaded: ['b'], alreadyPresent: ['a'] });
    expect(logs.join('\n')).toMatch(/bulk_check_upload failed \(.*HTTP 502.*\); uploading every symbol set/);
  });

  it('switches to the fallback storage URL after two transport failures, for good', async () => {
    server.state.accelerated = true;
    server.fault('storage_accelerated', { drop: true, times: 2 });
    const summary = await upload(ids('a', 'b', 'c'), { concurrency: 1 });
    expect(summary.uploaded).toEqual(['a', 'b', 'c']);
    expect(server.routes('storage_accelerated')).toHaveLength(2);
    expect(server.routes('storage')).toHaveLength(3);
  });

  it('splits start/finish into batches and re-packs chunks beyond the buffer budget', async () => {
    const summary = await upload(ids('a', 'b', 'c', 'd', 'e'), { batchSize: 2, maxBufferedBytes: 0 });
    expect(summary.uploaded).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(server.routes('bulk_start_upload')).toHaveLength(3);
    expect(server.routes('bulk_finish_upload')).toHaveLength(3);
  });

  it('checks each batch and packs the next batch while the current one is uploaded', async () => {
    // b is loaded only once a's symbol set has reached storage: a pipeline that packs everything
    // before its first request never gets there, and b fails.
    const waitForStorage = loadedAfterStorage('b');
    const summary = await upload([input('a'), waitForStorage, input('c')], { batchSize: 1 });
    expect(summary.failed).toEqual([]);
    expect(summary.uploaded).toEqual(['a', 'b', 'c']);
    expect(server.routes('bulk_check_upload')).toHaveLength(3);
  });

  it('checks and starts the next batch while the current one is on the wire, and finishes them in order', async () => {
    // a's POST is answered only once b's batch has been started: a pipeline that finishes a batch
    // before it checks the next never gets there (and waits out the fault's 10 s).
    server.fault('storage', { until: () => server.routes('bulk_start_upload').length === 2 });
    const summary = await upload(ids('a', 'b', 'c'), { batchSize: 1 });
    expect(summary.uploaded).toEqual(['a', 'b', 'c']);
    const routes = server.requests.map((r) => r.route);
    const secondStart = routes.indexOf('bulk_start_upload', routes.indexOf('bulk_start_upload') + 1);
    expect(secondStart).toBeGreaterThan(0);
    expect(secondStart).toBeLessThan(routes.indexOf('bulk_finish_upload'));
    const finished = server
      .routes('bulk_finish_upload')
      .map((r) => Object.keys((r.json as { content_hashes: object }).content_hashes)[0]);
    const setOf = (chunkId: string) => server.rows.get(chunkId)!.id;
    expect(finished).toEqual(['a', 'b', 'c'].map(setOf));
  });

  it('sends the first wave of POSTs (concurrency sets) before the rest is hashed', async () => {
    // The last input is loaded only once a symbol set has reached storage: with one batch of 12 (the
    // default batchSize is 50), nothing is POSTed before all 12 are packed, and it fails.
    const waitForStorage = loadedAfterStorage('l');
    const first = 'abcdefghijk'.split('');
    const summary = await upload([...ids(...first), waitForStorage], { concurrency: 4 });
    expect(summary.failed).toEqual([]);
    expect(summary.uploaded).toEqual([...first, 'l']);
    const checked = server
      .routes('bulk_check_upload')
      .map((r) => (r.json as { symbol_sets: unknown[] }).symbol_sets.length);
    expect(checked).toEqual([4, 8]);
  });

  it('checks the next batch while the one before is still being started', async () => {
    // a's start is answered only once b's check has arrived: a pipeline that starts a batch before it
    // checks the next never gets there (the fault gives up after 10 s and answers).
    let overlapped = false;
    server.fault('bulk_start_upload', {
      until: () => (overlapped ||= server.routes('bulk_check_upload').length === 2),
    });
    const summary = await upload(ids('a', 'b', 'c'), { batchSize: 1 });
    expect(overlapped).toBe(true);
    expect(summary.uploaded).toEqual(['a', 'b', 'c']);
  });

  it('drops the release id once when two batches in flight both meet release_id_mismatch', async () => {
    const r1 = await client.releases.create({ version: '1', project: 'app' });
    const r2 = await client.releases.create({ version: '2', project: 'app' });
    await upload(ids('a', 'b'), { releaseId: r1.id });
    // a's check is answered only once b's is on the wire too: both were sent with r2.
    server.fault('bulk_check_upload', { until: () => server.routes('bulk_check_upload').length >= 3 });
    const summary = await upload(ids('a', 'b', 'c'), { releaseId: r2.id, batchSize: 1 });
    expect(summary).toMatchObject({ uploaded: ['c'], failed: [] });
    expect(summary.alreadyPresent.toSorted()).toEqual(['a', 'b']); // in the order the checks came back
    expect(server.rows.get('c')!.releaseId).toBeNull();
    expect(logs.filter((line) => line.includes('uploading without a release id'))).toHaveLength(1);
    expect(logs.filter((line) => line.includes('bulk_check_upload'))).toEqual([]);
  });

  it('at the deadline fails what two batches on the wire have not finished, and reports nothing after done', async () => {
    server.fault('storage', { until: () => true }); // a's POST goes through
    server.fault('storage', { hang: true }); // b's is never answered
    const events: UploadProgressEvent[] = [];
    const summary = await upload(ids('a', 'b', 'c'), {
      batchSize: 1,
      deadlineMs: 1000,
      onProgress: (event) => events.push(event),
    });
    expect(summary.uploaded).toEqual(['a']);
    expect(summary.failed.map((failure) => [failure.chunkId, failure.error])).toEqual(
      ['b', 'c'].map((id) => [
        id,
        `dist/${id}.js: the upload did not finish within 1 s (uploadTimeout); not uploaded`,
      ]),
    );
    const settled = events.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toHaveLength(settled);
    expect(events.at(-1)?.type).toBe('done');
  });

  it('fails a file that changes between hashing and uploading', async () => {
    let loads = 0;
    const fickle: UploadInput = {
      chunkId: 'f',
      fileName: 'dist/f.js',
      load: async () => ({ minified: `v${++loads}`, map: '{}' }),
    };
    const summary = await upload([fickle, input('a')], { maxBufferedBytes: 0 });
    expect(summary.uploaded).toEqual(['a']);
    expect(summary.failed[0]!.error).toMatch(/dist\/f\.js: changed while it was being uploaded/);
  });

  it('lists an input whose load declines it, sends nothing for it, and fails one that declines on its second load', async () => {
    for (const releaseMode of ['symbol-set', 'event'] as const) {
      const events: UploadProgressEvent[] = [];
      const declines: UploadInput = { ...input(`no-${releaseMode}`), load: async () => undefined };
      const summary = await upload([declines, input(`yes-${releaseMode}`)], {
        releaseMode,
        onProgress: (event) => events.push(event),
      });
      expect(summary).toMatchObject({
        uploaded: [`yes-${releaseMode}`],
        declined: [`no-${releaseMode}`],
        failed: [],
      });
      expect(events).toContainEqual({
        type: 'skipped',
        chunkId: `no-${releaseMode}`,
        fileName: `dist/no-${releaseMode}.js`,
        reason: 'declined',
      });
      expect(server.rows.has(`no-${releaseMode}`)).toBe(false);
    }
    // Loaded again at upload time (nothing kept in memory), when it no longer has anything to give.
    let loads = 0;
    const gone: UploadInput = {
      ...input('gone'),
      load: async () => (++loads === 1 ? { minified: 'gone();', map: map('gone') } : undefined),
    };
    const summary = await upload([gone], { releaseMode: 'event', maxBufferedBytes: 0 });
    expect(summary.declined).toEqual([]);
    expect(summary.failed[0]!.error).toMatch(/dist\/gone\.js: changed while it was being uploaded/);
    expect(server.routes('storage')).toHaveLength(2); // the two sets the loop uploaded, none for it
  });

  it('event mode: asks bulk_check_upload before packing, and checks no set over the size limit', async () => {
    const packedAt: Array<[string, number]> = [];
    const onProgress = (event: UploadProgressEvent) => {
      if (event.type === 'packed') packedAt.push([event.chunkId, server.requests.length]);
    };
    const big = input('big', `/*${'x'.repeat(5000)}*/`);
    const options = { releaseMode: 'event', compression: 'none', maxPayloadBytes: 2000, onProgress } as const;
    await upload([input('a')], options);
    packedAt.length = 0;
    const before = server.requests.length;
    const summary = await upload([big, input('a'), input('b')], options);
    expect(summary).toMatchObject({ uploaded: ['b'], alreadyPresent: ['a'], tooLarge: ['big'] });
    const routes = server.requests.slice(before).map((r) => r.route);
    expect(routes).toEqual(['bulk_check_upload', 'bulk_start_upload', 'storage', 'bulk_finish_upload']);
    const checked = server.requests[before]!.json as { symbol_sets: Array<{ chunk_id: string }> };
    expect(checked.symbol_sets.map((set) => set.chunk_id)).toEqual(['a', 'b']);
    // b was packed after check and start had been answered; a (present) was never packed.
    expect(packedAt).toEqual([['b', before + 2]]);
  });

  it('event mode: packs as it hashes while checks ask for most of their sets, never when they ask for none', async () => {
    const checkedIds = () =>
      new Set(
        server.requests
          .filter((request) => request.route === 'bulk_check_upload')
          .flatMap((request) =>
            (request.json as { symbol_sets: Array<{ chunk_id: string }> }).symbol_sets.map(
              (set) => set.chunk_id,
            ),
          ),
      );
    const run = async (names: string[]) => {
      const packed: string[] = [];
      const beforeItsCheck: string[] = [];
      const onProgress = (event: UploadProgressEvent) => {
        if (event.type !== 'packed') return;
        packed.push(event.chunkId);
        if (!checkedIds().has(event.chunkId)) beforeItsCheck.push(event.chunkId);
      };
      // Batches of one, then two: [s0] [s1 s2] [s3 s4] [s5 s6] [s7 s8].
      const options = { releaseMode: 'event', concurrency: 1, batchSize: 2, onProgress } as const;
      const summary = await upload(ids(...names), options);
      return { summary, packed, beforeItsCheck };
    };
    const names = Array.from({ length: 9 }, (_, index) => `s${index}`);
    const first = await run(names);
    expect(first.summary.uploaded).toEqual(names);
    // The first set waits for its check; by the time the fourth batch is hashed, checks have asked
    // for every set they were sent, so its sets are packed right away (the second and third batches
    // are hashed while the first check may still be on the wire).
    expect(first.beforeItsCheck).not.toContain('s0');
    expect(first.beforeItsCheck).toEqual(expect.arrayContaining(['s5', 's6', 's7', 's8']));
    const stored = server.routes('storage').length;

    // A new release of the same sets: no check asks for any, so none is packed.
    const again = await run(names);
    expect(again.summary.alreadyPresent).toEqual(names);
    expect(again.packed).toEqual([]);

    // New sets first, then present ones: those packed in vain are still neither started nor sent.
    const mixed = await run(['n0', 'n1', 'n2', 'n3', 'n4', 's0', 's1', 's2', 's3']);
    expect(mixed.summary).toMatchObject({
      uploaded: ['n0', 'n1', 'n2', 'n3', 'n4'],
      alreadyPresent: ['s0', 's1', 's2', 's3'],
      failed: [],
    });
    expect(server.routes('storage').length - stored).toBe(5);
  });

  it('event mode: answers to the batch on the wire are handled while the next batch is hashed', async () => {
    // Loading and hashing are synchronous here (2 ms of CPU per set, no I/O): unless the pipeline
    // gives the event loop a turn between sets, a's check is answered only once all 60 are hashed.
    const busy = (name: string): UploadInput => ({
      ...input(name),
      load: async () => {
        for (const until = performance.now() + 2; performance.now() < until; );
        return { minified: `${name}();`, map: map(name) };
      },
    });
    const sawStorage: boolean[] = [];
    const last: UploadInput = {
      ...input('last'),
      load: async () => {
        sawStorage.push(server.routes('storage').length > 0);
        return { minified: 'last();', map: map('last') };
      },
    };
    const rest = Array.from({ length: 60 }, (_, i) => busy(`s${i}`));
    const summary = await upload([input('a'), ...rest, last], {
      releaseMode: 'event',
      concurrency: 1,
    });
    expect(summary.uploaded).toHaveLength(62);
    expect(sawStorage).toEqual([true]);
  });

  it('fails the batch when PostHog answers with a chunk id it was not asked about', async () => {
    const entry = { symbol_set_id: 'x', presigned_url: { url: `${server.url}/storage/upload`, fields: {} } };
    server.fault('bulk_start_upload', { status: 201, body: { id_map: { a: entry, intruder: entry } } });
    const summary = await upload(ids('a'));
    expect(summary.failed[0]!.error).toContain(
      'PostHog answered with chunk ids that were not requested: intruder',
    );
    expect(server.routes('storage')).toHaveLength(0);
  });

  it('fails the uploaded chunks of a batch whose finish fails', async () => {
    server.fault('bulk_finish_upload', {
      status: 400,
      body: {
        type: 'validation_error',
        code: 'file_not_found',
        detail: 'No file has been uploaded for the symbol set.',
        attr: null,
      },
    });
    const summary = await upload(ids('a', 'b'));
    expect(summary.uploaded).toEqual([]);
    expect(summary.failed.map((f) => f.error)).toEqual([
      expect.stringMatching(/^dist\/a\.js: finishing the upload failed: .*file_not_found/),
      expect.stringMatching(/^dist\/b\.js: finishing the upload failed: .*No file has been uploaded/),
    ]);
  });

  it('sends nothing in a dry run', async () => {
    const summary = await upload(ids('a', 'b'), { dryRun: true });
    expect(summary).toMatchObject({ uploaded: ['a', 'b'], requests: 0, dryRun: true });
    expect(server.requests).toEqual([]);
  });

  it('rejects invalid options and stops on abort', async () => {
    await expect(upload(ids('a'), { force: true, skipOnConflict: true })).rejects.toThrow(
      /skipOnConflict: cannot be combined with force/,
    );
    await expect(upload(ids('a'), { batchSize: 0 })).rejects.toThrow(
      /batchSize: expected a positive integer, got 0/,
    );
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(upload(ids('a'), { signal: controller.signal })).rejects.toThrow('stopped');
    expect(server.requests).toEqual([]);
  });
});
