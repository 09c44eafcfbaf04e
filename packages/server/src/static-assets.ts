import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import * as path from 'node:path';

// Only plain file names: no separators, no "..", so nothing outside posthog-js/dist is reachable.
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.js(\.map)?$/;

let distDirCache: string | null | undefined;

/**
 * The `dist` folder of posthog-js, resolved from this package (where it is a dev dependency), else
 * from the current working directory (the user's app); null when neither has it.
 */
export function findPosthogJsDist(): string | null {
  if (distDirCache !== undefined) return distDirCache;
  // import.meta.url is empty in the CJS build, where __filename exists instead.
  const here = typeof __filename === 'string' ? __filename : import.meta.url;
  distDirCache = null;
  for (const from of [here, path.join(process.cwd(), 'noop.js')]) {
    try {
      const pkg = createRequire(from).resolve('posthog-js/package.json');
      distDirCache = path.join(path.dirname(pkg), 'dist');
      break;
    } catch {
      // not resolvable from there
    }
  }
  return distDirCache;
}

/**
 * Serves posthog-js's lazily loaded scripts the way PostHog's asset host does: any
 * `/static/<...>/<name>.js` (posthog-js asks for `/static/exception-autocapture.js?v=<version>`,
 * or `/static/<version>/exception-autocapture.js` with strict versioning) answers with
 * `posthog-js/dist/<name>.js`. Returns false for paths outside `/static/`. `dist` defaults to the
 * installed posthog-js; null means none is installed (every asset is then a 404).
 */
export async function handleStaticAsset(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  dist: string | null = findPosthogJsDist(),
): Promise<boolean> {
  if (!url.pathname.startsWith('/static/')) return false;
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    sendText(res, 405, `Method ${method} not allowed on static assets\n`);
    return true;
  }
  const name = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  if (!ASSET_NAME.test(name) || dist === null) {
    sendText(res, 404, dist === null ? 'posthog-js is not installed next to the server\n' : 'Not found\n');
    return true;
  }
  let content: Buffer;
  try {
    content = await readFile(path.join(dist, name));
  } catch {
    sendText(res, 404, `posthog-js has no dist/${name}\n`);
    return true;
  }
  res.writeHead(200, {
    'Content-Type': name.endsWith('.map') ? 'application/json' : 'application/javascript; charset=utf-8',
    'Content-Length': content.length,
    'Access-Control-Allow-Origin': '*',
    'Cache-Control': 'public, max-age=300',
  });
  res.end(method === 'HEAD' ? undefined : content);
  return true;
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Access-Control-Allow-Origin': '*' });
  res.end(text);
}
