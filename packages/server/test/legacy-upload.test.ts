import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createRelease, fakeContainer, sha512 } from './helpers/flow';
import { multipartBody, multipartHeaders } from './helpers/multipart';
import { startTestServer, testClock, uploadToPresigned, validation } from './helpers/server';

describe('deprecated start_upload / finish_upload', () => {
  test('start_upload hands out an hour-long presigned POST; finish_upload stores the hash once', async () => {
    const clock = testClock();
    const server = await startTestServer({ clock });
    const release = await createRelease(server);
    const start = await server.api('POST', `symbol_sets/start_upload?chunk_id=c1&release_id=${release.id}`);
    expect(start.status).toBe(201);
    expect(Object.keys(start.json)).toEqual(['presigned_url', 'symbol_set_id']);
    const policy = JSON.parse(Buffer.from(start.json.presigned_url.fields.policy, 'base64').toString());
    expect(policy.expiration).toBe('2026-01-01T01:00:00Z');
    const [row] = server.admin.symbolSetRows(1);
    expect(row).toMatchObject({ ref: 'c1', release_id: release.id, content_hash: null });

    const path = `symbol_sets/${start.json.symbol_set_id}/finish_upload`;
    const early = await server.api('PUT', path, { body: { content_hash: 'h1' } });
    expect(early.status).toBe(400);
    expect(early.json).toEqual(validation('file_not_found', 'No file has been uploaded for the symbol set.'));

    clock.advance(30 * 60 * 1000); // still valid after 30 minutes (bulk URLs would have expired)
    expect((await uploadToPresigned(start.json.presigned_url, fakeContainer('a'))).status).toBe(204);
    const noHash = await server.api('PUT', path, { body: {} });
    expect(noHash.status).toBe(400);
    expect(noHash.json).toEqual(
      validation('content_hash_required', 'A content hash must be provided to complete symbol set upload.'),
    );
    const finish = await server.api('PUT', `${path}/`, { body: { content_hash: 'h1' } });
    expect(finish.status).toBe(200);
    expect(finish.json).toEqual({ success: true });
    // Only the first hash sticks.
    await server.api('PUT', path, { body: { content_hash: 'h2' } });
    expect(server.admin.symbolSetRows(1)[0]!.content_hash).toBe('h1');

    const unknown = await server.api(
      'PUT',
      'symbol_sets/0190a0a0-0000-7000-8000-000000000000/finish_upload',
      {
        body: { content_hash: 'h' },
      },
    );
    expect(unknown.status).toBe(404);
  });

  test('start_upload errors: no chunk_id, another release, an unknown release (500 as in PostHog)', async () => {
    const server = await startTestServer();
    const r1 = await createRelease(server, { project: 'p', version: '1' });
    const r2 = await createRelease(server, { project: 'p', version: '2' });
    const missing = await server.api('POST', 'symbol_sets/start_upload');
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ detail: 'chunk_id query parameter is required' });

    await server.api('POST', `symbol_sets/start_upload?chunk_id=c1&release_id=${r1.id}`);
    const moved = await server.api('POST', `symbol_sets/start_upload?chunk_id=c1&release_id=${r2.id}`);
    expect(moved.status).toBe(400);
    expect(moved.json).toEqual(
      validation('invalid_input', 'Symbol set has already been uploaded for a different release'),
    );
    const unknown = await server.api('POST', 'symbol_sets/start_upload?chunk_id=c2&release_id=nope');
    expect(unknown.status).toBe(500);
    expect(unknown.json.type).toBe('server_error');
    expect(server.admin.symbolSetRows(1).map((r) => r.ref)).toEqual(['c1']);
  });

  test('start_upload on a finished set resets it to pending with a new key', async () => {
    const server = await startTestServer();
    const first = await server.api('POST', 'symbol_sets/start_upload?chunk_id=c1');
    await uploadToPresigned(first.json.presigned_url, fakeContainer('a'));
    await server.api('PUT', `symbol_sets/${first.json.symbol_set_id}/finish_upload`, {
      body: { content_hash: 'h' },
    });
    const again = await server.api('POST', 'symbol_sets/start_upload?chunk_id=c1');
    expect(again.json.symbol_set_id).toBe(first.json.symbol_set_id);
    expect(server.admin.symbolSetRows(1)[0]).toMatchObject({
      content_hash: null,
      storage_ptr: again.json.presigned_url.fields.key,
    });
  });
});

describe('deprecated direct create (POST symbol_sets?chunk_id=)', () => {
  test('a raw body with a filename is stored and hashed by the server', async () => {
    const server = await startTestServer();
    const bytes = fakeContainer('raw', 5000);
    const response = await server.api('POST', 'symbol_sets?chunk_id=c1', {
      body: bytes,
      headers: {
        'content-type': 'application/octet-stream',
        'content-disposition': "attachment; filename='chunk'",
      },
    });
    expect(response.status).toBe(201);
    expect(response.json).toEqual({ ok: true });
    const [row] = server.admin.symbolSetRows(1);
    expect(row).toMatchObject({ ref: 'c1', content_hash: sha512(bytes) });
    expect(readFileSync(server.admin.blobPath(row!.storage_ptr!))).toEqual(bytes);
  });

  test('multipart=true reads the file part; re-creating replaces the content', async () => {
    const server = await startTestServer();
    const release = await createRelease(server);
    const one = fakeContainer('one');
    const two = fakeContainer('two');
    for (const bytes of [one, two]) {
      const body = multipartBody([{ name: 'file', value: bytes, filename: 'chunk.bin' }]);
      const response = await server.api(
        'POST',
        `symbol_sets/?chunk_id=c1&release_id=${release.id}&multipart=true`,
        {
          body,
          headers: multipartHeaders(body),
        },
      );
      expect(response.status, response.text).toBe(201);
    }
    const rows = server.admin.symbolSetRows(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ content_hash: sha512(two), release_id: release.id });
    expect(readFileSync(server.admin.blobPath(rows[0]!.storage_ptr!))).toEqual(two);
  });

  test('bad uploads are refused and store nothing', async () => {
    const server = await startTestServer();
    const noChunk = await server.api('POST', 'symbol_sets', {
      body: 'x',
      headers: { 'content-disposition': 'attachment; filename=a' },
    });
    expect(noChunk.json).toEqual({ detail: 'chunk_id query parameter is required' });

    const noFilename = await server.api('POST', 'symbol_sets?chunk_id=c1', {
      body: 'bytes',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(noFilename.status).toBe(400);
    expect(noFilename.json).toEqual({
      type: 'invalid_request',
      code: 'parse_error',
      detail:
        'Missing filename. Request should include a Content-Disposition header with a filename parameter.',
      attr: null,
    });

    const empty = await server.api('POST', 'symbol_sets?chunk_id=c1', {
      body: '',
      headers: { 'content-disposition': 'attachment; filename="a"' },
    });
    expect(empty.json).toEqual(validation('empty', 'The submitted file is empty.', 'file'));

    const fileWithoutName = multipartBody([{ name: 'file', value: 'abc' }]);
    const partNoName = await server.api('POST', 'symbol_sets?chunk_id=c1&multipart=true', {
      body: fileWithoutName,
      headers: multipartHeaders(fileWithoutName),
    });
    expect(partNoName.status).toBe(400);
    expect(partNoName.json).toMatchObject({ attr: 'file', detail: expect.stringContaining('no filename') });

    const noFile = multipartBody([{ name: 'other', value: 'abc' }]);
    const missingPart = await server.api('POST', 'symbol_sets?chunk_id=c1&multipart=1', {
      body: noFile,
      headers: multipartHeaders(noFile),
    });
    expect(missingPart.json).toEqual(validation('required', 'No file was submitted.', 'file'));

    const truncated = multipartBody([{ name: 'file', value: 'abc', filename: 'f' }]).subarray(0, 60);
    const broken = await server.api('POST', 'symbol_sets?chunk_id=c1&multipart=1', {
      body: truncated,
      headers: multipartHeaders(truncated),
    });
    expect(broken.status).toBe(400);
    expect(broken.json.code).toBe('parse_error');

    expect(server.admin.symbolSetRows(1)).toEqual([]);
  });

  test('over 100 MiB is file_too_large and nothing is kept', async () => {
    const server = await startTestServer();
    const chunk = Buffer.alloc(1024 * 1024, 1);
    async function* body() {
      for (let i = 0; i < 101; i++) yield chunk;
    }
    const response = await server.api('POST', 'symbol_sets?chunk_id=big', {
      stream: body(),
      headers: { 'content-disposition': 'attachment; filename="big"', 'content-length': 101 * chunk.length },
    });
    expect(response.status).toBe(400);
    expect(response.json).toEqual(
      validation('file_too_large', 'Combined source map and symbol set must be less than 100MB'),
    );
    expect(server.admin.symbolSetRows(1)).toEqual([]);
  });
});
