import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventRouteDeps } from './routes';

const ROUTE = /^\/array\/([^/]+)\/config(\.js)?$/;

/**
 * The remote config posthog-js fetches at start (`/array/<token>/config.js`, then `/config`). This
 * server's answer: gzip is supported, events go to `/i/v0/e/` (as on PostHog Cloud), exception
 * autocapture is on (so an app needs no `capture_exceptions` option to report uncaught errors here),
 * and there are no feature flags, so posthog-js does not call `/flags/`.
 */
export function remoteConfigFor(token: string): Record<string, unknown> {
  return {
    token,
    supportedCompression: ['gzip', 'gzip-js'],
    analytics: { endpoint: '/i/v0/e/' },
    autocaptureExceptions: true,
    hasFeatureFlags: false,
    sessionRecording: false,
    heatmaps: false,
    surveys: false,
    siteApps: [],
  };
}

/** Answers the remote-config paths for known project tokens; false for other paths. */
export function handleRemoteConfig(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: EventRouteDeps,
): boolean {
  const match = ROUTE.exec(path);
  if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  let token: string;
  try {
    token = decodeURIComponent(match[1] as string);
  } catch {
    token = match[1] as string;
  }
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (deps.projectIdForToken(token) === undefined) {
    deps.sendJson(res, 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null });
    return true;
  }
  const config = remoteConfigFor(token);
  if (!match[2]) {
    deps.sendJson(res, 200, config);
    return true;
  }
  const script = `(function(){var w=window;w._POSTHOG_REMOTE_CONFIG=w._POSTHOG_REMOTE_CONFIG||{};w._POSTHOG_REMOTE_CONFIG[${JSON.stringify(token)}]={config:${JSON.stringify(config)},siteApps:[]};})();\n`;
  res.writeHead(200, {
    'Content-Type': 'application/javascript; charset=utf-8',
    'Content-Length': Buffer.byteLength(script),
  });
  res.end(req.method === 'HEAD' ? undefined : script);
  return true;
}
