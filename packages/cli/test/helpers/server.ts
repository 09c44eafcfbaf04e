import { rm } from 'node:fs/promises';
import { type RunningServer, startServer } from '@hogmaps/server';
import { tempDir } from './temp';

export interface TestServer {
  server: RunningServer;
  /** What the CLI reads to reach this server. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A real @hogmaps/server on 127.0.0.1 with a temporary data folder. */
export async function startTestServer(): Promise<TestServer> {
  const dataDir = await tempDir('hogmaps-cli-server');
  const server = await startServer({ port: 0, dataDir, quiet: true });
  return {
    server,
    env: {
      POSTHOG_CLI_HOST: server.url,
      POSTHOG_CLI_PROJECT_ID: String(server.projectId),
      POSTHOG_CLI_API_KEY: server.apiKey,
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
