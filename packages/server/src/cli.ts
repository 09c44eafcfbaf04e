#!/usr/bin/env node
import { errorMessage, OptionsError } from '@hogmaps/core';
import { runCli, USAGE } from './cli/run';

const io = {
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
};

async function main(): Promise<void> {
  const server = await runCli(process.argv.slice(2), io);
  if (!server) return;
  const stop = () => {
    void server.close().then(() => process.exit(0)); // exit once the database is closed
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  io.stderr(`[hogmaps:server] error: ${errorMessage(error)}\n`);
  if (error instanceof OptionsError) io.stderr(`\n${USAGE}`);
  process.exitCode = 1;
});
