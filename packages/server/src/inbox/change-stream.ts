import type { ServerResponse } from 'node:http';
import type { App } from '../app';
import { lastExceptionSeq } from '../events/store';

const CHECK_EVERY_MS = 1_000;
const HEARTBEAT_EVERY_MS = 20_000;

type Db = App['db'];

/**
 * Something that changes whenever the inbox's data does, over every project or of one: a new
 * exception, a symbol set started, finished or deleted, a release created or deleted.
 */
export function changeMarker(db: Db, projectId?: number): string {
  const where = projectId === undefined ? '' : ' WHERE team_id = ?';
  const args = projectId === undefined ? [] : [projectId];
  const sets = db
    .prepare(
      `SELECT COUNT(*) AS n, COUNT(content_hash) AS done, COUNT(failure_reason) AS failed, MAX(created_at) AS latest
       FROM symbol_sets${where}`,
    )
    .get(...args) as Record<string, unknown>;
  const releases = db
    .prepare(`SELECT COUNT(*) AS n, MAX(created_at) AS latest FROM releases${where}`)
    .get(...args) as Record<string, unknown>;
  return JSON.stringify([
    lastExceptionSeq(db, projectId),
    sets.n,
    sets.done,
    sets.failed,
    sets.latest,
    releases.n,
    releases.latest,
  ]);
}

/**
 * Live updates for open inbox pages, as server-sent events: `change` whenever the data of the
 * page's project changes (the page then fetches its data again). While a page listens, the
 * database is checked once a second over every project (three aggregate reads), and per project
 * only when that moved. The stream carries no data, so what a viewer may read is decided by the
 * JSON API alone.
 */
export function createChangeStream(db: Db) {
  const clients = new Map<ServerResponse, { projectId: number; marker: string }>();
  let timer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let overall = '';

  const stop = () => {
    clearInterval(timer);
    clearInterval(heartbeat);
    timer = heartbeat = undefined;
  };
  const check = () => {
    try {
      const next = changeMarker(db);
      if (next === overall) return;
      overall = next;
      const markers = new Map<number, string>();
      for (const [res, client] of clients) {
        let marker = markers.get(client.projectId);
        if (marker === undefined) {
          marker = changeMarker(db, client.projectId);
          markers.set(client.projectId, marker);
        }
        if (marker === client.marker) continue;
        client.marker = marker;
        res.write(`event: change\ndata: ${marker}\n\n`);
      }
    } catch {
      // the database is closing; the streams end with the server
    }
  };

  return {
    open(res: ServerResponse, projectId: number): void {
      if (clients.size === 0) {
        overall = changeMarker(db);
        timer = setInterval(check, CHECK_EVERY_MS).unref();
        heartbeat = setInterval(() => {
          for (const client of clients.keys()) client.write(': ping\n\n');
        }, HEARTBEAT_EVERY_MS).unref();
      }
      const marker = changeMarker(db, projectId);
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
      });
      res.write(`retry: 2000\nevent: ready\ndata: ${marker}\n\n`);
      clients.set(res, { projectId, marker });
      res.on('close', () => {
        clients.delete(res);
        if (clients.size === 0) stop();
      });
    },

    /** Ends every stream (the server is stopping). */
    close(): void {
      stop();
      for (const res of clients.keys()) res.end();
      clients.clear();
    },
  };
}

export type ChangeStream = ReturnType<typeof createChangeStream>;
