import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
// Plain names only: nothing outside the ui folder is reachable.
const ASSET_NAME = /^[a-z][a-z0-9-]*\.(js|css|svg)$/;

export interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
}

let uiDirCache: string | undefined;

/**
 * The package's `ui/` folder (plain browser files, served as they are: there is no build step),
 * found upwards from this module, which is `src/inbox/assets.ts` in the sources and `dist/*.js` when
 * built.
 */
function uiDir(): string {
  if (uiDirCache) return uiDirCache;
  // import.meta.url is empty in the CJS build, where __filename exists instead.
  let dir = path.dirname(typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'ui', 'app.js')) && existsSync(path.join(dir, 'package.json'))) break;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('the inbox files (ui/app.js) are missing from @hogmaps/server');
    dir = parent;
  }
  uiDirCache = path.join(dir, 'ui');
  return uiDirCache;
}

const cache = new Map<string, Asset | null>();

/** One of the inbox's static files, or undefined for any other name. */
export function inboxAsset(name: string): Asset | undefined {
  if (!ASSET_NAME.test(name)) return undefined;
  let asset = cache.get(name);
  if (asset === undefined) {
    try {
      const body = readFileSync(path.join(uiDir(), name));
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      asset = { body, contentType: TYPES[path.extname(name)] as string, etag };
    } catch {
      asset = null;
    }
    cache.set(name, asset);
  }
  return asset ?? undefined;
}
