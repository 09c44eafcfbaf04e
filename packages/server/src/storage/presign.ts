import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock';
import {
  accessDenied,
  invalidArgument,
  missingField,
  policyFailure,
  S3Error,
  signatureMismatch,
} from './s3-errors';

export const STORAGE_BUCKET = 'posthog';
export const STORAGE_REGION = 'us-east-1';
export const STORAGE_PATH_PREFIX = '/_storage/';
export const MAX_SYMBOL_SET_BYTES = 104_857_600;
/** Expiry of bulk_start_upload's presigned POSTs (deprecated start_upload uses boto3's 3600 s default). */
export const BULK_UPLOAD_EXPIRY_SECONDS = 300;
export const LEGACY_UPLOAD_EXPIRY_SECONDS = 3600;
export const DOWNLOAD_EXPIRY_SECONDS = 3600;
const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

/** What a verified POST policy allows for the file: its key and its byte range. */
export interface PostGrant {
  key: string;
  minBytes: number;
  maxBytes: number;
}

type Condition = Record<string, unknown> | unknown[];

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** RFC 3986 encoding, as SigV4 wants it. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function objectPath(key: string): string {
  return `${STORAGE_PATH_PREFIX}${STORAGE_BUCKET}/${key.split('/').map(uriEncode).join('/')}`;
}

/**
 * Signs and checks S3-style presigned requests with SigV4 and a secret that only this server knows
 * (kept in the database, so URLs handed out survive a restart).
 */
export function createPresigner(options: { accessKeyId: string; secret: string; clock: Clock }) {
  const { accessKeyId, secret, clock } = options;

  function signingKey(day: string): Buffer {
    return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), STORAGE_REGION), 's3'), 'aws4_request');
  }

  function credential(day: string): string {
    return `${accessKeyId}/${day}/${STORAGE_REGION}/s3/aws4_request`;
  }

  /** Checks `<access key>/<yyyymmdd>/<region>/s3/aws4_request` and returns its day. */
  function credentialDay(text: string): string {
    const parts = text.split('/');
    if (
      parts.length !== 5 ||
      !/^\d{8}$/.test(parts[1]!) ||
      parts[3] !== 's3' ||
      parts[4] !== 'aws4_request'
    ) {
      throw invalidArgument(
        `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed: ${text}`,
      );
    }
    if (parts[0] !== accessKeyId) {
      throw new S3Error(
        403,
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
      );
    }
    return parts[1]!;
  }

  function canonicalRequest(
    method: string,
    key: string,
    query: URLSearchParams,
    headers: [string, string][],
  ) {
    const params = [...query].filter(([name]) => name !== 'X-Amz-Signature');
    params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const canonicalQuery = params.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join('&');
    const canonicalHeaders = headers.map(([k, v]) => `${k}:${v.trim()}\n`).join('');
    const signedHeaders = headers.map(([k]) => k).join(';');
    return [
      method,
      objectPath(key),
      canonicalQuery,
      canonicalHeaders,
      signedHeaders,
      'UNSIGNED-PAYLOAD',
    ].join('\n');
  }

  function urlSignature(date: string, scopeDay: string, canonical: string): string {
    const digest = createHash('sha256').update(canonical).digest('hex');
    const toSign = [ALGORITHM, date, `${scopeDay}/${STORAGE_REGION}/s3/aws4_request`, digest].join('\n');
    return createHmac('sha256', signingKey(scopeDay)).update(toSign).digest('hex');
  }

  return {
    /** boto3's generate_presigned_post with PostHog's size condition. `origin` is `http://host:port`. */
    presignPost(origin: string, key: string, expiresInSeconds: number): PresignedPost {
      const now = clock();
      const date = amzDate(now);
      const day = date.slice(0, 8);
      const fields: Record<string, string> = {
        key,
        'x-amz-algorithm': ALGORITHM,
        'x-amz-credential': credential(day),
        'x-amz-date': date,
      };
      const policy = {
        expiration: new Date(now + expiresInSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        conditions: [
          ['content-length-range', 0, MAX_SYMBOL_SET_BYTES],
          { bucket: STORAGE_BUCKET },
          { key },
          { 'x-amz-algorithm': ALGORITHM },
          { 'x-amz-credential': fields['x-amz-credential'] },
          { 'x-amz-date': date },
        ],
      };
      const policyBase64 = Buffer.from(JSON.stringify(policy)).toString('base64');
      const signature = createHmac('sha256', signingKey(day)).update(policyBase64).digest('hex');
      return {
        url: `${origin}${STORAGE_PATH_PREFIX}${STORAGE_BUCKET}`,
        fields: { ...fields, policy: policyBase64, 'x-amz-signature': signature },
      };
    },

    /**
     * S3's checks of a POST form, in S3's order: fields present, signature, expiry, every condition, no
     * unlisted field. `fields` has lower-cased names (S3 matches them case-insensitively).
     */
    verifyPost(fields: ReadonlyMap<string, string>): PostGrant {
      const key = fields.get('key');
      if (key === undefined) throw missingField('key');
      if (!fields.has('policy') && !fields.has('x-amz-signature')) throw accessDenied();
      for (const name of ['policy', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature']) {
        if (!fields.has(name)) throw missingField(name);
      }
      if (fields.get('x-amz-algorithm') !== ALGORITHM) {
        throw invalidArgument(`Unsupported x-amz-algorithm: ${fields.get('x-amz-algorithm')}`);
      }
      const day = credentialDay(fields.get('x-amz-credential')!);
      const policyBase64 = fields.get('policy')!;
      const expected = createHmac('sha256', signingKey(day)).update(policyBase64).digest('hex');
      if (!sameHex(expected, fields.get('x-amz-signature')!.toLowerCase())) throw signatureMismatch();

      let policy: { expiration?: unknown; conditions?: unknown };
      try {
        policy = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8'));
      } catch {
        throw new S3Error(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
      }
      const expiration = typeof policy.expiration === 'string' ? Date.parse(policy.expiration) : Number.NaN;
      if (Number.isNaN(expiration)) {
        throw new S3Error(400, 'InvalidPolicyDocument', "Invalid Policy: Invalid 'expiration' value.");
      }
      if (clock() > expiration) throw policyFailure('Policy expired.');

      const values = new Map(fields);
      values.set('bucket', STORAGE_BUCKET);
      const covered = new Set<string>(['bucket']);
      let minBytes = 0;
      let maxBytes = Number.POSITIVE_INFINITY;
      const conditions = Array.isArray(policy.conditions) ? (policy.conditions as Condition[]) : [];
      for (const condition of conditions) {
        // S3 reports every failed condition in its array form: ["eq", "$key", "value"].
        const failed = (op: unknown, field: string, value: unknown) =>
          policyFailure(
            `Policy Condition failed: ${JSON.stringify([op, field, value]).replaceAll('","', '", "')}`,
          );
        if (Array.isArray(condition)) {
          const [op, field, value] = condition;
          if (op === 'content-length-range') {
            minBytes = Number(field);
            maxBytes = Number(value);
            continue;
          }
          const name = String(field).replace(/^\$/, '').toLowerCase();
          covered.add(name);
          const actual = values.get(name) ?? '';
          if (op === 'eq' && actual !== value) throw failed(op, String(field), value);
          if (op === 'starts-with' && !actual.startsWith(String(value)))
            throw failed(op, String(field), value);
        } else {
          for (const [field, value] of Object.entries(condition)) {
            const name = field.toLowerCase();
            covered.add(name);
            if (values.get(name) !== value) throw failed('eq', `$${field}`, value);
          }
        }
      }
      const extra = [...fields.keys()].filter(
        (name) =>
          !covered.has(name) &&
          name !== 'policy' &&
          name !== 'x-amz-signature' &&
          !name.startsWith('x-ignore-'),
      );
      if (extra.length > 0) throw policyFailure(`Extra input fields: ${extra.join(', ')}`);
      return { key, minBytes, maxBytes };
    },

    /** A SigV4 query-signed URL (GET for downloads; PUT, with its Content-Length signed, for uploads). */
    presignUrl(
      method: 'GET' | 'PUT',
      origin: string,
      key: string,
      expiresInSeconds: number,
      contentLength?: number,
    ) {
      const date = amzDate(clock());
      const day = date.slice(0, 8);
      const host = new URL(origin).host;
      const headers: [string, string][] =
        contentLength === undefined
          ? [['host', host]]
          : [
              ['content-length', String(contentLength)],
              ['host', host],
            ];
      const query = new URLSearchParams({
        'X-Amz-Algorithm': ALGORITHM,
        'X-Amz-Credential': credential(day),
        'X-Amz-Date': date,
        'X-Amz-Expires': String(expiresInSeconds),
        'X-Amz-SignedHeaders': headers.map(([k]) => k).join(';'),
      });
      query.set('X-Amz-Signature', urlSignature(date, day, canonicalRequest(method, key, query, headers)));
      return `${origin}${objectPath(key)}?${query}`;
    },

    /** Checks a presigned GET/HEAD/PUT against the request's own host and headers. */
    verifyUrl(
      method: string,
      key: string,
      query: URLSearchParams,
      requestHeaders: Record<string, string | undefined>,
    ) {
      const signature = query.get('X-Amz-Signature');
      if (!signature) throw accessDenied();
      if (query.get('X-Amz-Algorithm') !== ALGORITHM) throw invalidArgument('Unsupported X-Amz-Algorithm.');
      const day = credentialDay(query.get('X-Amz-Credential') ?? '');
      const date = query.get('X-Amz-Date') ?? '';
      const signedAt = parseAmzDate(date);
      const expires = Number(query.get('X-Amz-Expires'));
      if (signedAt === undefined || !Number.isInteger(expires) || expires <= 0) {
        throw accessDenied('X-Amz-Date and X-Amz-Expires must be set.');
      }
      const signedHeaders = (query.get('X-Amz-SignedHeaders') ?? '').split(';').filter(Boolean);
      const headers = signedHeaders.map((name): [string, string] => [name, requestHeaders[name] ?? '']);
      // A HEAD may use a URL presigned for GET, as S3 allows.
      const signedMethod = method === 'HEAD' ? 'GET' : method;
      const expected = urlSignature(date, day, canonicalRequest(signedMethod, key, query, headers));
      if (!sameHex(expected, signature.toLowerCase())) throw signatureMismatch();
      if (clock() > signedAt + expires * 1000) throw accessDenied('Request has expired');
    },
  };
}

export type Presigner = ReturnType<typeof createPresigner>;
