#!/usr/bin/env node
// What the server's database costs on its own workloads, per SQLite backend. The server runs in a
// child process (one per Node binary given), this process drives it through the real protocol:
// core's upload pipeline for symbol sets, `/batch/` for events, the read API for the exceptions list.
// The child reports its own peak RSS. Needs `pnpm --filter @hogmaps/server... build` first.
//
//   node scripts/storage-bench.mjs [--sets 300] [--events 5000] [--runs 3] [--node <binary>]...
//
// Without --node it runs on this Node and, when `@hogmaps/node24` is installed, on Node 24.
// HOGMAPS_SQLITE=node-sqlite3-wasm in the environment forces the fallback on Node >= 22 too.
import { fork } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const SELF = new URL(import.meta.url).pathname;

// ---- child: the server under test -------------------------------------------------------------

async function child() {
  const { startServer } = await import('../dist/index.js');
  const dataDir = process.argv[3];
  const started = performance.now();
  const server = await startServer({ port: 0, dataDir, quiet: true });
  const startMs = performance.now() - started;
  process.on('message', (message) => {
    if (message === 'stats') {
      process.send({
        type: 'stats',
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        rssBytes: process.memoryUsage.rss(),
        cpuMs: (({ user, system }) => (user + system) / 1000)(process.cpuUsage()),
      });
    }
  });
  process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
  process.send({
    type: 'ready',
    startMs,
    url: server.url,
    projectId: server.projectId,
    apiKey: server.apiKey,
    projectToken: server.projectToken,
    sqlite: server.sqlite ?? 'better-sqlite3',
    node: process.version,
  });
}

// ---- parent: the driver -----------------------------------------------------------------------

function fakeSet(i) {
  const lines = Array.from({ length: 400 }, (_, n) => `function f${i}_${n}(a){return a*${n}+${i}}`);
  const minified = `${lines.join(';')}\n//# sourceMappingURL=chunk-${i}.js.map`;
  const map = JSON.stringify({
    version: 3,
    sources: [`src/module-${i}.ts`],
    sourcesContent: [lines.join('\n')],
    names: [],
    mappings: Array.from({ length: 400 }, () => 'AAAA').join(';'),
  });
  return { minified, map };
}

function exceptionEvent(i) {
  const frames = Array.from({ length: 20 }, (_, n) => ({
    platform: 'web:javascript',
    filename: `https://app.example/assets/chunk-${n}.js`,
    function: `handler${n}`,
    lineno: 1,
    colno: 100 + n * 37,
    in_app: true,
  }));
  return {
    event: '$exception',
    uuid: randomUUID(),
    distinct_id: `user-${i % 50}`,
    timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    properties: {
      $exception_list: [
        {
          type: 'TypeError',
          value: `Cannot read properties of undefined (reading 'x${i}')`,
          mechanism: { handled: false, synthetic: false, type: 'onerror' },
          stacktrace: { type: 'raw', frames },
        },
      ],
      $current_url: `https://app.example/page/${i % 30}`,
    },
  };
}

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(full) : statSync(full).size;
  }
  return total;
}

async function measure(nodeBinary, options) {
  const { createPostHogClient, uploadSymbolSets } = await import('@hogmaps/core');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hogmaps-storage-bench-'));
  const server = fork(SELF, ['--child', dataDir], { execPath: nodeBinary, stdio: 'inherit' });
  const messages = [];
  const waiters = [];
  server.on('message', (message) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  });
  const next = () => (messages.length ? messages.shift() : new Promise((resolve) => waiters.push(resolve)));
  try {
    const ready = await next();
    const serverCpu = async () => {
      server.send('stats');
      return (await next()).cpuMs;
    };
    // Wall time, and the server's CPU time, which a busy machine disturbs far less.
    const phase = async (fn) => {
      const cpu = await serverCpu();
      const result = await timed(fn);
      return { ...result, cpuMs: (await serverCpu()) - cpu };
    };
    const client = createPostHogClient({ host: ready.url, projectId: ready.projectId, apiKey: ready.apiKey });
    const sets = Array.from({ length: options.sets }, (_, i) => ({ chunkId: randomUUID(), ...fakeSet(i) }));
    const inputs = sets.map((set) => ({
      chunkId: set.chunkId,
      fileName: `chunk-${set.chunkId}.js`,
      load: async () => ({ minified: set.minified, map: set.map }),
    }));
    const upload = await phase(() => uploadSymbolSets(client, inputs));
    if (upload.value.uploaded.length !== options.sets) throw new Error('not every set was uploaded');
    const recheck = await phase(() => uploadSymbolSets(client, inputs));
    if (recheck.value.alreadyPresent.length !== options.sets) throw new Error('sets were uploaded again');
    await client.close();

    const batches = [];
    for (let i = 0; i < options.events; i += 50) {
      batches.push(Array.from({ length: Math.min(50, options.events - i) }, (_, n) => exceptionEvent(i + n)));
    }
    const capture = await phase(async () => {
      for (const batch of batches) {
        const response = await fetch(`${ready.url}/batch/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ api_key: ready.projectToken, batch }),
        });
        if (response.status !== 200) throw new Error(`capture: ${response.status}`);
        await response.arrayBuffer();
      }
    });
    const list = async (offset) => {
      const response = await fetch(
        `${ready.url}/api/projects/${ready.projectId}/hogmaps/exceptions/?limit=100&offset=${offset}`,
        { headers: { authorization: `Bearer ${ready.apiKey}` } },
      );
      const body = await response.json();
      if (body.count !== options.events) throw new Error(`list: count ${body.count}`);
      return createHash('sha1')
        .update(JSON.stringify(body.results.map((r) => r.id)))
        .digest('hex');
    };
    const pages = 20;
    const firstPage = await phase(async () => {
      for (let i = 0; i < pages; i++) await list(0);
    });
    const deepPage = await phase(async () => {
      for (let i = 0; i < pages; i++) await list(Math.max(0, options.events - 100));
    });
    server.send('stats');
    const stats = await next();
    return {
      node: ready.node,
      sqlite: ready.sqlite,
      startMs: ready.startMs,
      uploadMs: upload.ms,
      uploadCpuMs: upload.cpuMs,
      recheckMs: recheck.ms,
      recheckCpuMs: recheck.cpuMs,
      captureMs: capture.ms,
      captureCpuMs: capture.cpuMs,
      firstPageMs: firstPage.ms / pages,
      firstPageCpuMs: firstPage.cpuMs / pages,
      deepPageMs: deepPage.ms / pages,
      deepPageCpuMs: deepPage.cpuMs / pages,
      maxRssMiB: stats.maxRssBytes / 2 ** 20,
      dataMiB: folderBytes(dataDir) / 2 ** 20,
    };
  } finally {
    server.disconnect();
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function defaultBinaries() {
  const binaries = [process.execPath];
  try {
    const { node24Binary } = await import('@hogmaps/node24');
    const node24 = node24Binary();
    if (node24) binaries.push(node24);
  } catch {
    // not installed: this Node only
  }
  return binaries;
}

async function main() {
  const { values } = parseArgs({
    options: {
      sets: { type: 'string', default: '300' },
      events: { type: 'string', default: '5000' },
      runs: { type: 'string', default: '3' },
      node: { type: 'string', multiple: true },
    },
  });
  const options = { sets: Number(values.sets), events: Number(values.events) };
  const binaries = values.node ?? (await defaultBinaries());
  const runs = Number(values.runs);
  // Runs alternate between the binaries, so a busy spell on a shared machine hits each one alike.
  const results = binaries.map(() => []);
  for (let run = 0; run < runs; run++) {
    for (const [i, binary] of binaries.entries()) results[i].push(await measure(binary, options));
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const rows = results.map((all) =>
    Object.fromEntries(
      Object.keys(all[0]).map((key) => [
        key,
        typeof all[0][key] === 'number' ? median(all.map((r) => r[key])) : all[0][key],
      ]),
    ),
  );
  const fixed = (n, digits = 0) => n.toFixed(digits);
  console.log(
    `${options.sets} symbol sets, ${options.events} exceptions (batches of 50), list pages of 100\n`,
  );
  console.log(
    '| Node | SQLite | start ms | upload ms (server CPU) | re-check ms (CPU) | capture ms (CPU) | list first page ms (CPU) | list last page ms (CPU) | peak RSS MiB | data MiB |',
  );
  console.log('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|');
  const pair = (wall, cpu, digits = 0) => `${fixed(wall, digits)} (${fixed(cpu, digits)})`;
  for (const r of rows) {
    console.log(
      `| ${r.node} | ${r.sqlite} | ${fixed(r.startMs)} | ${pair(r.uploadMs, r.uploadCpuMs)} | ${pair(r.recheckMs, r.recheckCpuMs)} | ${pair(r.captureMs, r.captureCpuMs)} | ${pair(r.firstPageMs, r.firstPageCpuMs, 1)} | ${pair(r.deepPageMs, r.deepPageCpuMs, 1)} | ${fixed(r.maxRssMiB)} | ${fixed(r.dataMiB, 1)} |`,
    );
  }
}

if (process.argv[2] === '--child') await child();
else await main();
