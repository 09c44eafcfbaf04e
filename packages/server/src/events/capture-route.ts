import type { IncomingMessage, ServerResponse } from 'node:http';
import { CaptureError, eventToken, parseCapturePayload } from './capture-body';
import type { EventRouteDeps } from './routes';
import { storeEvents } from './store';

/** The paths PostHog SDKs send events to (posthog-js: `/e/`, `/i/v0/e/`; posthog-node: `/batch/`). */
export const CAPTURE_PATHS = new Set(['/e', '/i/v0/e', '/batch', '/capture', '/track']);

const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** Handles one capture request: decode, authenticate by project token, store, answer `{status: 1}`. */
export async function handleCapture(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: EventRouteDeps,
): Promise<void> {
  setCorsHeaders(req, res);
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') {
    res.setHeader('Access-Control-Max-Age', '86400');
    res.writeHead(204).end();
    return;
  }
  if (method !== 'POST' && method !== 'GET') {
    deps.sendJson(res, 405, {
      type: 'invalid_request',
      code: 'method_not_allowed',
      detail: `Method "${method}" not allowed.`,
      attr: null,
    });
    return;
  }
  let body: Buffer = Buffer.alloc(0);
  if (method === 'POST') {
    try {
      body = await deps.readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      const status = (err as { status?: unknown }).status;
      deps.sendJson(res, typeof status === 'number' ? status : 413, {
        type: 'validation_error',
        code: 'payload_too_large',
        detail: `Request body could not be read (limit ${MAX_BODY_BYTES} bytes): ${(err as Error).message}`,
        attr: null,
      });
      return;
    }
  }
  try {
    const payload = parseCapturePayload({
      method,
      body,
      contentType: req.headers['content-type'],
      contentEncoding: req.headers['content-encoding'],
      query: url.searchParams,
    });
    const projectId = authenticate(payload.events, payload.envelopeToken, deps);
    storeEvents(deps.db, projectId, payload.events, payload.sentAt);
    deps.sendJson(res, 200, { status: 1 });
  } catch (err) {
    if (!(err instanceof CaptureError)) throw err;
    deps.sendJson(res, err.status, err.body);
  }
}

/** Every event must carry the same known project token (the envelope's wins). */
function authenticate(
  events: Parameters<typeof eventToken>[0][],
  envelopeToken: string | undefined,
  deps: EventRouteDeps,
): number {
  const tokens = new Set<string>();
  for (const event of events) {
    const token = eventToken(event, envelopeToken);
    if (token === undefined) {
      throw new CaptureError(
        401,
        'missing_api_key',
        'API key not provided. Send the project token as "api_key" in the body or as properties.token.',
        'authentication_error',
      );
    }
    tokens.add(token);
  }
  if (tokens.size > 1) {
    throw new CaptureError(
      400,
      'invalid_payload',
      'Malformed request data: events carry different project tokens',
    );
  }
  const token = [...tokens][0] as string;
  const projectId = deps.projectIdForToken(token);
  if (projectId === undefined) {
    throw new CaptureError(
      401,
      'invalid_api_key',
      'Project API key invalid. Use the project token (phc_...) of a project on this server.',
      'authentication_error',
    );
  }
  return projectId;
}

/** Browsers send events cross-origin (and preflight JSON bodies); allow it like PostHog does. */
function setCorsHeaders(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  if (origin) res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader(
    'Access-Control-Allow-Headers',
    req.headers['access-control-request-headers'] ?? 'Content-Type',
  );
}
