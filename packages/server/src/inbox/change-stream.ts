import type { ServerResponse } from 'node:http';
import type { App } from '../app';
import { lastExceptionSeq } from '../events/store';

const CHECK_EVERY_MS = 1_000;
const HEARTBEAT_EVERY_MS = 20_000;

/**
 * Something that changes whenever the inbox's data does: a new exception, a symbol set started,
 * finished or deleted, a release created or deleted. Cheap: three aggregate reads.
 */
export function changeMarker(db: App['db']): string {
  const sets = db
    .prepare(
      'SELECT COUNT(*) AS n, COUNT(content_hash) AS done, COUNT(failure_reason) AS failed, MAX(created_at) AS latest FROM symbol_sets',
    )
    .get() as Record<string, unknown>;
  const releases = db
    .prepare('SELECT COUNT(*) AS n, MAX(created_at) AS latest FROM releases')
    .get() as Record<string, unknown>;
  return JSON.stringify([
    lastExceptionSeq(db),
    sets.n,
    sets.done,
    sets.failed,
    sets.latest,
    releases.n,
    releases.latest,
  ]);
}

/**
 * Live updates for open inbox pages, as server-sent events: `change` whenever the marker moves (the
 * page then fetches its data again). The database is checked once a second, only while a page
 * listens, and the stream carries no data itself, so what a viewer may read is decided by the
 * JSON API alone.
 */
export function createChangeStream(db: App['db']) {
  const clients = new Set<ServerResponse>();
  let timer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let marker = '';

  const broadcast = (text: string) => {
    for (const res of clients) res.write(text);
  };
  const stop = () => {
    clearInterval(timer);
    clearInterval(heartbeat);
    timer = heartbeat = undefined;
  };
  const check = () => {
    let next: string;
    try {
      next = changeMarker(db);
    } catch {
      return; // the database is closing; the streams end with the server
    }
    if (next === marker) return;
    marker = next;
    broadcast(`event: change\ndata: ${marker}\n\n`);
  };

  return {
    open(res: ServerResponse): void {
      if (clients.size === 0) {
        marker = changeMarker(db);
        timer = setInterval(check, CHECK_EVERY_MS).unref();
        heartbeat = setInterval(() => broadcast(': ping\n\n'), HEARTBEAT_EVERY_MS).unref();
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
      });
      res.write(`retry: 2000\nevent: ready\ndata: ${marker}\n\n`);
      clients.add(res);
      res.on('close', () => {
        clients.delete(res);
        if (clients.size === 0) stop();
      });
    },

    /** Ends every stream (the server is stopping). */
    close(): void {
      stop();
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}

export type ChangeStream = ReturnType<typeof createChangeStream>;
