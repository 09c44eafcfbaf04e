// The local PostHog-compatible server for the scenarios: one per test file, one fresh project per test,
// and what it stored read back through its HTTP API (symbol sets decoded with core's decoder).
import { type DecodedSymbolSet, decodeSymbolSet, type Options } from '@hogmaps/core';
import type { FaultStatus, RunningServer, SymbolSetRow } from '@hogmaps/server';
import { startTempServer } from './temp-server';

export interface TestServer {
  server: RunningServer;
  /** A new project with its own API key, so each test sees only its own uploads. */
  project(): TestProject;
  /** Counts every request the server receives from now on (a pass-through fault rule). */
  countRequests(): FaultStatus;
  close(): Promise<void>;
}

export interface SymbolSetInfo {
  id: string;
  ref: string;
  hasUploadedFile: boolean;
  releaseId: string | null;
}

export interface ReleaseInfo {
  id: string;
  hash_id: string;
  version: string;
  project: string;
}

export interface TestProject {
  projectId: number;
  apiKey: string;
  /** Plugin options that upload to this project, with a fixed release and quiet, fast-failing HTTP. */
  options(extra?: Options): Options;
  /** Symbol sets as PostHog's API lists them. */
  symbolSets(): Promise<SymbolSetInfo[]>;
  /** Raw rows (with content_hash: a finished upload has one). */
  rows(): SymbolSetRow[];
  releases(): Promise<ReleaseInfo[]>;
  /** Downloads a symbol set by chunk id (ref) through the API's presigned URL and decodes it. */
  download(ref: string): Promise<DecodedSymbolSet>;
}

/** Fixed release identity, so detection (git, CI, package.json) never depends on the machine. */
export const SCENARIO_RELEASE = { releaseName: 'hogmaps-scenario-app', releaseVersion: '1.0.0' } as const;

export async function startTestServer(): Promise<TestServer> {
  const server = await startTempServer('bundlers');

  const project = (): TestProject => {
    const { id: projectId } = server.admin.createProject({ name: 'scenario' });
    const { key: apiKey } = server.admin.createApiKey({ projectIds: [projectId], scopes: ['*'] });
    const base = `${server.url}/api/projects/${projectId}/error_tracking`;
    const get = async <T>(url: string): Promise<T> => {
      const response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
      if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const all = async <T>(first: string): Promise<T[]> => {
      const results: T[] = [];
      for (let url: string | null = first; url; ) {
        const page: { results: T[]; next: string | null } = await get(url);
        results.push(...page.results);
        url = page.next;
      }
      return results;
    };
    const symbolSets = async () =>
      (
        await all<{ id: string; ref: string; has_uploaded_file: boolean; release: { id: string } | null }>(
          `${base}/symbol_sets/?limit=100`,
        )
      ).map((set) => ({
        id: set.id,
        ref: set.ref,
        hasUploadedFile: set.has_uploaded_file,
        releaseId: set.release?.id ?? null,
      }));

    return {
      projectId,
      apiKey,
      options: (extra = {}) => ({
        personalApiKey: apiKey,
        projectId,
        host: server.url,
        logLevel: 'warn',
        retries: 0,
        timeout: 5_000,
        ...extra,
        sourcemaps: { ...SCENARIO_RELEASE, ...extra.sourcemaps },
      }),
      symbolSets,
      rows: () => server.admin.symbolSetRows(projectId),
      releases: () => all<ReleaseInfo>(`${base}/releases/?limit=100`),
      async download(ref) {
        const set = (await symbolSets()).find((candidate) => candidate.ref === ref);
        if (!set) throw new Error(`no symbol set for chunk id ${ref}`);
        const { url } = await get<{ url: string }>(`${base}/symbol_sets/${set.id}/download/`);
        const response = await fetch(url);
        if (!response.ok) throw new Error(`download of ${ref}: HTTP ${response.status}`);
        return decodeSymbolSet(new Uint8Array(await response.arrayBuffer()));
      },
    };
  };

  return {
    server,
    project,
    countRequests: () =>
      server.faults.add({ match: {}, action: { delayMs: 0 }, times: Number.MAX_SAFE_INTEGER }),
    close: () => server.close(),
  };
}
