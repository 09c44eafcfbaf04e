import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { HogmapsError } from '@hogmaps/core';
import { sendText } from '../http/respond';

/** An error answered the way S3 (and MinIO) answer: a status plus an XML `<Error>` document. */
export class S3Error extends HogmapsError {
  readonly status: number;
  readonly s3Code: string;
  readonly extra: Record<string, string>;

  constructor(status: number, s3Code: string, message: string, extra: Record<string, string> = {}) {
    super('s3_error', message);
    this.name = 'S3Error';
    this.status = status;
    this.s3Code = s3Code;
    this.extra = extra;
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function s3ErrorXml(code: string, message: string, extra: Record<string, string> = {}): string {
  const fields = Object.entries({ ...extra, RequestId: randomBytes(8).toString('hex').toUpperCase() })
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${fields}</Error>`;
}

export function sendS3Error(res: ServerResponse, error: S3Error, headers: Record<string, string> = {}): void {
  sendText(
    res,
    error.status,
    s3ErrorXml(error.s3Code, error.message, error.extra),
    'application/xml',
    headers,
  );
}

export const accessDenied = (message = 'Access Denied') => new S3Error(403, 'AccessDenied', message);

export const policyFailure = (why: string) => accessDenied(`Invalid according to Policy: ${why}`);

export const signatureMismatch = () =>
  new S3Error(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );

export const invalidArgument = (message: string) => new S3Error(400, 'InvalidArgument', message);

export const malformedPost = (message: string) => new S3Error(400, 'MalformedPOSTRequest', message);

export const missingField = (name: string) =>
  invalidArgument(
    `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
  );

export const entityTooLarge = (proposedSize: number, maxSize: number) =>
  new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
    ProposedSize: String(proposedSize),
    MaxSizeAllowed: String(maxSize),
  });

export const entityTooSmall = (proposedSize: number, minSize: number) =>
  new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
    ProposedSize: String(proposedSize),
    MinSizeAllowed: String(minSize),
  });

export const noSuchKey = (key: string) =>
  new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });

export const noSuchBucket = (bucket: string) =>
  new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
