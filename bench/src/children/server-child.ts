// The local PostHog-compatible server in its own process, so its work never shares an event loop with
// the runner's timing. The runner asks it, over IPC, for a fresh project per upload run (nothing
// uploaded before is "already present") and for the symbol sets a project holds afterwards. With
// delays given, it answers every API and storage request that much later, as a distant PostHog does.
import { startServer } from '@hogmaps/server';

export type ServerRequest =
  | { id: number; type: 'project' }
  | { id: number; type: 'count'; projectId: number };
export type ServerMessage =
  | { type: 'ready'; url: string; node: string; sqlite: string }
  | { id: number; type: 'project'; projectId: number; apiKey: string }
  | { id: number; type: 'count'; symbolSets: number };

async function main(): Promise<void> {
  const [dataDir, apiMs, storageMs] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: server-child <dataDir> [<API delay ms> <storage delay ms>]');
  // PostHog is across a network: every request waits this long before it is handled.
  const faults = (
    [
      ['api', Number(apiMs ?? 0)],
      ['storage', Number(storageMs ?? 0)],
    ] as const
  )
    .filter(([, delayMs]) => delayMs > 0)
    .map(([target, delayMs]) => ({ match: { target }, action: { delayMs }, times: Number.MAX_SAFE_INTEGER }));
  const server = await startServer({ port: 0, dataDir, quiet: true, faults });
  const send = (message: ServerMessage) => process.send?.(message);
  process.on('message', (request: ServerRequest) => {
    if (request.type === 'project') {
      const project = server.admin.createProject({ name: `bench-${request.id}` });
      const key = server.admin.createApiKey({ projectIds: [project.id] });
      send({ id: request.id, type: 'project', projectId: project.id, apiKey: key.key });
    } else {
      send({
        id: request.id,
        type: 'count',
        symbolSets: server.admin.symbolSetRows(request.projectId).length,
      });
    }
  });
  process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
  send({ type: 'ready', url: server.url, node: process.version, sqlite: server.sqlite });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
