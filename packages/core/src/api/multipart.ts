import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export interface MultipartBody {
  contentType: string;
  length: number;
  /** A fresh stream per call: retries need a new body each time. */
  stream: () => Readable;
}

/** Quotes a form-data name the way browsers do (WHATWG: `"` and newlines percent-encoded). */
function quote(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * An S3 presigned-POST body: every field as a text part, then the file part named `file` WITH a
 * filename (MinIO and SeaweedFS reject a file part without one). The file bytes are streamed, not
 * copied, so a 100 MiB set costs no second buffer.
 */
export function presignedPostBody(fields: Record<string, string>, file: Uint8Array): MultipartBody {
  const boundary = `----hogmaps${randomBytes(12).toString('hex')}`;
  let head = '';
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`;
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="file"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  const headBytes = Buffer.from(head, 'utf8');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'ascii');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: headBytes.length + file.byteLength + tail.length,
    stream: () => Readable.from([headBytes, file, tail], { objectMode: false }),
  };
}
