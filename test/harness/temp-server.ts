// A quiet local server on a free port for one test file, in a data folder of its own: its close()
// also deletes that folder, so test runs leave nothing behind in the temporary directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningServer, startServer } from '@hogmaps/server';

export async function startTempServer(name: string): Promise<RunningServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `hogmaps-${name}-srv-`));
  const server = await startServer({ port: 0, dataDir, quiet: true });
  const stop = server.close;
  return Object.assign(server, {
    async close() {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  });
}
