import { describe, expect, test } from 'vitest';
import { type MultipartEvent, MultipartScanner, multipartBoundary, readMultipart } from './multipart';

const BOUNDARY = 'XyZ--boundary';
const BODY = Buffer.from(
  [
    'preamble to ignore',
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="key"',
    '',
    'symbolsets/1',
    `--${BOUNDARY}   `,
    'content-disposition: form-data; name="file"; filename="file"',
    'Content-Type: application/octet-stream',
    '',
    `bytes\r\n--${BOUNDARY.slice(0, 5)} almost a boundary\r\n-- more`,
    `--${BOUNDARY}--`,
    'epilogue',
  ].join('\r\n'),
);

/** Folds the events into parts, so any split of the input must give the same answer. */
function collect(events: MultipartEvent[]) {
  const parts: { name: string; filename?: string; contentType?: string; data: string }[] = [];
  let done = false;
  for (const event of events) {
    if (event.type === 'part') parts.push({ ...event.part, data: '' });
    if (event.type === 'data') parts[parts.length - 1]!.data += event.data.toString('latin1');
    if (event.type === 'done') done = true;
  }
  return { parts, done };
}

const EXPECTED = {
  done: true,
  parts: [
    { name: 'key', filename: undefined, contentType: undefined, data: 'symbolsets/1' },
    {
      name: 'file',
      filename: 'file',
      contentType: 'application/octet-stream',
      data: `bytes\r\n--${BOUNDARY.slice(0, 5)} almost a boundary\r\n-- more`,
    },
  ],
};

describe('MultipartScanner', () => {
  test('gives the same parts however the input is split', () => {
    for (let at = 0; at <= BODY.length; at++) {
      const scanner = new MultipartScanner(BOUNDARY);
      const events = [...scanner.push(BODY.subarray(0, at)), ...scanner.push(BODY.subarray(at))];
      expect(collect(events), `split at ${at}`).toEqual(EXPECTED);
    }
    const scanner = new MultipartScanner(BOUNDARY);
    const events = [...BODY].flatMap((byte) => scanner.push(Buffer.from([byte])));
    expect(collect(events)).toEqual(EXPECTED);
  });

  test("passes a file's bytes on as views of the chunks they came in, not copies", () => {
    const scanner = new MultipartScanner('b');
    const head = Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\nab');
    const middle = Buffer.alloc(64 * 1024, 0x61);
    const last = Buffer.from('cd\r\n--b--');
    const events = [head, middle, last].flatMap((chunk) => scanner.push(chunk));
    const data = events.flatMap((event) => (event.type === 'data' ? [event.data] : []));
    expect(Buffer.concat(data).toString('latin1')).toBe(`ab${'a'.repeat(64 * 1024)}cd`);
    expect(data.map((bytes) => bytes.buffer)).toEqual([head.buffer, middle.buffer, last.buffer]);
    // Bytes that may begin the delimiter wait for the next chunk, which then holds them and more.
    const held = new MultipartScanner('b');
    const cut = [Buffer.from('--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nx\r\n-'), middle];
    const seen = collect(cut.flatMap((chunk) => held.push(chunk)));
    expect(seen.parts[0]!.data).toBe(`x\r\n-${'a'.repeat(64 * 1024)}`);
  });

  test('refuses a truncated body, a part without a name and runaway headers', () => {
    const truncated = new MultipartScanner(BOUNDARY);
    truncated.push(BODY.subarray(0, 120));
    expect(() => truncated.end()).toThrow(/ended before its closing boundary/);
    const nameless = new MultipartScanner('b');
    expect(() =>
      nameless.push(Buffer.from('--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--')),
    ).toThrow(/not form-data with a name/);
    const huge = new MultipartScanner('b', { maxHeaderBytes: 100 });
    expect(() => huge.push(Buffer.from(`--b\r\nX-Long: ${'a'.repeat(200)}`))).toThrow(
      /headers are too large/,
    );
  });
});

describe('readMultipart', () => {
  test('keeps fields before the file, streams the file, ignores what follows', async () => {
    const written: Buffer[] = [];
    const result = await readMultipart([BODY.subarray(0, 50), BODY.subarray(50)], {
      boundary: BOUNDARY,
      isFile: (part) => part.name === 'file',
      openFile: async (_part, fields) => {
        expect(fields.get('key')).toBe('symbolsets/1');
        return { write: async (chunk) => void written.push(Buffer.from(chunk)) };
      },
    });
    expect(result.file?.filename).toBe('file');
    expect(Buffer.concat(written).toString('latin1')).toBe(EXPECTED.parts[1]!.data);
  });

  test('bounds text fields', async () => {
    const body = Buffer.from(
      `--b\r\nContent-Disposition: form-data; name="big"\r\n\r\n${'x'.repeat(50)}\r\n--b--`,
    );
    await expect(
      readMultipart([body], {
        boundary: 'b',
        isFile: () => false,
        openFile: async () => ({ write: async () => {} }),
        maxFieldBytes: 10,
      }),
    ).rejects.toThrow(/larger than 10 bytes/);
  });

  test('finds the boundary in a Content-Type', () => {
    expect(multipartBoundary('multipart/form-data; boundary="a b;c"')).toBe('a b;c');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary=xyz')).toBe('xyz');
    expect(multipartBoundary('application/json')).toBeUndefined();
    expect(multipartBoundary('multipart/form-data')).toBeUndefined();
  });
});
