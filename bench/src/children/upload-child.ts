// The upload pipeline alone, in a fresh Node process: N symbol sets to the local server through
// core's client and pipeline, then, on the same bytes and on one core, the work the pipeline must do
// (read, zstd level 3, SHA-512), so the upload's speed can be set against the speed of its own work.
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createPostHogClient, uploadInputsFrom, uploadSymbolSets } from '@hogmaps/core';
import type { SymbolSetFile } from '../upload/sets';
import type { ServerTarget } from '../variants';

export interface UploadJob {
  sets: SymbolSetFile[];
  server: ServerTarget;
}

export interface UploadChildReport {
  bytes: number;
  uploadMs: number;
  /** CPU time of this process during the upload (all threads: zstd runs on libuv's pool). */
  cpuMs: number;
  requests: number;
  uploaded: number;
  failed: string[];
  /** RSS right before the upload started, and its peak during the upload, in bytes. */
  rssBefore: number;
  rssPeak: number;
  /** Single-core time of each step of the work over all sets, in ms. */
  work: { readMs: number; zstdMs: number; shaContainerMs: number; shaRawMs: number; compressedBytes: number };
  zstd: string;
}

interface NodeZstd {
  Encoder: new (level: number) => { encode(data: Buffer): Promise<Buffer> };
}

async function upload(job: UploadJob) {
  const clientOptions = { host: job.server.url, projectId: job.server.projectId, apiKey: job.server.apiKey };
  // As a build (and `hogmaps upload`) does before it uploads: register the release with a client of
  // its own. That request also loads undici, which a build has therefore loaded before its upload.
  const setup = createPostHogClient(clientOptions);
  const release = await setup.releases.create({ project: 'bench-upload', version: randomUUID() });
  await setup.close();
  const client = createPostHogClient(clientOptions);
  // As a build and `hogmaps upload` load pairs: read, UTF-8 and map checks.
  const inputs = uploadInputsFrom(
    job.sets.map((set) => ({ chunkId: randomUUID(), fileName: set.js, jsPath: set.js, mapPath: set.map })),
  );
  const rssBefore = process.memoryUsage.rss();
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let sampled = rssBefore;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const summary = await uploadSymbolSets(client, inputs, { releaseId: release.id });
  const uploadMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  await client.close();
  // The kernel's high-water mark catches peaks between samples, when it moved during the upload.
  const maxRssAfter = process.resourceUsage().maxRSS * 1024;
  const rssPeak = maxRssAfter > maxRssBefore ? Math.max(maxRssAfter, sampled) : sampled;
  return { summary, uploadMs, cpuMs: (cpu.user + cpu.system) / 1000, rssBefore, rssPeak };
}

/** The same work, one set at a time: nothing overlaps, so it is the speed of one core. */
async function work(sets: SymbolSetFile[]) {
  const { Encoder } = (await import('@toondepauw/node-zstd')) as unknown as NodeZstd;
  const encoder = new Encoder(3);
  const totals = { readMs: 0, zstdMs: 0, shaContainerMs: 0, shaRawMs: 0, compressedBytes: 0 };
  for (const set of sets) {
    let t = performance.now();
    const js = await readFile(set.js);
    const map = await readFile(set.map);
    totals.readMs += performance.now() - t;
    t = performance.now();
    const compressed = await encoder.encode(Buffer.concat([js, map]));
    totals.zstdMs += performance.now() - t;
    totals.compressedBytes += compressed.length;
    t = performance.now();
    createHash('sha512').update(compressed).digest('hex');
    totals.shaContainerMs += performance.now() - t;
    t = performance.now();
    createHash('sha512').update(js).update(map).digest('hex');
    totals.shaRawMs += performance.now() - t;
  }
  return totals;
}

/**
 * The fastest of three passes of the work. A single pass right after the upload ran at whatever
 * speed the memory the upload left behind allowed (fresh pages fault in slowly here), so it moved
 * with the upload's own allocations; the fastest pass is the work's speed on warm memory.
 */
async function fastestWork(sets: SymbolSetFile[]) {
  let fastest: Awaited<ReturnType<typeof work>> | undefined;
  const total = (totals: Awaited<ReturnType<typeof work>>) =>
    totals.readMs + totals.zstdMs + totals.shaContainerMs;
  for (let pass = 0; pass < 3; pass++) {
    const totals = await work(sets);
    if (!fastest || total(totals) < total(fastest)) fastest = totals;
  }
  return fastest!;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as UploadJob;
  const { summary, uploadMs, cpuMs, rssBefore, rssPeak } = await upload(job);
  const report: UploadChildReport = {
    bytes: job.sets.reduce((sum, set) => sum + set.bytes, 0),
    uploadMs,
    cpuMs,
    requests: summary.requests,
    uploaded: summary.uploaded.length,
    failed: summary.failed.map((failure) => `${failure.fileName}: ${failure.error}`),
    rssBefore,
    rssPeak,
    work: await fastestWork(job.sets),
    zstd: '@toondepauw/node-zstd level 3',
  };
  process.send?.(report, () => process.disconnect());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
  process.disconnect?.();
});
