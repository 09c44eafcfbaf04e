import { gunzipSync } from 'node:zlib';
import { parseJsonBounded } from '../http/json';

/** A capture request rejected before anything is stored, with PostHog's status and error body. */
export class CaptureError extends Error {
  override name = 'CaptureError';
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly type = 'validation_error',
  ) {
    super(detail);
  }

  get body(): { type: string; code: string; detail: string; attr: null } {
    return { type: this.type, code: this.code, detail: this.message, attr: null };
  }
}

/** One event as an SDK sends it; only `event` is required. */
export type RawEvent = Record<string, unknown> & { event: string };

export interface CapturePayload {
  events: RawEvent[];
  /** `api_key` / `token` from the batch envelope, if any. */
  envelopeToken: string | undefined;
  /** The client's send time, used to correct clock skew in event timestamps. */
  sentAt: string | undefined;
}

export interface CaptureRequestParts {
  method: string;
  body: Buffer;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  query: URLSearchParams;
}

/**
 * What one capture request may cost: at most this many events, and a body (decompressed) of at most
 * this many bytes, so a small gzip bomb or a flood of tiny events cannot hold the server for long.
 * posthog-js and posthog-node send batches of tens of events.
 */
export const MAX_EVENTS_PER_REQUEST = 1000;
export const MAX_DECOMPRESSED_BYTES = 20 * 1024 * 1024;

/**
 * Decodes a capture request the way PostHog's capture endpoint does: JSON (one event, an array, or
 * `{batch, api_key}`), `data=` form or query encoding (JSON or base64), and gzip, recognised by
 * `Content-Encoding`, `?compression=gzip-js` or simply the gzip magic bytes (posthog-js drops the
 * query parameter and sends gzip as `text/plain`).
 */
export function parseCapturePayload(parts: CaptureRequestParts): CapturePayload {
  const compression = parts.query.get('compression') ?? undefined;
  if (compression === 'lz64') throw invalid('lz64 compression is not supported; use gzip-js or base64');
  let text: string;
  if (parts.method === 'GET') {
    const data = parts.query.get('data');
    if (data === null) throw invalid('no data: send events in the body or as ?data=');
    text = decodeDataField(data);
  } else {
    const body = maybeGunzip(parts.body, parts.contentEncoding, compression);
    text = body.toString('utf8');
    if (isFormBody(parts.contentType, text)) {
      const form = new URLSearchParams(text);
      const data = form.get('data');
      if (data === null) throw invalid('form body has no "data" field');
      text = decodeDataField(data);
    }
  }
  if (text.trim() === '') throw invalid('empty request body');
  let json: unknown;
  try {
    json = parseJsonBounded(text);
  } catch (err) {
    throw invalid(`body is not valid JSON: ${(err as Error).message}`);
  }
  return toPayload(json);
}

function maybeGunzip(
  body: Buffer,
  contentEncoding: string | undefined,
  compression: string | undefined,
): Buffer {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding && encoding !== 'gzip' && encoding !== 'identity') {
    throw invalid(`unsupported Content-Encoding "${encoding}"`);
  }
  const looksGzipped = body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
  if (!looksGzipped) {
    if (encoding === 'gzip' || compression === 'gzip-js' || compression === 'gzip') {
      throw invalid('body was declared gzip but is not gzip data');
    }
    return body;
  }
  try {
    return gunzipSync(body, { maxOutputLength: MAX_DECOMPRESSED_BYTES });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new CaptureError(
        413,
        'payload_too_large',
        `the body decompresses to more than ${MAX_DECOMPRESSED_BYTES} bytes; send smaller batches`,
      );
    }
    throw invalid(`could not gunzip the body: ${(err as Error).message}`);
  }
}

function isFormBody(contentType: string | undefined, text: string): boolean {
  return (
    (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded') ||
    text.startsWith('data=')
  );
}

/** A `data` field holds JSON, or base64 of JSON (or, from old clients, of gzip). */
function decodeDataField(data: string): string {
  const trimmed = data.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return trimmed;
  // Form decoding turns an unescaped "+" into a space; base64 never contains spaces.
  const base64 = trimmed.replace(/ /g, '+');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(base64)) throw invalid('"data" is neither JSON nor base64');
  const bytes = Buffer.from(base64, base64.includes('-') || base64.includes('_') ? 'base64url' : 'base64');
  return maybeGunzip(bytes, undefined, undefined).toString('utf8');
}

function toPayload(json: unknown): CapturePayload {
  let items: unknown[];
  let envelopeToken: string | undefined;
  let sentAt: string | undefined;
  if (Array.isArray(json)) {
    items = json;
  } else if (isRecord(json)) {
    envelopeToken = stringOrUndefined(json.api_key) ?? stringOrUndefined(json.token);
    sentAt = stringOrUndefined(json.sent_at);
    if ('batch' in json) {
      if (!Array.isArray(json.batch)) throw invalid('"batch" must be an array of events');
      items = json.batch;
    } else if ('data' in json && Array.isArray(json.data)) {
      items = json.data;
    } else {
      items = [json];
    }
  } else {
    throw invalid('body must be an event object, an array of events or {"batch": [...]}');
  }
  if (items.length === 0) throw invalid('no events in the request (empty batch)');
  if (items.length > MAX_EVENTS_PER_REQUEST) {
    throw new CaptureError(
      413,
      'payload_too_large',
      `${items.length} events in one request; at most ${MAX_EVENTS_PER_REQUEST} (send smaller batches)`,
    );
  }
  const events = items.map((item, index) => {
    if (!isRecord(item)) throw invalid(`event ${index} is not an object`);
    if (typeof item.event !== 'string' || item.event === '') {
      throw invalid(`event ${index} has no "event" name`);
    }
    if (item.properties !== undefined && !isRecord(item.properties)) {
      throw invalid(`event ${index}: "properties" must be an object`);
    }
    return item as RawEvent;
  });
  return { events, envelopeToken, sentAt };
}

/** The token of one event: the envelope's, else `properties.token`, else the event's own (old clients). */
export function eventToken(event: RawEvent, envelopeToken: string | undefined): string | undefined {
  const properties = isRecord(event.properties) ? event.properties : {};
  return (
    envelopeToken ??
    stringOrUndefined(properties.token) ??
    stringOrUndefined(event.api_key) ??
    stringOrUndefined(event.token) ??
    stringOrUndefined(event.$token)
  );
}

function invalid(detail: string): CaptureError {
  return new CaptureError(400, 'invalid_payload', `Malformed request data: ${detail}`);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
