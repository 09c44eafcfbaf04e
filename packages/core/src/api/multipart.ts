import { randomBytes } from 'node:crypto';

export interface MultipartBody {
  contentType: string;
  length: number;
  /** The file part's bytes. */
  fileLength: number;
  /**
   * The body, fresh per call (retries need a new one each time): the parts in order, which undici
   * writes one after the other. No copy of the file (a 100 MiB set costs no second buffer, and a
   * build's uploads leave no garbage buffers behind), and none of a stream's per-request machinery
   * (150 POSTs of 70 kB here: 30-43 ms of the client's CPU, against 60-97 ms as streams).
   */
  body: () => Uint8Array[];
}

/** Quotes a form-data name the way browsers do (WHATWG: `"` and newlines percent-encoded). */
function quote(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * Boundaries: 12 random bytes per process, then a count. As unguessable as 12 random bytes per body
 * (the file cannot be made to contain one), without asking the OS for randomness on every request
 * (about 4 ms per 150 requests, docs/benchmarks.md round 16).
 */
let boundaryPrefix: string | undefined;
let boundaries = 0;

function nextBoundary(): string {
  boundaryPrefix ??= `----hogmaps${randomBytes(12).toString('hex')}`;
  return `${boundaryPrefix}${(boundaries++).toString(36)}`;
}

/** File parts up to this size are copied into the form's head rather than written on their own. */
const SMALL_PART = 1024;

/**
 * An S3 presigned-POST body: every field as a text part, then the file part named `file` WITH a
 * filename (MinIO and SeaweedFS reject a file part without one). The file may come in parts (a
 * container as packing leaves it), sent in order.
 */
export function presignedPostBody(
  fields: Record<string, string>,
  file: Uint8Array | readonly Uint8Array[],
): MultipartBody {
  const fileParts = file instanceof Uint8Array ? [file] : file;
  // undici writes each part with a system call of its own: the small leading parts (a container's
  // and its frame's headers) go with the form's head, the large one as it is.
  let lead = 0;
  while (lead < fileParts.length - 1 && fileParts[lead]!.byteLength <= SMALL_PART) lead++;
  const boundary = nextBoundary();
  let head = '';
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`;
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="file"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  const headText = Buffer.from(head, 'utf8');
  const headBytes = lead > 0 ? Buffer.concat([headText, ...fileParts.slice(0, lead)]) : headText;
  const rest = fileParts.slice(lead);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'ascii');
  let fileLength = 0;
  for (const part of fileParts) fileLength += part.byteLength;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: headText.length + fileLength + tail.length,
    fileLength,
    body: () => [headBytes, ...rest, tail],
  };
}
