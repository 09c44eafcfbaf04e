import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../../src/db/database';
import { openDatabase } from '../../../src/db/open';
import { type EventRouteDeps, handleEventRoutes } from '../../../src/events/routes';
import type { ReleaseJson } from '../../../src/releases/store';

/** What the harness saw of one request that reached the events routes. */
export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  /** Set when the route read a body. */
  body?: Buffer;
}

export interface EventServer {
  url: string;
  db: Database;
  /** Finished symbol sets, keyed `<projectId>/<chunkId>`. */
  symbolSets: Map<string, Buffer>;
  /** Releases by `<projectId>/<releaseId>`, and the release of a chunk's set by `<projectId>/<chunkId>`. */
  releases: Map<string, ReleaseJson>;
  chunkReleases: Map<string, ReleaseJson>;
  /** Every findSymbolSet call, as `<projectId>/<chunkId>`. */
  symbolSetLoads: string[];
  /** Extra files to serve (test pages, bundles), keyed by path. */
  files: Map<string, { contentType: string; body: string | Buffer }>;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export const TOKEN = 'phc_events_test_token';
export const OTHER_TOKEN = 'phc_other_project_token';
export const READ_KEY = 'phx_events_test_read_key';
export const PROJECT_ID = 1;
export const OTHER_PROJECT_ID = 2;

/**
 * A minimal real HTTP server around handleEventRoutes, with real deps: the server's SQLite database
 * in a temporary folder, two projects (tokens TOKEN and OTHER_TOKEN), one read key for project 1, and an
 * in-memory symbol-set store.
 */
export async function startEventServer(): Promise<EventServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hogmaps-events-'));
  const db = await openDatabase(dataDir);
  const symbolSets = new Map<string, Buffer>();
  const files = new Map<string, { contentType: string; body: string | Buffer }>();
  const requests: RecordedRequest[] = [];
  const symbolSetLoads: string[] = [];
  const releases = new Map<string, ReleaseJson>();
  const chunkReleases = new Map<string, ReleaseJson>();
  const recordOf = new WeakMap<IncomingMessage, RecordedRequest>();
  const tokens = new Map([
    [TOKEN, PROJECT_ID],
    [OTHER_TOKEN, OTHER_PROJECT_ID],
  ]);
  const deps: EventRouteDeps = {
    db,
    projectIdForToken: (token) => tokens.get(token),
    authorize(req, _url, projectId) {
      const header = req.headers.authorization ?? '';
      if (header !== `Bearer ${READ_KEY}`) {
        return {
          ok: false,
          status: 401,
          body: {
            type: 'authentication_error',
            code: 'authentication_failed',
            detail: 'Bad key',
            attr: null,
          },
        };
      }
      if (projectId !== PROJECT_ID) {
        return {
          ok: false,
          status: 403,
          body: {
            type: 'authentication_error',
            code: 'permission_denied',
            detail: 'Other project',
            attr: null,
          },
        };
      }
      return { ok: true };
    },
    findSymbolSet(projectId, chunkId) {
      symbolSetLoads.push(`${projectId}/${chunkId}`);
      const bytes = symbolSets.get(`${projectId}/${chunkId}`);
      // The bytes themselves stand for the storage key: a replaced set is a new fingerprint.
      return bytes && { fingerprint: createHash('sha1').update(bytes).digest('hex'), read: () => bytes };
    },
    findRelease: (projectId, releaseId) => releases.get(`${projectId}/${releaseId}`),
    releaseOfChunk: (projectId, chunkId) => chunkReleases.get(`${projectId}/${chunkId}`),
    async readBody(req, limitBytes = 10 * 1024 * 1024) {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limitBytes) throw new Error(`body over ${limitBytes} bytes`);
        chunks.push(chunk);
      }
      const body = Buffer.concat(chunks);
      const record = recordOf.get(req);
      if (record) record.body = body;
      return body;
    },
    sendJson(res, status, body) {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
    },
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(err));
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const file = files.get(url.pathname);
    if (file && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': file.contentType }).end(file.body);
      return;
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      contentType: req.headers['content-type'],
      contentEncoding: req.headers['content-encoding'],
    };
    recordOf.set(req, record);
    requests.push(record);
    if (!(await handleEventRoutes(req, res, url, deps))) {
      deps.sendJson(res, 404, {
        type: 'invalid_request',
        code: 'not_found',
        detail: 'Not found.',
        attr: null,
      });
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    symbolSets,
    symbolSetLoads,
    releases,
    chunkReleases,
    files,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** GETs one of our API routes with the read key. */
export async function getJson(
  server: EventServer,
  path: string,
  // biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary response JSON
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${READ_KEY}` } });
  return { status: response.status, body: await response.json() };
}

/** Rows in the events tables, to prove a rejected request stored nothing. */
export function storedCounts(server: EventServer): { exceptions: number; events: number } {
  const count = (table: string) =>
    (server.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { exceptions: count('exception_events'), events: count('event_counts') };
}
