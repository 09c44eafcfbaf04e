import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { discardBody } from '../http/body';
import { NOT_FOUND_BODY, type PostHogErrorBody, SERVER_ERROR_BODY } from '../http/errors';
import { sendJson, sendText } from '../http/respond';
import { accessDenied, S3Error, sendS3Error } from '../storage/s3-errors';
import type { FaultAction, FaultTarget } from './rules';

function defaultApiBody(status: number, retryAfter: number | undefined): PostHogErrorBody {
  if (status === 429) {
    const detail = `Request was throttled. Expected available in ${retryAfter ?? 1} seconds.`;
    return { type: 'throttled_error', code: 'throttled', detail, attr: null };
  }
  if (status >= 500) return SERVER_ERROR_BODY;
  if (status === 404) return NOT_FOUND_BODY;
  return {
    type: 'invalid_request',
    code: 'injected_fault',
    detail: `Injected fault: HTTP ${status}.`,
    attr: null,
  };
}

function defaultStorageError(status: number): S3Error {
  if (status === 429 || status === 503)
    return new S3Error(status, 'SlowDown', 'Please reduce your request rate.');
  if (status >= 500)
    return new S3Error(status, 'InternalError', 'We encountered an internal error. Please try again.');
  if (status === 403) return accessDenied();
  return new S3Error(status, 'InjectedFault', `Injected fault: HTTP ${status}.`);
}

/**
 * Carries out one fault. Returns true when the request has been answered (or dropped) and must not
 * be handled; false when it should go on (after a delay).
 */
export async function applyFault(
  action: FaultAction,
  target: FaultTarget,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  if ('delayMs' in action) {
    await sleep(action.delayMs);
    return false;
  }
  if ('drop' in action) {
    req.socket.destroy();
    return true;
  }
  const drained = await discardBody(req);
  const headers: Record<string, string> = drained ? {} : { Connection: 'close' };
  if ('storageReject' in action) {
    sendS3Error(res, accessDenied(), headers);
    return true;
  }
  if (action.retryAfter !== undefined) headers['Retry-After'] = String(action.retryAfter);
  if (action.body === undefined && target === 'storage') {
    sendS3Error(res, defaultStorageError(action.status), headers);
  } else if (typeof action.body === 'string') {
    sendText(res, action.status, action.body, 'text/plain; charset=utf-8', headers);
  } else {
    sendJson(res, action.status, action.body ?? defaultApiBody(action.status, action.retryAfter), headers);
  }
  return true;
}
