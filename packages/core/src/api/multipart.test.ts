import { describe, expect, it } from 'vitest';
import { presignedPostBody } from './multipart';

describe('presignedPostBody', () => {
  it('is the form as parts around the file itself, fresh for every attempt', () => {
    for (const size of [0, 70_000]) {
      const file = Buffer.alloc(size, 7);
      const form = presignedPostBody({ key: 'a/b', 'x-amz-"quoted"': 'v' }, file);
      const parts = form.body();
      // The file goes as it is: no copy.
      expect(parts[1]).toBe(file);
      const bytes = Buffer.concat(parts);
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
      // A retry gets parts of its own, with the same bytes.
      expect(form.body()).not.toBe(parts);
      expect(Buffer.concat(form.body())).toEqual(bytes);
    }
  });

  it('sends a file given in parts in order, as the same form, its large part uncopied', () => {
    const file = Buffer.alloc(70_000, 7);
    file.write('0123456789');
    const parts = [file.subarray(0, 3), file.subarray(3, 4), file.subarray(4)];
    const joined = presignedPostBody({ key: 'k' }, file);
    const split = presignedPostBody({ key: 'k' }, parts);
    expect(split.length).toBe(joined.length);
    expect(split.fileLength).toBe(70_000);
    // The small parts go with the form's head: three writes, as for the file in one piece.
    expect(split.body()).toHaveLength(3);
    expect(split.body()[1]).toBe(parts[2]);
    const boundary = (form: { contentType: string }) => /boundary=(.+)$/.exec(form.contentType)![1]!;
    expect(Buffer.concat(split.body()).toString('latin1').replaceAll(boundary(split), 'B')).toBe(
      Buffer.concat(joined.body()).toString('latin1').replaceAll(boundary(joined), 'B'),
    );
  });

  it('gives every body a boundary of its own that RFC 2046 allows', () => {
    const boundaries = Array.from({ length: 1000 }, () => {
      const { contentType } = presignedPostBody({}, Buffer.alloc(1));
      return /boundary=(.+)$/.exec(contentType)![1]!;
    });
    expect(new Set(boundaries).size).toBe(boundaries.length);
    for (const boundary of boundaries) expect(boundary).toMatch(/^[0-9A-Za-z'()+_,./:=?-]{1,70}$/);
  });
});
