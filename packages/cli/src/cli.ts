#!/usr/bin/env node
import { processIo } from './io';
import { run } from './run';

// SIGINT / SIGTERM stop long-running commands (`hogmaps serve`) cleanly; a second one exits at once.
const controller = new AbortController();
const stop = () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

void run(process.argv.slice(2), processIo(controller.signal)).then((code) => {
  process.exitCode = code;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
});
