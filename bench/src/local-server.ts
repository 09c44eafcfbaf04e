// The runner's handle on the server process (children/server-child.ts).
import { fork } from 'node:child_process';
import { node24Binary } from '@hogmaps/node24';
import type { ServerMessage, ServerRequest } from './children/server-child';
import { cpuMsOf } from './measure/fork-measured';
import type { ServerTarget } from './variants';

export interface LocalServer {
  url: string;
  /** The Node version and SQLite the server runs on, for the report. */
  runtime: string;
  /** CPU time the server process has used so far, in ms. */
  cpuMs(): number;
  /** A new project with its own key: nothing is "already uploaded" in it. */
  freshProject(): Promise<ServerTarget>;
  symbolSets(projectId: number): Promise<number>;
  close(): Promise<void>;
}

/** What the server waits before handling each request, as a round trip to PostHog Cloud costs. */
export interface Latency {
  apiMs: number;
  storageMs: number;
}

export async function startLocalServer(
  script: string,
  dataDir: string,
  latency?: Latency,
): Promise<LocalServer> {
  // The server stands in for PostHog, which runs elsewhere: on the cores it shares with the client it
  // should take as little as it can. On Node >= 22 (tools/node24, or BENCH_SERVER_NODE) it stores with
  // node:sqlite; on Node 20 with SQLite compiled to WebAssembly, about five times the CPU (as much as
  // the client itself: docs/benchmarks.md, round 5).
  const node = process.env.BENCH_SERVER_NODE || node24Binary();
  const args = latency ? [dataDir, String(latency.apiMs), String(latency.storageMs)] : [dataDir];
  const child = fork(script, args, {
    execPath: node ?? process.execPath,
    // `BENCH_SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof"`: profile the server too.
    execArgv: [
      ...(node ? ['--disable-warning=ExperimentalWarning'] : []),
      ...(process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
    ],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (message: ServerMessage) => void>();
  let nextId = 1;
  const ready = await new Promise<Extract<ServerMessage, { type: 'ready' }>>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the server exited with code ${code}`)));
    child.on('message', (message: ServerMessage) => {
      if (message.type === 'ready') resolve(message);
      else waiting.get(message.id)?.(message);
    });
  });
  const { url } = ready;
  const ask = (request: { type: 'project' } | { type: 'count'; projectId: number }) =>
    new Promise<ServerMessage>((resolve) => {
      const id = nextId++;
      waiting.set(id, (message) => {
        waiting.delete(id);
        resolve(message);
      });
      child.send({ ...request, id } satisfies ServerRequest);
    });
  return {
    url,
    runtime: `Node ${ready.node}, ${ready.sqlite}`,
    cpuMs: () => (child.pid === undefined ? 0 : cpuMsOf(child.pid)),
    async freshProject() {
      const message = await ask({ type: 'project' });
      if (message.type !== 'project') throw new Error('unexpected server reply');
      return { url, projectId: message.projectId, apiKey: message.apiKey };
    },
    async symbolSets(projectId) {
      const message = await ask({ type: 'count', projectId });
      if (message.type !== 'count') throw new Error('unexpected server reply');
      return message.symbolSets;
    },
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
