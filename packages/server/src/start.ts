import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createLogger, errorMessage, type Logger, type OptionIssue, OptionsError } from '@hogmaps/core';
import type { App } from './app';
import type { ApiKey, CredentialStore, Project } from './auth/credentials';
import { createCredentialStore } from './auth/credentials';
import type { Clock } from './clock';
import type { Database, SqliteBackend } from './db/database';
import { getMeta, openDatabase, setMeta } from './db/open';
import type { FaultController, FaultRule } from './faults/rules';
import { createFaultController } from './faults/rules';
import { DEFAULT_MAX_BODY_BYTES } from './http/body';
import { isLoopbackHost } from './inbox/access';
import { createInbox } from './inbox/routes';
import { createReleaseStore } from './releases/store';
import { createRequestHandler } from './request-handler';
import { createBlobStore } from './storage/blobs';
import { createPresigner } from './storage/presign';
import { prepareDataDir, restrictDatabaseFiles } from './storage/private-files';
import { sweepOrphanObjects } from './symbol-sets/objects';
import type { SymbolSetRow } from './symbol-sets/store';
import { createSymbolSetStore } from './symbol-sets/store';
import { createUploadSlotStore } from './symbol-sets/uploads';

export interface StartServerOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Database and blobs live here; relative to the working directory. @default './.hogmaps-data' */
  dataDir?: string;
  /** Cap for JSON request bodies; larger ones get 413. @default 10 MiB */
  maxBodyBytes?: number;
  /** Fault rules active from the start (tests only); more can be added through `faults`. */
  faults?: FaultRule[];
  /** Where the server logs; defaults to stderr with a `[hogmaps:server]` prefix. */
  logger?: Logger;
  /** With the default logger: log only unexpected errors. */
  quiet?: boolean;
  /**
   * Use this personal API key (`phx_…`) instead of the stored random one, e.g. for demos. Created
   * with scope `*` on project 1 if new. @default process.env.HOGMAPS_SERVER_API_KEY
   */
  apiKey?: string;
  /** Time source in ms (tests move it forward to expire presigned URLs). @default Date.now */
  clock?: Clock;
  /**
   * Make the inbox ask for a personal API key even on a loopback address. On any other address it
   * always does. @default false
   */
  inboxLogin?: boolean;
}

/** Test and tooling access to what has no API in PostHog. */
export interface ServerAdmin {
  createProject(options?: { name?: string }): Project;
  /** A new personal API key. Defaults: scopes `['*']`, every project (`projectIds: null`). */
  createApiKey(options?: { scopes?: string[]; projectIds?: number[] | null; label?: string }): ApiKey;
  revokeApiKey(id: string): boolean;
  /** Raw symbol-set rows of a project, including storage_ptr and content_hash, oldest first. */
  symbolSetRows(projectId: number): SymbolSetRow[];
  /** Absolute path of a stored object, for tests that inspect or damage it. */
  blobPath(storageKey: string): string;
}

export interface RunningServer {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  /** The error inbox in a browser: `http://host:port/`. */
  inboxUrl: string;
  /** Whether the inbox asks for a personal API key (non-loopback address, or `inboxLogin`). */
  inboxLogin: boolean;
  port: number;
  host: string;
  projectId: number;
  /** Personal API key (`phx_…`) with scope `*` on `projectId`. */
  apiKey: string;
  /** Project token (`phc_…`) for SDK events. */
  projectToken: string;
  dataDir: string;
  /** The SQLite the data is stored with: `node:sqlite` on Node >= 22.13, else node-sqlite3-wasm. */
  sqlite: SqliteBackend;
  admin: ServerAdmin;
  faults: FaultController;
  close(): Promise<void>;
}

const DEFAULT_PROJECT_ID = 1;
const ACCESS_KEY_ID = 'HOGMAPSLOCALACCESSKEY';

function checkOptions(options: StartServerOptions, apiKey: string | undefined): void {
  const issues: OptionIssue[] = [];
  const { port, maxBodyBytes, host } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    issues.push({
      path: 'port',
      message: `expected an integer from 0 to 65535, got ${JSON.stringify(port)}`,
    });
  }
  if (maxBodyBytes !== undefined && !(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes > 0)) {
    issues.push({
      path: 'maxBodyBytes',
      message: `expected a positive integer, got ${JSON.stringify(maxBodyBytes)}`,
    });
  }
  if (host !== undefined && (typeof host !== 'string' || host === '')) {
    issues.push({ path: 'host', message: 'expected a host name or address' });
  }
  if (apiKey !== undefined && !/^phx_[A-Za-z0-9_-]{8,}$/.test(apiKey)) {
    issues.push({
      path: 'apiKey',
      message: 'expected "phx_" followed by at least 8 letters, digits, "_" or "-"',
    });
  }
  if (issues.length > 0) throw new OptionsError(issues);
}

/** Project 1 and its keys on first start; the same ones on every later start. */
function bootstrap(db: Database, credentials: CredentialStore, fixedKey: string | undefined) {
  return db.transaction(() => {
    const project =
      credentials.getProject(DEFAULT_PROJECT_ID) ?? credentials.createProject({ name: 'Default project' });
    let key = credentials.getApiKey(getMeta(db, 'default_api_key_id') ?? '');
    if (!key) {
      key = credentials.createApiKey({ scopes: ['*'], projectIds: [project.id], label: 'default' });
      setMeta(db, 'default_api_key_id', key.id);
    }
    if (fixedKey !== undefined) {
      key =
        credentials.findApiKey(fixedKey) ??
        credentials.createApiKey({ key: fixedKey, scopes: ['*'], projectIds: [project.id], label: 'fixed' });
    }
    let secret = getMeta(db, 'storage_secret');
    if (!secret) {
      secret = randomBytes(32).toString('hex');
      setMeta(db, 'storage_secret', secret);
    }
    return { project, key, secret };
  })();
}

function displayHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the local PostHog-compatible error-tracking server. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const fixedKey = options.apiKey ?? (process.env.HOGMAPS_SERVER_API_KEY || undefined);
  checkOptions(options, fixedKey);
  const host = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir ?? '.hogmaps-data');
  const clock = options.clock ?? Date.now;
  const logger =
    options.logger ?? createLogger({ prefix: '[hogmaps:server]', level: options.quiet ? 'error' : 'info' });
  const faults = createFaultController(options.faults);

  prepareDataDir(dataDir, logger);
  const db = await openDatabase(dataDir, {
    onStaleLock: (pid) =>
      logger.warn(
        `removed the database lock of a server that stopped without closing${pid ? ` (pid ${pid})` : ''}`,
      ),
  });
  let app: App;
  let identity: ReturnType<typeof bootstrap>;
  try {
    restrictDatabaseFiles(dataDir);
    const credentials = createCredentialStore(db, clock);
    identity = bootstrap(db, credentials, fixedKey);
    app = {
      db,
      clock,
      logger,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      credentials,
      releases: createReleaseStore(db, clock),
      symbolSets: createSymbolSetStore(db, clock),
      uploads: createUploadSlotStore(db, clock),
      blobs: createBlobStore(dataDir),
      presigner: createPresigner({ accessKeyId: ACCESS_KEY_ID, secret: identity.secret, clock }),
    };
    const orphans = await sweepOrphanObjects(app);
    if (orphans > 0) logger.info(`deleted ${orphans} stored objects that no symbol set or upload refers to`);
  } catch (error) {
    db.close();
    throw error;
  }

  let origin = '';
  let port = 0;
  const inFlight = new Set<Promise<void>>();
  const inbox = createInbox({
    app,
    requireLogin: options.inboxLogin === true || !isLoopbackHost(host),
    port: () => port,
  });
  const handle = createRequestHandler(app, faults, () => origin, inbox);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const done = handle(req, res)
      .catch((error: unknown) => logger.error(`unhandled request failure: ${errorMessage(error)}`))
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  });
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolveListen();
      });
    });
  } catch (error) {
    db.close();
    throw error;
  }
  ({ port } = server.address() as AddressInfo);
  origin = `${displayHost(host)}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      inbox.close();
      const stopped = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      // Let running requests finish (briefly), so none touches a closed database.
      const deadline = new Promise((done) => setTimeout(done, 2_000).unref());
      await Promise.race([Promise.allSettled([...inFlight]), deadline]);
      server.closeAllConnections();
      await stopped;
      db.close();
      app.blobs.removeTemporaries();
    })();
    return closing;
  };

  const admin: ServerAdmin = {
    createProject: (projectOptions) => app.credentials.createProject(projectOptions),
    createApiKey: (keyOptions = {}) => app.credentials.createApiKey(keyOptions),
    revokeApiKey: (id) => app.credentials.revokeApiKey(id),
    symbolSetRows: (projectId) =>
      db
        .prepare('SELECT * FROM symbol_sets WHERE team_id = ? ORDER BY created_at, id')
        .all(projectId) as SymbolSetRow[],
    blobPath: (storageKey) => app.blobs.pathFor(storageKey),
  };

  return {
    url: `http://${origin}`,
    inboxUrl: `http://${origin}/`,
    inboxLogin: inbox.requireLogin,
    port,
    host,
    projectId: identity.project.id,
    apiKey: identity.key.key,
    projectToken: identity.project.token,
    dataDir,
    sqlite: db.backend,
    admin,
    faults,
    close,
  };
}
