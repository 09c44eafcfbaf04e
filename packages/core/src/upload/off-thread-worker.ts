// The worker side of off-thread.ts: one upload, from the first message's job (the worker may start
// before the job is known), its log lines and its result posted back. Built as an entry of its own
// (dist/upload/off-thread-worker.js).

import { parentPort } from 'node:worker_threads';
import { createPostHogClient } from '../api/client';
import { errorMessage, HogmapsError } from '../errors';
import { type Logger, type LogLevel, logsAt } from '../logger';
import type { OffThreadJob, OffThreadMessage } from './off-thread';
import { uploadInputsFrom } from './path-inputs';
import { uploadSymbolSets } from './pipeline';

function post(message: OffThreadMessage): void {
  parentPort?.postMessage(message);
}

/** Lines at or above the caller's level, posted as they come (the caller's logger masks and prints). */
function forwardingLogger(level: LogLevel): Logger {
  const line = (at: Exclude<LogLevel, 'silent'>) => (message: string) => {
    if (logsAt(level, at)) post({ type: 'log', level: at, message });
  };
  const logger: Logger = {
    level,
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: () => logger,
  };
  return logger;
}

async function run(job: OffThreadJob): Promise<void> {
  const logger = forwardingLogger(job.logLevel);
  const client = createPostHogClient({ ...job.client, logger });
  try {
    const summary = await uploadSymbolSets(client, uploadInputsFrom(job.inputs), { ...job.options, logger });
    post({ type: 'done', summary });
  } finally {
    await client.close();
  }
}

// One job: once it has come, nothing else listens, and the worker ends when the upload has.
parentPort?.once('message', (job: OffThreadJob) => {
  run(job).catch((error: unknown) => {
    const code = error instanceof HogmapsError ? error.code : 'upload_failed';
    post({ type: 'error', code, message: errorMessage(error) });
  });
});
