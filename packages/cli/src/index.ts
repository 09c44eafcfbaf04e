// The public API of @hogmaps/cli: explicit named re-exports only. The `hogmaps` binary is cli.ts.
export { EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE, UsageError } from './args';
export type { CliIo, OutputStream } from './io';
export { COMMANDS, run } from './run';
export { CLI_VERSION } from './version';
