import { HogmapsError } from '@hogmaps/core';
import { parseContentDisposition } from './content-disposition';

export class MultipartError extends HogmapsError {
  constructor(message: string) {
    super('malformed_multipart', message);
    this.name = 'MultipartError';
  }
}

export interface PartInfo {
  /** The form field name, as sent. */
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
}

export type MultipartEvent =
  | { type: 'part'; part: PartInfo }
  | { type: 'data'; data: Buffer }
  | { type: 'part-end' }
  | { type: 'done' };

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data` Content-Type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const { type, params } = parseContentDisposition(contentType);
  const boundary = params.get('boundary');
  if (type !== 'multipart/form-data' || !boundary || boundary.length > 200) return undefined;
  return boundary;
}

/**
 * An incremental multipart scanner: bytes in, events out, never holding more than one part's headers
 * plus a delimiter's length of body, so a 100 MiB file streams through in constant memory.
 */
export class MultipartScanner {
  private readonly delimiter: Buffer;
  private readonly maxHeaderBytes: number;
  // A leading CRLF lets the first delimiter (which has none before it) match like every other one.
  private buffer: Buffer = Buffer.from(CRLF);
  private state: 'preamble' | 'boundary-line' | 'headers' | 'body' | 'done' = 'preamble';

  constructor(boundary: string, options: { maxHeaderBytes?: number } = {}) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024;
  }

  get done(): boolean {
    return this.state === 'done';
  }

  push(chunk: Buffer): MultipartEvent[] {
    if (this.state === 'done') return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const events: MultipartEvent[] = [];
    while (this.step(events)) {
      // each step consumes input or reports that it needs more
    }
    return events;
  }

  /** Call when the input ends; a body without its closing delimiter is an error. */
  end(): void {
    if (this.state !== 'done')
      throw new MultipartError('The multipart body ended before its closing boundary.');
  }

  private step(events: MultipartEvent[]): boolean {
    const { delimiter } = this;
    switch (this.state) {
      case 'preamble': {
        const at = this.buffer.indexOf(delimiter);
        if (at < 0) {
          this.keepTail(delimiter.length - 1);
          return false;
        }
        this.buffer = this.buffer.subarray(at + delimiter.length);
        this.state = 'boundary-line';
        return true;
      }
      case 'boundary-line': {
        if (this.buffer.length < 2) return false;
        if (this.buffer[0] === 0x2d && this.buffer[1] === 0x2d) {
          this.state = 'done';
          this.buffer = Buffer.alloc(0);
          events.push({ type: 'done' });
          return false;
        }
        const eol = this.buffer.indexOf(CRLF);
        if (eol < 0) {
          if (this.buffer.length > 256) throw new MultipartError('Malformed multipart boundary line.');
          return false;
        }
        // RFC 2046 allows transport padding (spaces, tabs) after a boundary.
        if (!/^[ \t]*$/.test(this.buffer.subarray(0, eol).toString('latin1'))) {
          throw new MultipartError('Malformed multipart boundary line.');
        }
        this.buffer = this.buffer.subarray(eol + 2);
        this.state = 'headers';
        return true;
      }
      case 'headers': {
        // A part with no headers at all starts with the blank line right away.
        const emptyHeaders = this.buffer.length >= 2 && this.buffer[0] === 0x0d && this.buffer[1] === 0x0a;
        const end = emptyHeaders ? -2 : this.buffer.indexOf(HEADER_END);
        if (end === -1) {
          if (this.buffer.length > this.maxHeaderBytes)
            throw new MultipartError('Multipart part headers are too large.');
          return false;
        }
        const text = end < 0 ? '' : this.buffer.subarray(0, end).toString('utf8');
        this.buffer = this.buffer.subarray(end < 0 ? 2 : end + 4);
        events.push({ type: 'part', part: parsePartHeaders(text) });
        this.state = 'body';
        return true;
      }
      case 'body': {
        const at = this.buffer.indexOf(delimiter);
        if (at < 0) {
          const safe = this.delimiterMayStart();
          if (safe > 0) {
            events.push({ type: 'data', data: this.buffer.subarray(0, safe) });
            this.buffer = this.buffer.subarray(safe);
          }
          return false;
        }
        if (at > 0) events.push({ type: 'data', data: this.buffer.subarray(0, at) });
        events.push({ type: 'part-end' });
        this.buffer = this.buffer.subarray(at + delimiter.length);
        this.state = 'boundary-line';
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * Where a delimiter cut off by the end of the buffer may start: the earliest end part that is the
   * delimiter's beginning, else the buffer's length. Only that part waits for the next chunk, and
   * it is rarely there (the delimiter starts with CR), so the next chunk is taken as it comes
   * instead of being copied onto the held bytes: a large file is not copied chunk by chunk.
   */
  private delimiterMayStart(): number {
    const { buffer, delimiter } = this;
    for (let at = Math.max(0, buffer.length - delimiter.length + 1); at < buffer.length; at++) {
      if (buffer[at] !== delimiter[0]) continue;
      if (buffer.subarray(at).equals(delimiter.subarray(0, buffer.length - at))) return at;
    }
    return buffer.length;
  }

  private keepTail(length: number): void {
    if (this.buffer.length > length) this.buffer = this.buffer.subarray(this.buffer.length - length);
  }
}

function parsePartHeaders(text: string): PartInfo {
  let disposition: string | undefined;
  let contentType: string | undefined;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    else if (name === 'content-type') contentType = value;
  }
  if (!disposition) throw new MultipartError('A multipart part has no Content-Disposition header.');
  const { type, params } = parseContentDisposition(disposition);
  const name = params.get('name');
  if (type !== 'form-data' || name === undefined) {
    throw new MultipartError('A multipart part is not form-data with a name.');
  }
  return { name, filename: params.get('filename'), contentType };
}

/** Where the file part's bytes go, a chunk at a time (awaited, so the request is read no faster). */
export interface FileSink {
  write(chunk: Buffer): Promise<void>;
}

export interface MultipartOptions {
  boundary: string;
  /** Which part is the one file; it may only come once, and reading stops after it. */
  isFile(part: PartInfo): boolean;
  /** Opens the sink for the file part; may throw to reject the request before any byte is stored. */
  openFile(part: PartInfo, fields: ReadonlyMap<string, string>): Promise<FileSink>;
  /** Field names are stored lower-cased when set (S3 matches form fields case-insensitively). */
  lowerCaseFieldNames?: boolean;
  maxFieldBytes?: number;
  maxFields?: number;
}

export interface MultipartResult {
  /** Text fields seen before the file part (fields after it are ignored, as S3 does). */
  fields: Map<string, string>;
  file: PartInfo | undefined;
}

/**
 * Reads a multipart form from `source`, keeping text fields in memory (bounded) and streaming the
 * file part into its sink. Pass a source that does not destroy the request when left early
 * (`req.iterator({ destroyOnReturn: false })`) so an answer can still be sent.
 */
export async function readMultipart(
  source: AsyncIterable<Buffer> | Iterable<Buffer>,
  options: MultipartOptions,
): Promise<MultipartResult> {
  const maxFieldBytes = options.maxFieldBytes ?? 64 * 1024;
  const maxFields = options.maxFields ?? 100;
  const scanner = new MultipartScanner(options.boundary);
  const fields = new Map<string, string>();
  let part: PartInfo | undefined;
  let sink: FileSink | undefined;
  let text: Buffer[] = [];
  let textSize = 0;
  let partCount = 0;

  for await (const chunk of source) {
    for (const event of scanner.push(chunk)) {
      if (event.type === 'done') return { fields, file: undefined };
      if (event.type === 'part') {
        part = event.part;
        if (++partCount > maxFields) throw new MultipartError(`A form may have at most ${maxFields} fields.`);
        text = [];
        textSize = 0;
        if (options.isFile(part)) sink = await options.openFile(part, fields);
      } else if (event.type === 'data') {
        if (sink) {
          await sink.write(event.data);
        } else {
          textSize += event.data.length;
          if (textSize > maxFieldBytes) {
            throw new MultipartError(`The form field "${part?.name}" is larger than ${maxFieldBytes} bytes.`);
          }
          text.push(Buffer.from(event.data));
        }
      } else if (part) {
        if (sink) return { fields, file: part };
        const name = options.lowerCaseFieldNames ? part.name.toLowerCase() : part.name;
        fields.set(name, Buffer.concat(text).toString('utf8'));
      }
    }
  }
  scanner.end();
  return { fields, file: undefined };
}
