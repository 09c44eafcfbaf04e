// The upload pipeline alone, in a fresh Node process: N symbol sets to the local server through
// core's client and pipeline, then, on the same bytes and on one core, the work the pipeline must do
// (read, zstd level 3, SHA-512), so the upload's speed can be set against the speed of its own work.
// It runs as `hogmaps upload` does, with undici's parser kept on V8's baseline tier.
import { randomUUID } from 'node:crypto';
import {
  createPostHogClient,
  keepWasmOnBaselineTier,
  uploadInputsFrom,
  uploadSymbolSets,
} from '@hogmaps/core';
import { fastestPackingWork, type PackingWork, ZSTD_CODEC } from '../measure/pack-work';
import { sampleRss } from '../measure/rss-sampler';
import { timeMainThread } from '../measure/thread-cpu';
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
  /** The main thread's part of cpuMs (Linux; absent from results before round 21). */
  mainCpuMs?: number;
  requests: number;
  uploaded: number;
  failed: string[];
  /** RSS right before the upload started, and its peak during the upload, in bytes. */
  rssBefore: number;
  rssPeak: number;
  /** Single-core time of each step of the work over all sets, in ms. */
  work: PackingWork;
  zstd: string;
}

async function upload(job: UploadJob) {
  // As the CLI does in its own process (core's wasm-tiering.ts): a build's plugin never sets it.
  keepWasmOnBaselineTier();
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
  const rss = sampleRss();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const mainThread = timeMainThread();
  const summary = await uploadSymbolSets(client, inputs, { releaseId: release.id });
  const uploadMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const mainCpuMs = mainThread();
  const { before: rssBefore, peak: rssPeak } = rss();
  await client.close();
  return { summary, uploadMs, cpuMs: (cpu.user + cpu.system) / 1000, mainCpuMs, rssBefore, rssPeak };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as UploadJob;
  const { summary, uploadMs, cpuMs, mainCpuMs, rssBefore, rssPeak } = await upload(job);
  const report: UploadChildReport = {
    bytes: job.sets.reduce((sum, set) => sum + set.bytes, 0),
    uploadMs,
    cpuMs,
    ...(mainCpuMs === undefined ? {} : { mainCpuMs }),
    requests: summary.requests,
    uploaded: summary.uploaded.length,
    failed: summary.failed.map((failure) => `${failure.fileName}: ${failure.error}`),
    rssBefore,
    rssPeak,
    work: await fastestPackingWork(job.sets),
    zstd: ZSTD_CODEC,
  };
  process.send?.(report, () => process.disconnect());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
  process.disconnect?.();
});
