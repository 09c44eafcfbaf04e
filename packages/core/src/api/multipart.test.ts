import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { JOINED_BODY_MAX_BYTES, presignedPostBody } from './multipart';

async function bytesOf(body: Uint8Array | Readable): Promise<Buffer> {
  return body instanceof Readable ? buffer(body) : Buffer.from(body);
}

describe('presignedPostBody', () => {
  it('joins a small file with its parts, streams a large one, and both are the same form', async () => {
    for (const size of [0, 70_000, JOINED_BODY_MAX_BYTES, JOINED_BODY_MAX_BYTES + 1]) {
      const file = Buffer.alloc(size, 7);
      const form = presignedPostBody({ key: 'a/b', 'x-amz-"quoted"': 'v' }, file);
      const first = form.body();
      expect(first instanceof Readable, `${size} bytes`).toBe(size > JOINED_BODY_MAX_BYTES);
      const bytes = await bytesOf(first);
      expect(bytes.length).toBe(form.length);
      const boundary = /boundary=(.+)$/.exec(form.contentType)![1]!;
      const text = bytes.toString('latin1');
      expect(
        text.startsWith(`--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\na/b\r\n`),
      ).toBe(true);
      expect(text).toContain('name="x-amz-%22quoted%22"');
      expect(text).toContain(
        'name="file"; filename="file"\r\nContent-Type: application/octet-stream\r\n\r\n',
      );
      expect(text.endsWith(`\r\n--${boundary}--\r\n`)).toBe(true);
      expect(
        bytes.subarray(bytes.length - boundary.length - 8 - size, bytes.length - boundary.length - 8),
      ).toEqual(file);
      // A retry gets a body of its own, with the same bytes.
      expect(await bytesOf(form.body())).toEqual(bytes);
    }
  });
});
