import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createRelease, fakeContainer, sha512, uploadSymbolSet } from './helpers/flow';
import { http } from './helpers/http';
import { startTestServer, type TestServer, testClock, uploadToPresigned, validation } from './helpers/server';

function start(server: TestServer, body: unknown) {
  return server.api('POST', 'symbol_sets/bulk_start_upload', { body });
}

function check(server: TestServer, body: unknown) {
  return server.api('POST', 'symbol_sets/bulk_check_upload', { body });
}

function item(chunkId: string, contentHash: string | null, releaseId: string | null = null) {
  return { chunk_id: chunkId, release_id: releaseId, content_hash: contentHash };
}

const UNKNOWN_UUID = '0190a0a0-0000-7000-8000-000000000000';

describe('bulk_start_upload', () => {
  test('hands out a presigned POST per new chunk, keyed by the row storage_ptr', async () => {
    const clock = testClock();
    const server = await startTestServer({ clock });
    const response = await start(server, {
      symbol_sets: [item('c1', 'h1'), item('c2', 'h2')],
      force: false,
      skip_on_conflict: false,
    });
    expect(response.status).toBe(201);
    expect(Object.keys(response.json.id_map)).toEqual(['c1', 'c2']);
    const entry = response.json.id_map.c1;
    expect(Object.keys(entry)).toEqual(['symbol_set_id', 'presigned_url']);
    expect(entry.presigned_url.url).toBe(`${server.url}/_storage/posthog`);
    const { fields } = entry.presigned_url;
    expect(Object.keys(fields).sort()).toEqual(
      ['key', 'policy', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature'].sort(),
    );
    expect(fields.key).toMatch(
      /^symbolsets\/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(fields['x-amz-algorithm']).toBe('AWS4-HMAC-SHA256');
    expect(fields['x-amz-date']).toBe('20260101T000000Z');
    expect(fields['x-amz-credential']).toMatch(/^\w+\/20260101\/us-east-1\/s3\/aws4_request$/);
    expect(fields['x-amz-signature']).toMatch(/^[0-9a-f]{64}$/);
    const policy = JSON.parse(Buffer.from(fields.policy, 'base64').toString('utf8'));
    expect(policy.expiration).toBe('2026-01-01T00:05:00Z'); // 300 s
    expect(policy.conditions).toContainEqual(['content-length-range', 0, 104857600]);
    expect(policy.conditions).toContainEqual({ key: fields.key });

    const rows = server.admin.symbolSetRows(1);
    expect(rows.map((r) => [r.ref, r.id, r.storage_ptr, r.content_hash])).toEqual([
      ['c1', entry.symbol_set_id, fields.key, null],
      ['c2', response.json.id_map.c2.symbol_set_id, response.json.id_map.c2.presigned_url.fields.key, null],
    ]);
  });

  test('the full flow stores the bytes and the hash', async () => {
    const server = await startTestServer();
    const bytes = fakeContainer('full');
    await uploadSymbolSet(server, 'c1', bytes);
    const [row] = server.admin.symbolSetRows(1);
    expect(row!.content_hash).toBe(sha512(bytes));
    expect(readFileSync(server.admin.blobPath(row!.storage_ptr!))).toEqual(bytes);
  });

  test('an equal hash is omitted from id_map; a different one is content_hash_mismatch', async () => {
    const server = await startTestServer();
    const bytes = fakeContainer('a');
    await uploadSymbolSet(server, 'c1', bytes);
    const before = server.admin.symbolSetRows(1);

    const same = await start(server, { symbol_sets: [item('c1', sha512(bytes))] });
    expect(same.status).toBe(201);
    expect(same.json).toEqual({ id_map: {} });

    const different = await start(server, { symbol_sets: [item('c2', 'new'), item('c1', 'other-hash')] });
    expect(different.status).toBe(400);
    expect(different.json).toEqual(
      validation('content_hash_mismatch', 'Symbol set c1 already exists with different content.'),
    );
    // All or nothing: c2, listed before the conflict, was not created.
    expect(server.admin.symbolSetRows(1)).toEqual(before);
  });

  test('force re-keys a set with different content and clears its hash until finish', async () => {
    const server = await startTestServer();
    const old = fakeContainer('old');
    await uploadSymbolSet(server, 'c1', old);
    const [before] = server.admin.symbolSetRows(1);

    const forced = await start(server, { symbol_sets: [item('c1', 'new-hash')], force: true });
    expect(forced.status).toBe(201);
    const entry = forced.json.id_map.c1;
    expect(entry.symbol_set_id).toBe(before!.id);
    expect(entry.presigned_url.fields.key).not.toBe(before!.storage_ptr);
    const [pending] = server.admin.symbolSetRows(1);
    expect(pending).toMatchObject({ content_hash: null, storage_ptr: entry.presigned_url.fields.key });
    expect(() => readFileSync(server.admin.blobPath(before!.storage_ptr!))).toThrow(/ENOENT/);

    const bytes = fakeContainer('new');
    expect((await uploadToPresigned(entry.presigned_url, bytes)).status).toBe(204);
    const finish = await server.api('POST', 'symbol_sets/bulk_finish_upload', {
      body: { content_hashes: { [entry.symbol_set_id]: 'new-hash' } },
    });
    expect(finish.status).toBe(201);
    expect(server.admin.symbolSetRows(1)[0]!.content_hash).toBe('new-hash');
  });

  test('skip_on_conflict keeps the stored set; both flags are invalid_conflict_handling', async () => {
    const server = await startTestServer();
    await uploadSymbolSet(server, 'c1', fakeContainer('a'));
    const before = server.admin.symbolSetRows(1);
    const skipped = await start(server, {
      symbol_sets: [item('c1', 'other'), item('c2', 'h2')],
      skip_on_conflict: true,
    });
    expect(skipped.status).toBe(201);
    expect(Object.keys(skipped.json.id_map)).toEqual(['c2']);
    expect(server.admin.symbolSetRows(1)[0]).toMatchObject({ content_hash: before[0]!.content_hash });

    const both = await start(server, { symbol_sets: [item('c3', 'h')], force: true, skip_on_conflict: true });
    expect(both.status).toBe(400);
    expect(both.json).toEqual(
      validation(
        'invalid_conflict_handling',
        'Use either force or skip_on_conflict, not both.',
        'non_field_errors',
      ),
    );
    expect(server.admin.symbolSetRows(1).map((r) => r.ref)).toEqual(['c1', 'c2']);
  });

  test('a release binds an orphan once and never moves', async () => {
    const server = await startTestServer();
    const r1 = await createRelease(server, { project: 'p', version: '1' });
    const r2 = await createRelease(server, { project: 'p', version: '2' });
    const bytes = fakeContainer('a');
    await uploadSymbolSet(server, 'c1', bytes); // orphan

    const bind = await start(server, { symbol_sets: [item('c1', sha512(bytes), r1.id)] });
    expect(bind.status).toBe(201);
    expect(bind.json.id_map).toEqual({}); // same content: nothing to upload, but now bound
    expect(server.admin.symbolSetRows(1)[0]!.release_id).toBe(r1.id);

    const sameRelease = await start(server, { symbol_sets: [item('c1', sha512(bytes), r1.id)] });
    expect(sameRelease.json).toEqual({ id_map: {} });
    const noRelease = await start(server, { symbol_sets: [item('c1', sha512(bytes))] });
    expect(noRelease.json).toEqual({ id_map: {} });

    const move = await start(server, { symbol_sets: [item('c1', sha512(bytes), r2.id)], force: true });
    expect(move.status).toBe(400);
    expect(move.json).toEqual(validation('release_id_mismatch', 'Symbol set c1 already has a release ID'));
    expect(server.admin.symbolSetRows(1)[0]!.release_id).toBe(r1.id);
  });

  test('a missing hash: restarts a pending set, is content_hash_required for a finished one', async () => {
    const server = await startTestServer();
    const first = await start(server, { symbol_sets: [item('pending', null)] });
    const again = await start(server, { symbol_sets: [item('pending', null)] });
    expect(again.status).toBe(201);
    expect(again.json.id_map.pending.symbol_set_id).toBe(first.json.id_map.pending.symbol_set_id);
    expect(again.json.id_map.pending.presigned_url.fields.key).not.toBe(
      first.json.id_map.pending.presigned_url.fields.key,
    );

    await uploadSymbolSet(server, 'done', fakeContainer('d'));
    const required = await start(server, { symbol_sets: [item('done', null)] });
    expect(required.status).toBe(400);
    expect(required.json).toEqual(
      validation(
        'content_hash_required',
        'Symbol set done already has content; provide a content_hash to update it.',
      ),
    );
  });

  test('the legacy chunk_ids + release_id body creates bound pending rows', async () => {
    const server = await startTestServer();
    const release = await createRelease(server);
    const response = await start(server, { chunk_ids: ['a', 'b'], release_id: release.id });
    expect(response.status).toBe(201);
    expect(Object.keys(response.json.id_map)).toEqual(['a', 'b']);
    expect(server.admin.symbolSetRows(1).map((r) => [r.ref, r.release_id, r.content_hash])).toEqual([
      ['a', release.id, null],
      ['b', release.id, null],
    ]);
    const dup = await start(server, { chunk_ids: ['x', 'x'], release_id: null });
    expect(dup.json).toEqual(validation('invalid_chunk_ids', 'Duplicate chunk IDs provided: x'));
  });

  test('symbol_sets and legacy chunk_ids in one body are merged, as PostHog merges them', async () => {
    const server = await startTestServer();
    const release = await createRelease(server);
    const response = await start(server, {
      symbol_sets: [item('new-1', 'h1')],
      chunk_ids: ['old-1', 'old-2'],
      release_id: release.id,
    });
    expect(response.status, response.text).toBe(201);
    expect(Object.keys(response.json.id_map)).toEqual(['new-1', 'old-1', 'old-2']);
    expect(server.admin.symbolSetRows(1).map((r) => [r.ref, r.release_id])).toEqual([
      ['new-1', null],
      ['old-1', release.id],
      ['old-2', release.id],
    ]);
    // A chunk named in both lists is a duplicate, and nothing is created.
    const dup = await start(server, { symbol_sets: [item('both', 'h')], chunk_ids: ['both'] });
    expect(dup.json).toEqual(validation('invalid_chunk_ids', 'Duplicate chunk IDs provided: both'));
    expect(server.admin.symbolSetRows(1)).toHaveLength(3);
  });

  test('at most 1000 sets per start, counting both lists; nothing is created past the cap', async () => {
    const server = await startTestServer();
    const sets = Array.from({ length: 1001 }, (_, i) => item(`c${i}`, 'h'));
    const tooMany = await start(server, { symbol_sets: sets });
    expect(tooMany.json).toEqual(
      validation('max_length', 'Ensure this field has no more than 1000 elements.', 'symbol_sets'),
    );
    const together = await start(server, {
      symbol_sets: sets.slice(0, 600),
      chunk_ids: Array.from({ length: 401 }, (_, i) => `legacy-${i}`),
    });
    expect(together.json).toEqual(
      validation(
        'max_length',
        'Ensure symbol_sets and chunk_ids together have no more than 1000 elements.',
        'non_field_errors',
      ),
    );
    expect(server.admin.symbolSetRows(1)).toEqual([]);
    const full = await start(server, { symbol_sets: sets.slice(0, 1000) });
    expect(full.status).toBe(201);
    expect(Object.keys(full.json.id_map)).toHaveLength(1000);
  });

  test('content_length adds a presigned PUT that accepts exactly that many bytes', async () => {
    const server = await startTestServer();
    const bytes = fakeContainer('put', 100);
    const response = await start(server, {
      symbol_sets: [
        { chunk_id: 'c1', release_id: null, content_hash: sha512(bytes), content_length: bytes.length },
      ],
    });
    const entry = response.json.id_map.c1;
    expect(entry.presigned_put_url).toMatch(new RegExp(`^${server.url}/_storage/posthog/symbolsets/`));
    const wrongLength = await http('PUT', entry.presigned_put_url, { body: bytes.subarray(1) });
    expect(wrongLength.status).toBe(403);
    expect(wrongLength.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    const put = await http('PUT', entry.presigned_put_url, { body: bytes });
    expect(put.status).toBe(200);
    const finish = await server.api('POST', 'symbol_sets/bulk_finish_upload', {
      body: { content_hashes: { [entry.symbol_set_id]: sha512(bytes) } },
    });
    expect(finish.status).toBe(201);
    expect(readFileSync(server.admin.blobPath(entry.presigned_url.fields.key))).toEqual(bytes);
  });

  test('whole-request checks run in PostHog order before anything is written', async () => {
    const server = await startTestServer();
    const release = await createRelease(server);
    await uploadSymbolSet(server, 'existing', fakeContainer('e'));
    const big = 104857601;
    const cases: [unknown[], ReturnType<typeof validation>][] = [
      [
        [item('d', 'h', 'not-a-uuid'), item('d', 'h')],
        validation('invalid_chunk_ids', 'Duplicate chunk IDs provided: d'),
      ],
      [
        [item('a', 'h', UNKNOWN_UUID), item('b', 'h', 'zzz'), item('c', 'h', 'aaa')],
        validation('invalid_release_id', 'Invalid release ID provided: aaa, zzz'),
      ],
      [
        [{ ...item('a', 'h'), content_length: big }, item('b', 'h', UNKNOWN_UUID)],
        validation('invalid_release_id', `Unknown release ID provided: ${UNKNOWN_UUID}`),
      ],
      [
        [item('new', 'h', release.id), item('existing', 'other'), { ...item('c', 'h'), content_length: big }],
        validation('file_too_large', 'Symbol sets larger than 100MB cannot be uploaded: c'),
      ],
    ];
    for (const [symbolSets, error] of cases) {
      const response = await start(server, { symbol_sets: symbolSets });
      expect(response.status).toBe(400);
      expect(response.json).toEqual(error);
      const checked = await check(server, { symbol_sets: symbolSets });
      expect(checked.json).toEqual(error);
    }
    expect(server.admin.symbolSetRows(1).map((r) => r.ref)).toEqual(['existing']);
  });

  test('release ids are accepted in any form Python UUID() takes', async () => {
    const server = await startTestServer();
    const release = await createRelease(server);
    const loose = `{${release.id.replaceAll('-', '').toUpperCase()}}`;
    const response = await start(server, { symbol_sets: [item('c1', 'h', loose)] });
    expect(response.status).toBe(201);
    expect(server.admin.symbolSetRows(1)[0]!.release_id).toBe(release.id);
  });

  test.each([
    [[], validation('invalid', 'Invalid data. Expected a dictionary, but got list.', 'non_field_errors')],
    [
      { symbol_sets: {} },
      validation('not_a_list', 'Expected a list of items but got type "dict".', 'symbol_sets'),
    ],
    [{ symbol_sets: null }, validation('null', 'This field may not be null.', 'symbol_sets')],
    [
      { symbol_sets: ['x'] },
      validation(
        'invalid',
        'Invalid data. Expected a dictionary, but got str.',
        'symbol_sets__0__non_field_errors',
      ),
    ],
    [
      { symbol_sets: [{ content_hash: 'h' }] },
      validation('required', 'This field is required.', 'symbol_sets__0__chunk_id'),
    ],
    [
      { symbol_sets: [{ chunk_id: true }] },
      validation('invalid', 'Not a valid string.', 'symbol_sets__0__chunk_id'),
    ],
    [
      { symbol_sets: [{ chunk_id: ' ' }] },
      validation('blank', 'This field may not be blank.', 'symbol_sets__0__chunk_id'),
    ],
    [
      { symbol_sets: [{ chunk_id: 'a', release_id: 5 }] },
      validation('invalid_release_id', 'Invalid release ID provided: 5'),
    ],
    [
      { symbol_sets: [{ chunk_id: 'a', content_hash: {} }] },
      validation('invalid', 'Not a valid string.', 'symbol_sets__0__content_hash'),
    ],
    [
      { symbol_sets: [{ chunk_id: 'a', content_length: -1 }] },
      validation(
        'min_value',
        'Ensure this value is greater than or equal to 0.',
        'symbol_sets__0__content_length',
      ),
    ],
    [
      { symbol_sets: [{ chunk_id: 'a', content_length: 'many' }] },
      validation('invalid', 'A valid integer is required.', 'symbol_sets__0__content_length'),
    ],
    [{ symbol_sets: [], force: 'maybe' }, validation('invalid', 'Must be a valid boolean.', 'force')],
    [
      { chunk_ids: 'a' },
      validation('not_a_list', 'Expected a list of items but got type "str".', 'chunk_ids'),
    ],
    [{ chunk_ids: [null] }, validation('null', 'This field may not be null.', 'chunk_ids__0')],
  ])('bad body %j → 400', async (body, error) => {
    const server = await startTestServer();
    const response = await start(server, body);
    expect(response.status).toBe(400);
    expect(response.json).toEqual(error);
    expect(server.admin.symbolSetRows(1)).toEqual([]);
  });

  test('an empty request is an empty id_map', async () => {
    const server = await startTestServer();
    expect((await start(server, {})).json).toEqual({ id_map: {} });
    expect((await start(server, { symbol_sets: [] })).json).toEqual({ id_map: {} });
  });
});

describe('bulk_check_upload', () => {
  test('lists what start would need, writes no rows, and refreshes last_used of unchanged sets', async () => {
    const clock = testClock();
    const server = await startTestServer({ clock });
    const release = await createRelease(server);
    const a = fakeContainer('a');
    const b = fakeContainer('b');
    await uploadSymbolSet(server, 'same', a);
    await uploadSymbolSet(server, 'orphan', b);
    await start(server, { symbol_sets: [item('pending', 'p')] });
    const stamp = server.admin.symbolSetRows(1).find((r) => r.ref === 'same')!.last_used;
    expect(stamp).toBe('2026-01-01T00:00:00.000Z');

    clock.advance(13 * 3600 * 1000);
    const response = await check(server, {
      symbol_sets: [
        item('same', sha512(a)),
        item('orphan', sha512(b), release.id),
        item('pending', 'p'),
        item('brand-new', 'n'),
      ],
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ chunk_ids_to_upload: ['orphan', 'pending', 'brand-new'] });
    const rows = server.admin.symbolSetRows(1);
    expect(rows.map((r) => r.ref)).toEqual(['same', 'orphan', 'pending']);
    expect(rows.find((r) => r.ref === 'orphan')!.release_id).toBeNull(); // check binds nothing
    expect(rows.find((r) => r.ref === 'same')!.last_used).toBe('2026-01-01T13:00:00.000Z');

    // Within 12 hours last_used is left alone.
    clock.advance(3600 * 1000);
    await check(server, { symbol_sets: [item('same', sha512(a))] });
    expect(server.admin.symbolSetRows(1).find((r) => r.ref === 'same')!.last_used).toBe(
      '2026-01-01T13:00:00.000Z',
    );
  });

  test('conflicts: mismatch is an error, force asks for an upload, skip does not', async () => {
    const server = await startTestServer();
    await uploadSymbolSet(server, 'c1', fakeContainer('a'));
    const mismatch = await check(server, { symbol_sets: [item('c1', 'other')] });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.code).toBe('content_hash_mismatch');
    expect((await check(server, { symbol_sets: [item('c1', 'other')], force: true })).json).toEqual({
      chunk_ids_to_upload: ['c1'],
    });
    expect(
      (await check(server, { symbol_sets: [item('c1', 'other')], skip_on_conflict: true })).json,
    ).toEqual({
      chunk_ids_to_upload: [],
    });
  });

  test('more than 1000 sets is a validation error', async () => {
    const server = await startTestServer();
    const sets = Array.from({ length: 1001 }, (_, i) => item(`c${i}`, 'h'));
    const response = await check(server, { symbol_sets: sets });
    expect(response.status).toBe(400);
    expect(response.json).toEqual(
      validation('max_length', 'Ensure this field has no more than 1000 elements.', 'symbol_sets'),
    );
  });
});

describe('bulk_finish_upload', () => {
  test('an empty or absent map is 201 at once; null is a bare 400', async () => {
    const server = await startTestServer();
    for (const body of [{}, { content_hashes: {} }]) {
      const response = await server.api('POST', 'symbol_sets/bulk_finish_upload', { body });
      expect(response.status).toBe(201);
      expect(response.json).toEqual({ success: true });
    }
    const nullHashes = await server.api('POST', 'symbol_sets/bulk_finish_upload', {
      body: { content_hashes: null },
    });
    expect(nullHashes.status).toBe(400);
    expect(nullHashes.json).toEqual({ detail: 'content_hashes are required' });
    const list = await server.api('POST', 'symbol_sets/bulk_finish_upload', {
      body: { content_hashes: ['a'] },
    });
    expect(list.status).toBe(400);
    const number = await server.api('POST', 'symbol_sets/bulk_finish_upload', {
      body: { content_hashes: { a: 1 } },
    });
    expect(number.status).toBe(400);
  });

  test("unknown ids (and other projects' ids) are symbol_set_not_found, sorted", async () => {
    const server = await startTestServer();
    const other = server.admin.createProject();
    const key = server.admin.createApiKey().key;
    const foreign = await uploadSymbolSet(server, 'c1', fakeContainer('x'), { projectId: other.id, key });
    const response = await server.api('POST', 'symbol_sets/bulk_finish_upload', {
      body: { content_hashes: { zzz: 'h', [foreign]: 'h', aaa: 'h' } },
    });
    expect(response.status).toBe(400);
    expect(response.json).toEqual(
      validation(
        'symbol_set_not_found',
        `Unknown symbol set IDs: ${[foreign, 'aaa', 'zzz'].sort().join(', ')}`,
      ),
    );
  });

  test('no uploaded object: file_not_found, the row is kept and nothing is finished', async () => {
    const server = await startTestServer();
    const response = await start(server, { symbol_sets: [item('up', 'h1'), item('missing', 'h2')] });
    const { up, missing } = response.json.id_map;
    expect((await uploadToPresigned(up.presigned_url, fakeContainer('u'))).status).toBe(204);
    const finish = await server.api('POST', 'symbol_sets/bulk_finish_upload', {
      body: { content_hashes: { [up.symbol_set_id]: 'h1', [missing.symbol_set_id]: 'h2' } },
    });
    expect(finish.status).toBe(400);
    expect(finish.json).toEqual(
      validation('file_not_found', 'No file has been uploaded for the symbol set.'),
    );
    const rows = server.admin.symbolSetRows(1);
    expect(rows.map((r) => [r.ref, r.content_hash])).toEqual([
      ['up', null],
      ['missing', null],
    ]);
  });

  test('an empty object: file_too_large and the row is deleted', async () => {
    const server = await startTestServer();
    const response = await start(server, { symbol_sets: [item('empty', 'h')] });
    const entry = response.json.id_map.empty;
    expect((await uploadToPresigned(entry.presigned_url, Buffer.alloc(0))).status).toBe(204);
    const finish = await server.api('POST', 'symbol_sets/bulk_finish_upload', {
      body: { content_hashes: { [entry.symbol_set_id]: 'h' } },
    });
    expect(finish.status).toBe(400);
    expect(finish.json).toEqual(validation('file_too_large', 'The uploaded symbol set file was too large.'));
    expect(server.admin.symbolSetRows(1)).toEqual([]);
  });
});
