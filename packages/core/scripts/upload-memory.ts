/**
 * Uploads 300 symbol sets of about 1 MiB each and prints the peak RSS growth of this process,
 * which must stay under 100 MiB (inputs are loaded lazily, a few at a time).
 *
 * Node 20 cannot run TypeScript, so bundle our sources first (npm packages stay external and
 * resolve from packages/core/node_modules), from the repository root:
 *
 *   packages/server/node_modules/.bin/esbuild packages/core/scripts/upload-memory.ts --bundle \
 *     --platform=node --format=esm --packages=external \
 *     --outfile=packages/core/node_modules/.cache/hogmaps/upload-memory.mjs \
 *   && node packages/core/node_modules/.cache/hogmaps/upload-memory.mjs
 *
 * The fake PostHog runs in a child process so its stored objects do not count. To use another
 * server: HOGMAPS_MEMORY_HOST=http://127.0.0.1:8010 HOGMAPS_MEMORY_PROJECT=1 HOGMAPS_MEMORY_KEY=phx_…
 * Knobs: HOGMAPS_MEMORY_SETS (300), HOGMAPS_MEMORY_MIB (1), HOGMAPS_MEMORY_COMPRESSION (auto).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createPostHogClient } from '../src/api/client';
import { zstdAvailable } from '../src/container/zstd';
import { uploadSymbolSets } from '../src/upload/pipeline';
import type { UploadInput } from '../src/upload/types';
import { startFakePostHog } from '../test/upload/fake-posthog';

const SETS = Number(process.env.HOGMAPS_MEMORY_SETS ?? 300);
const SIZE = Math.round(Number(process.env.HOGMAPS_MEMORY_MIB ?? 1) * 1024 * 1024);
const LIMIT_MIB = 100;

async function serverInChild(): Promise<{
  url: string;
  apiKey: string;
  projectId: number;
  stop: () => void;
}> {
  const child = spawn(process.execPath, [process.argv[1]!, '--serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await createInterface({ input: child.stdout })
    [Symbol.asyncIterator]()
    .next()
    .then((r) => [r.value as string]);
  return { ...JSON.parse(line!), stop: () => child.kill() };
}

/** A deterministic pseudo-random generator, so every set differs but runs are repeatable. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

const WORDS = Array.from({ length: 400 }, (_, i) =>
  Buffer.from(`${'abcdefghijklmnopqrstuvwxyz'[i % 26]}${i.toString(36)}`),
);
const PUNCTUATION = Buffer.from('.(),;=+{}');
const VLQ = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');

/**
 * About `SIZE` bytes of minified-looking JS (a quarter) and a map (the rest), made on demand as
 * bytes, the way a loader reading files gets them (fs.readFile returns a Buffer).
 */
function makeSet(index: number): { minified: Buffer; map: Buffer } {
  const next = random(index + 1);
  const minified = Buffer.allocUnsafe(Math.floor(SIZE / 4));
  const trailer = Buffer.from(`\n//# chunkId=set-${index}\n`);
  let at = 0;
  while (at < minified.length - trailer.length - 16) {
    at += WORDS[Math.floor(next() * WORDS.length)]!.copy(minified, at);
    minified[at++] = PUNCTUATION[Math.floor(next() * PUNCTUATION.length)]!;
  }
  at += trailer.copy(minified, at);
  const head = Buffer.from(`{"version":3,"sources":["src/module-${index}.ts"],"names":[],"mappings":"`);
  const map = Buffer.allocUnsafe(SIZE - minified.length);
  let m = head.copy(map, 0);
  while (m < map.length - 8) {
    for (let i = 0, n = 4 + Math.floor(next() * 3); i < n; i++) map[m++] = VLQ[Math.floor(next() * 64)]!;
    map[m++] = next() < 0.1 ? 0x3b : 0x2c; // ';' or ','
  }
  m += map.write('A"}', m);
  return { minified: minified.subarray(0, at), map: map.subarray(0, m) };
}

async function main() {
  const remote = process.env.HOGMAPS_MEMORY_HOST;
  const server = remote
    ? {
        url: remote,
        apiKey: process.env.HOGMAPS_MEMORY_KEY ?? '',
        projectId: Number(process.env.HOGMAPS_MEMORY_PROJECT ?? 1),
        stop: () => {},
      }
    : await serverInChild();
  const client = createPostHogClient({
    host: server.url,
    projectId: server.projectId,
    apiKey: server.apiKey,
  });
  const runId = Date.now().toString(36);
  const inputs = function* (): Generator<UploadInput> {
    for (let i = 0; i < SETS; i++) {
      yield { chunkId: `mem-${runId}-${i}`, fileName: `dist/chunk-${i}.js`, load: async () => makeSet(i) };
    }
  };

  // Warm up (module code, the agent, the zstd binding) before the baseline.
  makeSet(0);
  await client.releases.listPage({ limit: 1 });
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let atPeak = process.memoryUsage();
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    if (usage.rss > peak) [peak, atPeak] = [usage.rss, usage];
  }, 5);

  const compression = (process.env.HOGMAPS_MEMORY_COMPRESSION ?? 'auto') as 'auto' | 'zstd' | 'none';
  const summary = await uploadSymbolSets(client, inputs(), { compression });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await client.close();
  server.stop();

  const growth = (peak - baseline) / 1048576;
  const mib = (bytes: number) => (bytes / 1048576).toFixed(1);
  console.log(
    `zstd: ${zstdAvailable() ?? 'none'}; ${SETS} sets of ${mib(SIZE)} MiB (${mib(SETS * SIZE)} MiB in)`,
  );
  console.log(
    `uploaded ${summary.uploaded.length}, failed ${summary.failed.length}, ${mib(summary.bytes)} MiB sent, ` +
      `${summary.requests} requests, ${(summary.durationMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `baseline RSS ${mib(baseline)} MiB, peak ${mib(peak)} MiB, peak growth ${growth.toFixed(1)} MiB (limit ${LIMIT_MIB})`,
  );
  console.log(
    `at peak: heap ${mib(atPeak.heapUsed)} of ${mib(atPeak.heapTotal)} MiB, external ${mib(atPeak.external)} MiB ` +
      `(array buffers ${mib(atPeak.arrayBuffers)} MiB)`,
  );
  if (summary.failed.length > 0) console.log(summary.failed.slice(0, 3));
  if (growth >= LIMIT_MIB || summary.uploaded.length !== SETS) process.exitCode = 1;
}

// Last, so every constant above is initialised.
if (process.argv.includes('--serve')) {
  const server = await startFakePostHog();
  console.log(JSON.stringify({ url: server.url, apiKey: server.apiKey, projectId: server.projectId }));
} else {
  await main();
}
