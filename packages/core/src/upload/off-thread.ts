// A build's upload in a worker thread. At the end of a build the bundler's heap can be gigabytes
// (rollup: 2.4 GiB in the bench's app), and the upload reads tens of MB of JS and maps into buffers,
// which V8 counts as external memory: past 64 MB of it since the last full collection, V8 starts
// marking the whole heap (rollup: 1.3–1.8 s of CPU, webpack: about 0.2 s; docs/benchmarks.md round 7)
// for garbage the process would otherwise drop at exit. In a worker the buffers live in a heap of
// their own, and the bundler's thread is free meanwhile. Starting the worker costs about 0.1 s of
// CPU, more than marking a small heap, so by default only a large heap sends the upload there; a
// build starts it as its first chunk renders (startUploadWorker), so the boot overlaps the bundler.
// Only what crosses threads as data goes there: file paths, settings and the client's options; a
// proxy (a function of the URL) or a map rewrite keeps the upload on the calling thread.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { PostHogClientOptions } from '../api/client';
import { errorMessage, HogmapsError } from '../errors';
import type { Logger, LogLevel } from '../logger';
import type { UploadThread } from '../options/types';
import type { PathInput } from './path-inputs';
import type { UploadOptions, UploadSummary } from './types';

export interface OffThreadJob {
  client: Omit<PostHogClientOptions, 'proxyFor' | 'logger' | 'dispatcher'>;
  inputs: PathInput[];
  options: Omit<UploadOptions, 'onProgress' | 'logger' | 'signal'>;
  logLevel: LogLevel;
}

export type OffThreadMessage =
  | { type: 'log'; level: Exclude<LogLevel, 'silent'>; message: string }
  | { type: 'done'; summary: UploadSummary }
  | { type: 'error'; code: string; message: string };

const WORKER_FILE = 'off-thread-worker.js';

/**
 * The built worker script, or undefined where there is none. From core's dist (chunks sit in dist/,
 * the worker in dist/upload/) and from its sources, which tests run: there the worker is the one
 * `pnpm build` made from the same sources (the test command builds first).
 */
export function uploadWorkerScript(from: string = import.meta.url): URL | undefined {
  for (const relative of [`./upload/${WORKER_FILE}`, `../../dist/upload/${WORKER_FILE}`]) {
    const url = new URL(relative, from);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/**
 * From this much JavaScript heap on, a worker by default. Marking costs about 0.7 ms per MB of heap
 * (rollup: 1.3-1.8 s for 2.4 GiB), a worker about 0.1 s to start, and the upload does not always set
 * the marking off: at webpack's 0.36 GiB the worker saves CPU but no time, and holds about 18 MiB
 * more (docs/benchmarks.md, rounds 18 and 23).
 */
export const LARGE_HEAP_BYTES = 1024 * 1024 * 1024;

/**
 * The worker script a build's upload runs in, or undefined for the build's own thread: `uploadThread`
 * decides, `'auto'` by the size of this thread's heap; a proxy or a map rewrite (functions) always
 * stay here, and so does everything where no worker was built.
 */
export function uploadThreadFor(
  choice: UploadThread,
  needs: { proxy: boolean; rewrite: boolean },
  heapBytes: number = getHeapStatistics().used_heap_size,
  script: () => URL | undefined = uploadWorkerScript,
): URL | undefined {
  if (choice === 'main' || needs.proxy || needs.rewrite) return undefined;
  if (choice === 'auto' && heapBytes < LARGE_HEAP_BYTES) return undefined;
  return script();
}

/**
 * The worker's young generation, MiB. The upload's objects live briefly and its bytes outside the
 * heap, so a small one serves. V8's default grows to 16 MiB semi-spaces, every page of which a fresh
 * isolate touches for the first time: in rollup's finish (docs/benchmarks.md, round 23) 7,500 page
 * faults against 5,500 with this limit, and about 100 ms less of the worker's CPU.
 */
export const WORKER_YOUNG_GENERATION_MB = 4;

/** An upload worker, started before its job is known (startUploadWorker). */
export interface UploadWorker {
  /**
   * Runs uploadSymbolSets over `job`; its log lines go to `logger`. Resolves with the summary once
   * the worker has exited; rejects as uploadSymbolSets would (a HogmapsError with its code), or with
   * `upload_worker_failed` when the worker itself fails. At most once per worker.
   */
  run(job: OffThreadJob, logger: Logger): Promise<UploadSummary>;
  /** Ends a worker that will be given no job. */
  cancel(): void;
}

/**
 * Starts a worker running `script`, which waits for its job. Booting one (an isolate of its own
 * loading the upload's modules) takes about 0.1 s of a core, which a build can spend while the
 * bundler is still rendering rather than once its files are written. Unreferenced until it runs, so
 * a worker that never gets a job (a failed build) never keeps the process alive.
 */
export function startUploadWorker(script: URL): UploadWorker {
  const worker = new Worker(script, {
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  let logger: Logger | undefined;
  let outcome: { summary: UploadSummary } | { error: Error } | undefined;
  const failed = (message: string, cause?: unknown) =>
    new HogmapsError('upload_worker_failed', message, cause === undefined ? undefined : { cause });
  // Listened to from the start: a worker failing before its job must not be an unhandled 'error'.
  const exited = new Promise<number>((resolve) => worker.on('exit', resolve));
  worker.on('message', (message: OffThreadMessage) => {
    if (message.type === 'log') logger?.[message.level](message.message);
    else if (message.type === 'done') outcome = { summary: message.summary };
    // After the summary, a failure (closing the client) loses nothing: the summary stands.
    else outcome ??= { error: new HogmapsError(message.code, message.message) };
  });
  worker.on('error', (error) => {
    outcome ??= { error: failed(`the upload worker failed: ${error.message}`, error) };
  });
  // After the listeners: adding a 'message' listener references the worker's port again.
  worker.unref();
  return {
    async run(job, jobLogger) {
      logger = jobLogger;
      worker.ref();
      try {
        worker.postMessage(job);
      } catch (error) {
        void worker.terminate();
        throw failed(`the upload worker could not be given its job: ${errorMessage(error)}`, error);
      }
      const code = await exited;
      if (outcome && 'summary' in outcome) return outcome.summary;
      throw outcome?.error ?? failed(`the upload worker exited (code ${code}) without a result`);
    },
    cancel() {
      void worker.terminate();
    },
  };
}
