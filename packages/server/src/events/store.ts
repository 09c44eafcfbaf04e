import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database';
import { isRecord, type RawEvent } from './capture-body';

/** A stored `$exception` event. */
export interface StoredException {
  /** Arrival order in this database (a later capture always has a larger seq). */
  seq: number;
  uuid: string;
  projectId: number;
  distinctId: string | null;
  /** ISO time of the event, corrected for client clock skew like PostHog does. */
  timestamp: string;
  receivedAt: string;
  /** The `$release_id` property the SDK set (the release the code that threw came from), if any. */
  releaseId: string | null;
  properties: Record<string, unknown>;
}

export interface EventCount {
  event: string;
  count: number;
  last_seen_at: string;
}

interface ExceptionRow {
  seq: number;
  uuid: string;
  project_id: number;
  distinct_id: string | null;
  timestamp: string;
  received_at: string;
  release_id: string | null;
  properties: string;
}

const initialized = new WeakSet<Database>();

/** Creates the events tables if needed (idempotent; cheap after the first call per connection). */
export function ensureEventTables(db: Database): void {
  if (initialized.has(db)) return;
  db.exec(`
    CREATE TABLE IF NOT EXISTS exception_events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      project_id INTEGER NOT NULL,
      uuid TEXT NOT NULL,
      distinct_id TEXT,
      timestamp TEXT NOT NULL,
      received_at TEXT NOT NULL,
      properties TEXT NOT NULL,
      release_id TEXT,
      UNIQUE (project_id, uuid)
    );
    CREATE INDEX IF NOT EXISTS exception_events_by_time
      ON exception_events (project_id, timestamp DESC, seq DESC);
    CREATE TABLE IF NOT EXISTS event_counts (
      project_id INTEGER NOT NULL,
      event TEXT NOT NULL,
      count INTEGER NOT NULL,
      last_seen_at TEXT NOT NULL,
      PRIMARY KEY (project_id, event)
    );
  `);
  // Folders made before `$release_id` was stored get the column (NULL for their old events).
  const columns = db.prepare('PRAGMA table_info(exception_events)').all() as { name: string }[];
  if (!columns.some((column) => column.name === 'release_id')) {
    db.exec('ALTER TABLE exception_events ADD COLUMN release_id TEXT');
  }
  initialized.add(db);
}

/** `$release_id` as posthog-js and posthog-node send it: a non-empty string (kept up to 200 characters). */
function releaseIdOf(properties: Record<string, unknown>): string | null {
  const value = properties.$release_id;
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed !== '' && trimmed.length <= 200 ? trimmed : null;
}

/**
 * Stores one request's events in one transaction: every `$exception` in full, every event in the
 * per-name counter. A retried event (same uuid) is stored once, as PostHog deduplicates by uuid.
 */
export function storeEvents(
  db: Database,
  projectId: number,
  events: readonly RawEvent[],
  sentAt: string | undefined,
  now: Date = new Date(),
): void {
  ensureEventTables(db);
  const receivedAt = now.toISOString();
  const insertException = db.prepare(
    `INSERT OR IGNORE INTO exception_events (project_id, uuid, distinct_id, timestamp, received_at, properties, release_id)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const count = db.prepare(
    `INSERT INTO event_counts (project_id, event, count, last_seen_at) VALUES (?, ?, 1, ?)
     ON CONFLICT (project_id, event) DO UPDATE SET count = count + 1, last_seen_at = excluded.last_seen_at`,
  );
  db.transaction(() => {
    for (const event of events) {
      count.run(projectId, event.event, receivedAt);
      if (event.event !== '$exception') continue;
      const properties = isRecord(event.properties) ? event.properties : {};
      insertException.run(
        projectId,
        typeof event.uuid === 'string' && event.uuid !== '' ? event.uuid : randomUUID(),
        distinctIdOf(event, properties),
        eventTimestamp(event, sentAt, now),
        receivedAt,
        JSON.stringify(properties),
        releaseIdOf(properties),
      );
    }
  })();
}

/** Newest first (by event time, then arrival). */
export function listExceptions(
  db: Database,
  projectId: number,
  limit: number,
  offset: number,
): { count: number; results: StoredException[] } {
  ensureEventTables(db);
  const { count } = db
    .prepare('SELECT COUNT(*) AS count FROM exception_events WHERE project_id = ?')
    .get(projectId) as { count: number };
  const rows = db
    .prepare(
      `SELECT * FROM exception_events WHERE project_id = ?
       ORDER BY timestamp DESC, seq DESC LIMIT ? OFFSET ?`,
    )
    .all(projectId, limit, offset) as ExceptionRow[];
  return { count, results: rows.map(fromRow) };
}

export function getException(db: Database, projectId: number, uuid: string): StoredException | undefined {
  ensureEventTables(db);
  const row = db
    .prepare('SELECT * FROM exception_events WHERE project_id = ? AND uuid = ?')
    .get(projectId, uuid) as ExceptionRow | undefined;
  return row && fromRow(row);
}

/** Exceptions that arrived after `afterSeq`, oldest first, at most `limit`. */
export function listExceptionsAfter(
  db: Database,
  projectId: number,
  afterSeq: number,
  limit: number,
): StoredException[] {
  ensureEventTables(db);
  const rows = db
    .prepare('SELECT * FROM exception_events WHERE seq > ? AND project_id = ? ORDER BY seq LIMIT ?')
    .all(afterSeq, projectId, limit) as ExceptionRow[];
  return rows.map(fromRow);
}

export function getExceptionBySeq(db: Database, projectId: number, seq: number): StoredException | undefined {
  ensureEventTables(db);
  const row = db
    .prepare('SELECT * FROM exception_events WHERE seq = ? AND project_id = ?')
    .get(seq, projectId) as ExceptionRow | undefined;
  return row && fromRow(row);
}

/**
 * The newest arrival's seq (0 when none), over every project or of one: it changes whenever an
 * exception is stored.
 */
export function lastExceptionSeq(db: Database, projectId?: number): number {
  ensureEventTables(db);
  const row = (
    projectId === undefined
      ? db.prepare('SELECT MAX(seq) AS seq FROM exception_events').get()
      : db.prepare('SELECT MAX(seq) AS seq FROM exception_events WHERE project_id = ?').get(projectId)
  ) as { seq: number | null };
  return row.seq ?? 0;
}

export function listEventCounts(db: Database, projectId: number): EventCount[] {
  ensureEventTables(db);
  return db
    .prepare('SELECT event, count, last_seen_at FROM event_counts WHERE project_id = ? ORDER BY event')
    .all(projectId) as EventCount[];
}

/**
 * PostHog's rule: with both `timestamp` and `sent_at`, the event happened at
 * `now + (timestamp - sent_at)` (the client clock may be wrong, the difference is not); with an
 * `offset` (ms before sending), at `now - offset`; else at `timestamp`, else now.
 */
export function eventTimestamp(event: RawEvent, sentAt: string | undefined, now: Date): string {
  const timestamp = parseTime(event.timestamp);
  const sent = parseTime(sentAt);
  if (timestamp !== undefined && sent !== undefined) return iso(now.getTime() + (timestamp - sent));
  if (typeof event.offset === 'number' && Number.isFinite(event.offset))
    return iso(now.getTime() - event.offset);
  if (timestamp !== undefined) return iso(timestamp);
  return now.toISOString();
}

function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : time;
}

function iso(time: number): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString();
}

function distinctIdOf(event: RawEvent, properties: Record<string, unknown>): string | null {
  const id = event.distinct_id ?? properties.distinct_id ?? event.$distinct_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

function fromRow(row: ExceptionRow): StoredException {
  return {
    seq: row.seq,
    uuid: row.uuid,
    projectId: row.project_id,
    distinctId: row.distinct_id,
    timestamp: row.timestamp,
    receivedAt: row.received_at,
    releaseId: row.release_id ?? null,
    properties: JSON.parse(row.properties) as Record<string, unknown>,
  };
}
