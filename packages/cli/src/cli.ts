#!/usr/bin/env node
import { keepWasmOnBaselineTier } from '@hogmaps/core';
import { processIo } from './io';
import { commandNameOf, run } from './run';

const argv = process.argv.slice(2);
// This process is the CLI's own, so it may set V8's flags: undici's HTTP parser stays on the baseline
// tier instead of a recompile that costs an upload about 0.2 s of CPU and 30 MB (core's
// wasm-tiering.ts). Not for `serve`: its SQLite is WebAssembly on Node 20, and needs the fast tier.
if (commandNameOf(argv) !== 'serve') keepWasmOnBaselineTier();

// SIGINT / SIGTERM stop long-running commands (`hogmaps serve`) cleanly; a second one exits at once.
const controller = new AbortController();
const stop = () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

void run(argv, processIo(controller.signal)).then((code) => {
  process.exitCode = code;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
});
