import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppBundle, buildAppBundle } from '../symbolication/helpers/bundle';
import { type EventServer, getJson, PROJECT_ID, startEventServer, TOKEN } from './helpers/event-server';

/** Real posthog-node, bundled with the app, run by Node, reporting to the events routes. */

let server: EventServer;
let bundle: AppBundle;
let dir: string;

beforeAll(async () => {
  server = await startEventServer();
  bundle = await buildAppBundle('node-entry.js');
  server.symbolSets.set(`${PROJECT_ID}/${bundle.chunkId}`, bundle.container({ version: 1 }));
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-node-'));
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('posthog-node', () => {
  it('sends gzip batches to /batch/ whose node frames resolve to the original throw', async () => {
    const file = path.join(dir, 'server-app.mjs');
    await writeFile(file, bundle.code);
    await promisify(execFile)(process.execPath, [file, server.url, TOKEN], { timeout: 20_000 });

    const batch = server.requests.find((r) => r.method === 'POST' && r.path.startsWith('/batch/'));
    expect(batch).toMatchObject({ contentEncoding: 'gzip', contentType: 'application/json' });

    const { body } = await getJson(server, `/api/projects/${PROJECT_ID}/hogmaps/exceptions`);
    expect(body.count).toBe(1);
    const [exception] = body.results;
    expect(exception.distinct_id).toBe('node-user');
    const frames = exception.exception_list[0].stacktrace.frames as Record<string, unknown>[];
    expect(frames.at(-1)).toMatchObject({
      platform: 'node:javascript',
      // posthog-node reports paths relative to the working directory.
      filename: path.relative(process.cwd(), file),
      chunk_id: bundle.chunkId,
      resolved: true,
      source: '../checkout.ts',
      line: bundle.throwLine - 1,
      resolved_name: 'submitOrder',
    });
  });

  it("keeps the context lines of an unbundled frame in posthog-node's reading order", async () => {
    // A plain script without a chunk id: the server passes its frames through with posthog-node's own context.
    const posthogNode = createRequire(import.meta.url).resolve('posthog-node');
    const file = path.join(dir, 'plain-app.mjs');
    await writeFile(
      file,
      [
        `import { PostHog } from ${JSON.stringify(pathToFileURL(posthogNode).href)};`,
        'const [host, token] = process.argv.slice(2);',
        'const client = new PostHog(token, { host, flushAt: 1, flushInterval: 0 });',
        'function explode() {',
        "  const note = 'the line above the throw';",
        "  throw new Error('plain node throw');",
        '}',
        "try { explode(); } catch (error) { client.captureException(error, 'plain-user'); }",
        'await client.shutdown();',
        '',
      ].join('\n'),
    );
    await promisify(execFile)(process.execPath, [file, server.url, TOKEN], { timeout: 20_000 });

    const { body } = await getJson(server, `/api/projects/${PROJECT_ID}/hogmaps/exceptions`);
    const exception = body.results.find((e: { distinct_id: string }) => e.distinct_id === 'plain-user');
    type Line = { number: number; line: string };
    type Frame = { function?: string; context?: { before: Line[]; line: Line } };
    const frames = exception.exception_list[0].stacktrace.frames as Frame[];
    const context = frames.find((f) => f.function === 'explode')?.context;
    expect(context?.line).toEqual({ number: 6, line: "  throw new Error('plain node throw');" });
    const before = context?.before ?? [];
    expect(before.at(-1)).toEqual({ number: 5, line: "  const note = 'the line above the throw';" });
    expect(before.map((l) => l.number)).toEqual(before.map((_, i) => 6 - before.length + i));
  });
});
