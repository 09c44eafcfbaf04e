import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { App } from '../app';
import { discardBody } from '../http/body';
import { MultipartError, multipartBoundary, readMultipart } from '../http/multipart';
import { sendEmpty } from '../http/respond';
import { mayWrite } from '../symbol-sets/objects';
import type { BlobWriter } from './blobs';
import { InvalidKeyError } from './blobs';
import { MAX_SYMBOL_SET_BYTES, STORAGE_BUCKET, STORAGE_PATH_PREFIX } from './presign';
import {
  accessDenied,
  entityTooLarge,
  entityTooSmall,
  invalidArgument,
  malformedPost,
  noSuchBucket,
  noSuchKey,
  S3Error,
  sendS3Error,
} from './s3-errors';

const uploadClosed = () =>
  accessDenied(
    'The upload this form was issued for is finished, was deleted or has expired; start a new upload.',
  );

/**
 * Publishes a fully received file under `key` if its start still allows it, in one synchronous step
 * after the file is closed, so no finish or DELETE can run between the check and the rename.
 */
async function publish(app: App, writer: BlobWriter, key: string): Promise<void> {
  await writer.close();
  if (!mayWrite(app, key)) throw uploadClosed();
  writer.commitSync(key);
  app.uploads.markUploaded(key);
}

export function isStoragePath(pathname: string): boolean {
  return pathname.startsWith(STORAGE_PATH_PREFIX);
}

/** The object-storage emulation under `/_storage/<bucket>`: presigned POST, GET/HEAD and PUT. */
export async function handleStorage(
  app: App,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  try {
    const [bucket = '', ...segments] = url.pathname.slice(STORAGE_PATH_PREFIX.length).split('/');
    if (bucket !== STORAGE_BUCKET) throw noSuchBucket(bucket);
    let key: string;
    try {
      key = segments.map((segment) => decodeURIComponent(segment)).join('/');
    } catch {
      throw invalidArgument('Invalid object key.');
    }
    const method = req.method ?? 'GET';
    if (key === '' && method === 'POST') return await postObject(app, req, res);
    if (key !== '' && (method === 'GET' || method === 'HEAD'))
      return await getObject(app, req, res, url, key);
    if (key !== '' && method === 'PUT') return await putObject(app, req, res, url, key);
    throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  } catch (error) {
    const s3Error =
      error instanceof S3Error
        ? error
        : error instanceof MultipartError
          ? malformedPost(error.message)
          : error instanceof InvalidKeyError
            ? invalidArgument('Invalid object key.')
            : undefined;
    if (!s3Error) throw error;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const drained = await discardBody(req);
    sendS3Error(res, s3Error, drained ? {} : { Connection: 'close' });
  }
}

/** Browser-style POST upload: policy fields, then a `file` part with a filename, answered with 204. */
async function postObject(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const boundary = multipartBoundary(req.headers['content-type']);
  if (!boundary) {
    throw malformedPost('The body of your POST request is not well-formed multipart/form-data.');
  }
  let writer: BlobWriter | undefined;
  let grant: { key: string; minBytes: number; maxBytes: number } | undefined;
  try {
    const form = await readMultipart(req.iterator({ destroyOnReturn: false }), {
      boundary,
      lowerCaseFieldNames: true,
      isFile: (part) => part.name.toLowerCase() === 'file',
      openFile: async (part, fields) => {
        if (!part.filename) {
          throw malformedPost(
            'The "file" part must carry a filename (Content-Disposition: form-data; name="file"; filename="…").',
          );
        }
        const verified = app.presigner.verifyPost(fields);
        app.blobs.pathFor(verified.key);
        if (!mayWrite(app, verified.key)) throw uploadClosed();
        grant = verified;
        const opened = await app.blobs.createWriter('md5');
        writer = opened;
        const max = Math.min(verified.maxBytes, MAX_SYMBOL_SET_BYTES);
        return {
          write: async (chunk) => {
            if (opened.size + chunk.length > max) throw entityTooLarge(opened.size + chunk.length, max);
            await opened.write(chunk);
          },
        };
      },
    });
    if (!form.file || !writer || !grant)
      throw invalidArgument('POST requires exactly one file upload per request.');
    if (writer.size < grant.minBytes) throw entityTooSmall(writer.size, grant.minBytes);
    const md5 = writer.digest();
    await publish(app, writer, grant.key);
    await discardBody(req);
    sendEmpty(res, 204, { ETag: `"${md5}"` });
  } finally {
    await writer?.abort();
  }
}

function signedHeaders(req: IncomingMessage): Record<string, string | undefined> {
  return { host: req.headers.host, 'content-length': req.headers['content-length'] };
}

async function getObject(app: App, req: IncomingMessage, res: ServerResponse, url: URL, key: string) {
  app.presigner.verifyUrl(req.method ?? 'GET', key, url.searchParams, signedHeaders(req));
  const size = await app.blobs.size(key);
  if (size === undefined) throw noSuchKey(key);
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(app.blobs.pathFor(key)), res);
}

/** Presigned PUT (handed out when bulk_start_upload got a content_length): raw bytes, exact length. */
async function putObject(app: App, req: IncomingMessage, res: ServerResponse, url: URL, key: string) {
  app.presigner.verifyUrl('PUT', key, url.searchParams, signedHeaders(req));
  const declared = Number(req.headers['content-length']);
  if (req.headers['content-length'] === undefined || !Number.isSafeInteger(declared) || declared < 0) {
    throw new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
  }
  if (declared > MAX_SYMBOL_SET_BYTES) throw entityTooLarge(declared, MAX_SYMBOL_SET_BYTES);
  app.blobs.pathFor(key);
  if (!mayWrite(app, key)) throw uploadClosed();
  const writer = await app.blobs.createWriter('md5');
  try {
    for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      await writer.write(chunk);
    }
    if (writer.size !== declared) {
      throw new S3Error(
        400,
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header.',
      );
    }
    const md5 = writer.digest();
    await publish(app, writer, key);
    sendEmpty(res, 200, { ETag: `"${md5}"` });
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
