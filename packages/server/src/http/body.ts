import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError, parseError, unsupportedMediaType } from './errors';
import { parseJsonBounded } from './json';

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Reads the whole request body, refusing (before reading, when Content-Length says so) anything over
 * `limitBytes`. The caller's dispatcher turns BodyTooLargeError into a 413.
 */
export async function readBody(req: IncomingMessage, limitBytes = DEFAULT_MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw new BodyTooLargeError(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new BodyTooLargeError(limitBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** True when the request declares a JSON body (DRF's JSONParser would parse it). */
export function hasJsonBody(req: IncomingMessage): boolean {
  return isJsonMediaType(mediaType(req));
}

/**
 * DRF's JSONParser as the views see it: an empty body is `{}`, a non-JSON content type is 415, and
 * unparsable JSON (or JSON nested deeper than MAX_JSON_DEPTH) is a 400 parse_error.
 */
export async function readJson(req: IncomingMessage, limitBytes?: number): Promise<unknown> {
  const bytes = await readBody(req, limitBytes);
  if (bytes.length === 0) return {};
  const type = mediaType(req);
  if (!isJsonMediaType(type)) throw unsupportedMediaType(req.headers['content-type'] ?? '');
  try {
    return parseJsonBounded(bytes.toString('utf8'));
  } catch (error) {
    throw parseError(`JSON parse error - ${(error as Error).message}`);
  }
}

/** `readJson` for views whose serializer wants an object at the top level. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads and throws away what is left of a request body (up to `maxBytes`), so an early answer reaches
 * a client that is still sending. Resolves false when the cap was hit: then answer with
 * `Connection: close`.
 */
export function discardBody(req: IncomingMessage, maxBytes = 8 * 1024 * 1024): Promise<boolean> {
  if (req.readableEnded || req.destroyed) return Promise.resolve(!req.destroyed);
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (drained: boolean) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onFail);
      req.off('close', onFail);
      resolve(drained);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) {
        req.pause();
        finish(false);
      }
    };
    const onEnd = () => finish(true);
    const onFail = () => finish(false);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onFail);
    req.on('close', onFail);
    req.resume();
  });
}
