import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type RunningServer, startServer } from '@hogmaps/server';

/** One frame of a stored exception as the server returns it: the raw SDK frame plus its resolution. */
export interface FrameJson {
  platform: string;
  filename: string;
  function?: string;
  lineno?: number;
  colno?: number;
  chunk_id?: string;
  resolved: boolean;
  resolve_failure?: string;
  source?: string;
  /** 0-based original line and column, as PostHog stores them (add 1 for an editor's numbers). */
  line?: number;
  column?: number;
  resolved_name?: string;
  /** Cymbal's context: lines numbered from 0. */
  context?: { before: ContextLine[]; line: ContextLine; after: ContextLine[] };
}

export interface ContextLine {
  number: number;
  line: string;
}

export interface ExceptionJson {
  id: string;
  distinct_id: string | null;
  exception_list: {
    type: string;
    value: string;
    mechanism: { handled: boolean; type?: string };
    stacktrace: { frames: FrameJson[] } | null;
  }[];
  properties: Record<string, unknown>;
}

export interface LocalServer {
  server: RunningServer;
  /**
   * The environment for an example's build and run: hogmaps' variables and the app's PostHog settings
   * pointed at this server, every other POSTHOG_* variable of the caller's shell removed.
   */
  env: NodeJS.ProcessEnv;
  /** GET on this server with the personal API key; throws on a non-2xx answer. */
  get<T>(pathname: string): Promise<T>;
  exceptions(): Promise<ExceptionJson[]>;
  /** Refs (chunk ids) of the symbol sets whose upload finished. */
  uploadedChunkIds(): Promise<string[]>;
  close(): Promise<void>;
}

/** A fresh local server on a free port, with its data in a temporary folder removed on close. */
export async function startLocalServer(): Promise<LocalServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hogmaps-e2e-'));
  const server = await startServer({ port: 0, dataDir, quiet: true });
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('POSTHOG_')) env[name] = value;
  }
  Object.assign(env, {
    POSTHOG_CLI_HOST: server.url,
    POSTHOG_CLI_API_KEY: server.apiKey,
    POSTHOG_CLI_PROJECT_ID: String(server.projectId),
    POSTHOG_PROJECT_TOKEN: server.projectToken,
    POSTHOG_API_HOST: server.url,
  });

  async function get<T>(pathname: string): Promise<T> {
    const response = await fetch(`${server.url}${pathname}`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    if (!response.ok) throw new Error(`GET ${pathname}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  return {
    server,
    env,
    get,
    async exceptions() {
      const page = await get<{ results: ExceptionJson[] }>(
        `/api/projects/${server.projectId}/hogmaps/exceptions/?limit=100`,
      );
      return page.results;
    },
    async uploadedChunkIds() {
      const page = await get<{ results: { ref: string; has_uploaded_file: boolean }[] }>(
        `/api/projects/${server.projectId}/error_tracking/symbol_sets/?status=valid&limit=100`,
      );
      return page.results.filter((set) => set.has_uploaded_file).map((set) => set.ref);
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls the server until `count` exceptions matching `filter` arrived (the SDKs send in batches). */
export async function waitForExceptions(
  local: LocalServer,
  count: number,
  filter: (exception: ExceptionJson) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<ExceptionJson[]> {
  const deadline = Date.now() + timeoutMs;
  let found: ExceptionJson[] = [];
  while (Date.now() < deadline) {
    found = (await local.exceptions()).filter(filter);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `expected ${count} exceptions on the local server within ${timeoutMs} ms, got ${found.length}`,
  );
}
