// The upload's worker thread, as a build runs it: the worker script core's build made (the test
// command builds before it tests). Dry runs here, so nothing needs a server; test/session runs builds
// through it against the local server.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import {
  LARGE_HEAP_BYTES,
  type OffThreadJob,
  startUploadWorker,
  uploadThreadFor,
  uploadWorkerScript,
  WORKER_YOUNG_GENERATION_MB,
} from './off-thread';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-off-thread-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function builtWorker(): URL {
  const script = uploadWorkerScript();
  if (!script) throw new Error('no built upload worker: run `pnpm build` first');
  return script;
}

async function pair(name: string, map: string) {
  const jsPath = path.join(dir, `${name}.js`);
  await writeFile(jsPath, `${name}();\n//# sourceMappingURL=${name}.js.map\n`);
  await writeFile(`${jsPath}.map`, map);
  return { chunkId: `chunk-${name}`, fileName: `${name}.js`, jsPath, mapPath: `${jsPath}.map` };
}

const GOOD_MAP = '{"version":3,"sources":["a.ts"],"names":[],"mappings":"AAAA"}';

function job(inputs: OffThreadJob['inputs'], options: OffThreadJob['options'] = {}): OffThreadJob {
  return {
    client: { host: 'http://127.0.0.1:9', projectId: 1, apiKey: 'phx_off_thread_test', retries: 0 },
    inputs,
    options: { dryRun: true, ...options },
    logLevel: 'info',
  };
}

/** A worker started now and given `job` at once, as a finish without a started worker runs one. */
const uploadOffThread = (script: URL, job: OffThreadJob, logger: ReturnType<typeof collect>['logger']) =>
  startUploadWorker(script).run(job, logger);

function collect(level: 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level, write: (line) => lines.push(line) }) };
}

describe('uploadWorkerScript', () => {
  it('finds the worker core built, next to the running code or from its sources', () => {
    const script = builtWorker();
    expect(fileURLToPath(script)).toMatch(/[\\/]dist[\\/]upload[\\/]off-thread-worker\.js$/);
    expect(existsSync(script)).toBe(true);
  });

  it('finds none where there is no built worker', () => {
    expect(uploadWorkerScript(pathToFileURL(path.join(dir, 'chunk.js')).href)).toBeUndefined();
  });
});

describe('uploadThreadFor', () => {
  const script = new URL('file:///built/off-thread-worker.js');
  const plain = { proxy: false, rewrite: false };

  it("'auto' takes a worker from a large heap on, this thread below it", () => {
    expect(uploadThreadFor('auto', plain, LARGE_HEAP_BYTES - 1, () => script)).toBeUndefined();
    expect(uploadThreadFor('auto', plain, LARGE_HEAP_BYTES, () => script)).toBe(script);
  });

  it("'worker' and 'main' decide whatever the heap", () => {
    expect(uploadThreadFor('worker', plain, 0, () => script)).toBe(script);
    expect(uploadThreadFor('main', plain, 8 * LARGE_HEAP_BYTES, () => script)).toBeUndefined();
  });

  it('keeps a proxy or a map rewrite (functions) on this thread, and so a missing worker', () => {
    expect(uploadThreadFor('worker', { proxy: true, rewrite: false }, 0, () => script)).toBeUndefined();
    expect(uploadThreadFor('worker', { proxy: false, rewrite: true }, 0, () => script)).toBeUndefined();
    expect(uploadThreadFor('worker', plain, 0, () => undefined)).toBeUndefined();
  });
});

describe('startUploadWorker, given its job at once', () => {
  it('uploads what can be uploaded and names each bad file, its lines on the caller’s logger', async () => {
    const inputs = [
      await pair('a', GOOD_MAP),
      await pair('b', '{"version":3,'),
      await pair('c', GOOD_MAP),
      { chunkId: 'chunk-gone', fileName: 'gone.js', jsPath: path.join(dir, 'gone.js'), mapPath: undefined },
    ];
    const { lines, logger } = collect();
    const summary = await uploadOffThread(builtWorker(), job(inputs), logger);

    expect(summary.dryRun).toBe(true);
    expect(summary.uploaded.sort()).toEqual(['chunk-a', 'chunk-c']);
    expect(summary.failed.map((failure) => [failure.chunkId, failure.error])).toEqual([
      ['chunk-b', expect.stringMatching(/b\.js\.map: is not valid JSON/)],
      ['chunk-gone', expect.stringMatching(/does not exist/)],
    ]);
    expect(lines.filter((line) => line.includes('dry run: would upload'))).toHaveLength(2);
    expect(lines.some((line) => line.includes('b.js'))).toBe(true);
  });

  it('forwards only the lines the caller’s level prints', async () => {
    const inputs = [await pair('a', GOOD_MAP)];
    const quiet = collect();
    await uploadOffThread(builtWorker(), { ...job(inputs), logLevel: 'warn' }, quiet.logger);
    expect(quiet.lines).toEqual([]);
  });

  it('rejects invalid settings with the pipeline’s own error and code', async () => {
    const inputs = [await pair('a', GOOD_MAP)];
    const failing = uploadOffThread(builtWorker(), job(inputs, { concurrency: 0 }), collect().logger);
    await expect(failing).rejects.toMatchObject({
      name: 'HogmapsError',
      code: 'invalid_options',
      message: expect.stringMatching(/concurrency: expected a positive integer, got 0/),
    });
  });

  it('says so when the worker itself fails or ends without a result', async () => {
    const throwing = path.join(dir, 'throwing.mjs');
    await writeFile(throwing, "throw new Error('the worker broke');\n");
    await expect(uploadOffThread(pathToFileURL(throwing), job([]), collect().logger)).rejects.toMatchObject({
      code: 'upload_worker_failed',
      message: expect.stringMatching(/the upload worker failed: the worker broke/),
    });

    // A failure after the summary (closing the client) loses nothing: the summary stands.
    const closing = path.join(dir, 'closing.mjs');
    const summary = { uploaded: ['x'], alreadyPresent: [], tooLarge: [], failed: [], bytes: 1 };
    await writeFile(
      closing,
      `import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ type: 'done', summary: ${JSON.stringify({ ...summary, requests: 3, durationMs: 5, dryRun: false })} });
parentPort.postMessage({ type: 'error', code: 'upload_failed', message: 'close failed' });
`,
    );
    await expect(uploadOffThread(pathToFileURL(closing), job([]), collect().logger)).resolves.toMatchObject(
      summary,
    );

    const exiting = path.join(dir, 'exiting.mjs');
    await writeFile(exiting, 'process.exit(3);\n');
    await expect(uploadOffThread(pathToFileURL(exiting), job([]), collect().logger)).rejects.toMatchObject({
      code: 'upload_worker_failed',
      message: expect.stringMatching(/exited \(code 3\) without a result/),
    });
  });
});

describe('startUploadWorker', () => {
  /** Until the worker has surely booted (or failed to): the job then comes to a worker waiting for it. */
  const booted = () => new Promise((resolve) => setTimeout(resolve, 500));

  it('runs a job given after the worker has booted', async () => {
    const worker = startUploadWorker(builtWorker());
    await booted();
    const summary = await worker.run(job([await pair('a', GOOD_MAP)]), collect().logger);
    expect(summary.uploaded).toEqual(['chunk-a']);
  });

  it('reports a worker that failed before its job when the job comes', async () => {
    const throwing = path.join(dir, 'throwing.mjs');
    await writeFile(throwing, "throw new Error('the worker broke');\n");
    const worker = startUploadWorker(pathToFileURL(throwing));
    await booted();
    await expect(worker.run(job([]), collect().logger)).rejects.toMatchObject({
      code: 'upload_worker_failed',
      message: expect.stringMatching(/the upload worker failed: the worker broke/),
    });
  });

  it('gives the worker a small young generation of its own', async () => {
    // A stand-in worker that answers with the limits it was started with, as a summary.
    const echo = path.join(dir, 'echo-limits.mjs');
    await writeFile(
      echo,
      "import { parentPort, resourceLimits } from 'node:worker_threads';\n" +
        "parentPort.once('message', () => { parentPort.postMessage({ type: 'done', summary: resourceLimits }); parentPort.close(); });\n",
    );
    const limits = await startUploadWorker(pathToFileURL(echo)).run(job([]), collect().logger);
    expect(limits).toMatchObject({ maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB });
  });

  it('runs nothing once cancelled', async () => {
    const worker = startUploadWorker(builtWorker());
    worker.cancel();
    await expect(worker.run(job([await pair('a', GOOD_MAP)]), collect().logger)).rejects.toMatchObject({
      code: 'upload_worker_failed',
      message: expect.stringMatching(/exited \(code \d+\) without a result/),
    });
  });
});
