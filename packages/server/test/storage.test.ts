import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fakeContainer, uploadSymbolSet } from './helpers/flow';
import { http } from './helpers/http';
import { BOUNDARY, type FormPart, multipartBody, multipartHeaders, presignedForm } from './helpers/multipart';
import { startTestServer, type TestServer, testClock, uploadToPresigned } from './helpers/server';

type Presigned = { url: string; fields: Record<string, string> };

async function presign(server: TestServer, chunkId = 'c1'): Promise<{ presigned: Presigned; id: string }> {
  const response = await server.api('POST', 'symbol_sets/bulk_start_upload', {
    body: { symbol_sets: [{ chunk_id: chunkId, release_id: null, content_hash: 'h' }] },
  });
  const entry = response.json.id_map[chunkId];
  return { presigned: entry.presigned_url, id: entry.symbol_set_id };
}

function post(url: string, parts: FormPart[]) {
  const body = multipartBody(parts);
  return http('POST', url, { body, headers: multipartHeaders(body) });
}

function fieldParts(fields: Record<string, string>): FormPart[] {
  return Object.entries(fields).map(([name, value]) => ({ name, value }));
}

function s3Code(text: string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
}

function s3Message(text: string): string | undefined {
  return /<Message>([^<]+)<\/Message>/.exec(text)?.[1]?.replaceAll('&#34;', '"');
}

function stored(server: TestServer, presigned: Presigned): boolean {
  return existsSync(server.admin.blobPath(presigned.fields.key!));
}

/** No file is left being received (the server's own folder under tmp/ may stay). */
function tmpIsEmpty(server: TestServer): boolean {
  const entries = readdirSync(join(server.dataDir, 'tmp'), { recursive: true, withFileTypes: true });
  return entries.every((entry) => entry.isDirectory());
}

describe('presigned POST', () => {
  test('stores the file under the key and answers 204 with the MD5 ETag', async () => {
    const server = await startTestServer();
    const { presigned } = await presign(server);
    const bytes = fakeContainer('ok', 300_000);
    // Fields in any order (the CLI iterates a hash map), names case-insensitive, file last.
    const shuffled = Object.entries(presigned.fields).reverse();
    const response = await post(presigned.url, [
      ...shuffled.map(([name, value]) => ({ name: name.toUpperCase(), value })),
      { name: 'file', value: bytes, filename: 'file', contentType: 'application/octet-stream' },
      { name: 'ignored-after-file', value: 'x' },
    ]);
    expect(response.status, response.text).toBe(204);
    expect(response.headers.etag).toBe(`"${createHash('md5').update(bytes).digest('hex')}"`);
    expect(readFileSync(server.admin.blobPath(presigned.fields.key!))).toEqual(bytes);
    expect(tmpIsEmpty(server)).toBe(true);
  });

  test('an expired policy is AccessDenied "Policy expired."', async () => {
    const clock = testClock();
    const server = await startTestServer({ clock });
    const { presigned } = await presign(server);
    clock.advance(299_000);
    expect((await uploadToPresigned(presigned, fakeContainer('in-time'))).status).toBe(204);
    clock.advance(2_000);
    const late = await uploadToPresigned(presigned, fakeContainer('late'));
    expect(late.status).toBe(403);
    expect(late.headers['content-type']).toBe('application/xml');
    expect(s3Code(late.text)).toBe('AccessDenied');
    expect(s3Message(late.text)).toBe('Invalid according to Policy: Policy expired.');
    expect(readFileSync(server.admin.blobPath(presigned.fields.key!))).toEqual(fakeContainer('in-time'));
  });

  test('tampered fields are refused and nothing is stored', async () => {
    const server = await startTestServer();
    const { presigned } = await presign(server);
    const { fields } = presigned;
    const policy = JSON.parse(Buffer.from(fields.policy!, 'base64').toString());
    const longer = Buffer.from(JSON.stringify({ ...policy, expiration: '2099-01-01T00:00:00Z' })).toString(
      'base64',
    );
    const cases: [Record<string, string>, number, string, string?][] = [
      [{ ...fields, policy: longer }, 403, 'SignatureDoesNotMatch'],
      [{ ...fields, 'x-amz-signature': '0'.repeat(64) }, 403, 'SignatureDoesNotMatch'],
      [
        { ...fields, 'x-amz-date': '20300101T000000Z' },
        403,
        'AccessDenied',
        'Invalid according to Policy: Policy Condition failed:',
      ],
      [
        { ...fields, key: 'symbolsets/other' },
        403,
        'AccessDenied',
        `Policy Condition failed: ["eq", "$key", "${fields.key}"]`,
      ],
      [{ ...fields, key: '../../hogmaps.db' }, 403, 'AccessDenied'],
      [
        { ...fields, acl: 'public-read' },
        403,
        'AccessDenied',
        'Invalid according to Policy: Extra input fields: acl',
      ],
      [
        { ...fields, 'x-amz-credential': fields['x-amz-credential']!.replace(/^\w+/, 'SOMEONEELSE') },
        403,
        'InvalidAccessKeyId',
      ],
    ];
    for (const [tampered, status, code, message] of cases) {
      const response = await uploadToPresigned(
        { url: presigned.url, fields: tampered },
        fakeContainer('bad'),
      );
      expect(response.status, JSON.stringify(tampered)).toBe(status);
      expect(s3Code(response.text)).toBe(code);
      if (message) expect(s3Message(response.text)).toContain(message);
    }
    const { key, ...withoutKey } = fields;
    const noKey = await uploadToPresigned({ url: presigned.url, fields: withoutKey }, fakeContainer('bad'));
    expect(noKey.status).toBe(400);
    expect(s3Code(noKey.text)).toBe('InvalidArgument');
    const anonymous = await uploadToPresigned(
      { url: presigned.url, fields: { key: key! } },
      fakeContainer('bad'),
    );
    expect(anonymous.status).toBe(403);
    expect(s3Code(anonymous.text)).toBe('AccessDenied');
    expect(stored(server, presigned)).toBe(false);
    expect(existsSync(join(server.dataDir, 'hogmaps.db'))).toBe(true);
    expect(tmpIsEmpty(server)).toBe(true);
  });

  test('malformed forms: a file part without a filename, no file part, not multipart', async () => {
    const server = await startTestServer();
    const { presigned } = await presign(server);
    const noFilename = await post(presigned.url, [
      ...fieldParts(presigned.fields),
      { name: 'file', value: 'abc' },
    ]);
    expect(noFilename.status).toBe(400);
    expect(s3Code(noFilename.text)).toBe('MalformedPOSTRequest');
    expect(s3Message(noFilename.text)).toContain('filename');

    const noFile = await post(presigned.url, fieldParts(presigned.fields));
    expect(noFile.status).toBe(400);
    expect(s3Message(noFile.text)).toBe('POST requires exactly one file upload per request.');

    const json = await http('POST', presigned.url, { body: { file: 'x' } });
    expect(json.status).toBe(400);
    expect(s3Code(json.text)).toBe('MalformedPOSTRequest');

    const cut = presignedForm(presigned.fields, fakeContainer('cut'));
    const truncated = cut.subarray(0, cut.length - 20);
    const response = await http('POST', presigned.url, {
      body: truncated,
      headers: multipartHeaders(truncated),
    });
    expect(response.status).toBe(400);
    expect(s3Code(response.text)).toBe('MalformedPOSTRequest');
    expect(stored(server, presigned)).toBe(false);
    expect(tmpIsEmpty(server)).toBe(true);
  });

  test('over 100 MiB is EntityTooLarge; the upload is streamed and nothing is kept', async () => {
    const server = await startTestServer();
    const { presigned } = await presign(server);
    const head = Buffer.concat([
      ...Object.entries(presigned.fields).map(([name, value]) =>
        Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
      ),
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="file"\r\n\r\n`),
    ]);
    const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
    const mib = Buffer.alloc(1024 * 1024, 7);
    const size = 100 * mib.length + 1;
    async function* body() {
      yield head;
      for (let i = 0; i < 100; i++) yield mib;
      yield Buffer.from([7]);
      yield tail;
    }
    const before = process.memoryUsage().rss;
    const response = await http('POST', presigned.url, {
      stream: body(),
      headers: { ...multipartHeaders(head), 'content-length': head.length + size + tail.length },
    });
    expect(response.status).toBe(400);
    expect(s3Code(response.text)).toBe('EntityTooLarge');
    expect(response.text).toContain('<MaxSizeAllowed>104857600</MaxSizeAllowed>');
    expect(process.memoryUsage().rss - before).toBeLessThan(80 * 1024 * 1024);
    expect(stored(server, presigned)).toBe(false);
    expect(tmpIsEmpty(server)).toBe(true);
  });

  test('an unknown bucket is NoSuchBucket', async () => {
    const server = await startTestServer();
    const { presigned } = await presign(server);
    const response = await uploadToPresigned(
      { url: `${server.url}/_storage/other`, fields: presigned.fields },
      fakeContainer('a'),
    );
    expect(response.status).toBe(404);
    expect(s3Code(response.text)).toBe('NoSuchBucket');
  });
});

describe('presigned GET', () => {
  async function downloadUrl(server: TestServer, bytes = fakeContainer('d')): Promise<string> {
    const id = await uploadSymbolSet(server, 'c1', bytes);
    return (await server.api('GET', `symbol_sets/${id}/download`)).json.url;
  }

  test('expires after an hour', async () => {
    const clock = testClock();
    const server = await startTestServer({ clock });
    const url = await downloadUrl(server);
    clock.advance(3599_000);
    expect((await http('GET', url)).status).toBe(200);
    clock.advance(2_000);
    const late = await http('GET', url);
    expect(late.status).toBe(403);
    expect(s3Code(late.text)).toBe('AccessDenied');
    expect(s3Message(late.text)).toBe('Request has expired');
  });

  test('a changed signature, key or expiry is refused; no signature is AccessDenied', async () => {
    const server = await startTestServer();
    const url = await downloadUrl(server);
    const variants: ((u: URL) => void)[] = [
      (u) => u.searchParams.set('X-Amz-Signature', 'f'.repeat(64)),
      (u) => u.searchParams.set('X-Amz-Expires', '999999'),
      (u) => {
        u.pathname = u.pathname.replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0'));
      },
    ];
    for (const change of variants) {
      const changed = new URL(url);
      change(changed);
      const response = await http('GET', changed.href);
      expect(response.status).toBe(403);
      expect(s3Code(response.text)).toBe('SignatureDoesNotMatch');
    }
    const { origin, pathname } = new URL(url);
    const bare = await http('GET', `${origin}${pathname}`);
    expect(bare.status).toBe(403);
    expect(s3Code(bare.text)).toBe('AccessDenied');
  });

  test('keys cannot leave the blob folder', async () => {
    const server = await startTestServer();
    const url = new URL(await downloadUrl(server));
    for (const key of ['..%2Fhogmaps.db', '%2e%2e/hogmaps.db', 'symbolsets/..%2F..%2Fhogmaps.db']) {
      const response = await http('GET', `${url.origin}/_storage/posthog/${key}${url.search}`);
      expect(response.status, key).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.body.includes(Buffer.from('SQLite format'))).toBe(false);
    }
    expect(() => server.admin.blobPath('../hogmaps.db')).toThrow(/Invalid object key/);
  });

  test('a set whose object was never uploaded downloads as NoSuchKey', async () => {
    const server = await startTestServer();
    const { id } = await presign(server);
    const { url } = (await server.api('GET', `symbol_sets/${id}/download`)).json;
    const response = await http('GET', url);
    expect(response.status).toBe(404);
    expect(s3Code(response.text)).toBe('NoSuchKey');
  });
});
