import { parseArgs } from 'node:util';
import { createLogger, OptionsError } from '@hogmaps/core';
import type { RunningServer } from '../start';
import { startServer } from '../start';

export const DEFAULT_CLI_PORT = 8010;

export const USAGE = `Usage: hogmaps-server [options]

A local PostHog-compatible error-tracking server (releases, symbol sets, object storage, events),
with an error inbox in the browser at its URL.

Options:
  --port <n>        port to listen on (0 = any free port)      default ${DEFAULT_CLI_PORT}
  --host <host>     address to bind (not loopback: the inbox asks for the API key)  default 127.0.0.1
  --data-dir <dir>  database and uploaded files                default ./.hogmaps-data
  --api-key <key>   use this phx_ personal API key (else HOGMAPS_SERVER_API_KEY, else a stored random one)
  --quiet           log only unexpected errors
  --verbose         log every request
  -h, --help        show this help
`;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * Parses the command line and starts the server, printing where it listens and its credentials.
 * Returns the running server, or undefined after `--help`. Throws OptionsError on bad flags.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<RunningServer | undefined> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'api-key': { type: 'string' },
        quiet: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new OptionsError([{ path: 'argv', message: (error as Error).message }]);
  }
  if (values.help) {
    io.stdout(USAGE);
    return undefined;
  }
  const portText = (values.port as string | undefined) ?? String(DEFAULT_CLI_PORT);
  const port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
  if (Number.isNaN(port))
    throw new OptionsError([{ path: '--port', message: `expected a number, got "${portText}"` }]);
  const level = values.quiet ? 'error' : values.verbose ? 'debug' : 'info';
  const server = await startServer({
    port,
    host: values.host as string | undefined,
    dataDir: values['data-dir'] as string | undefined,
    apiKey: values['api-key'] as string | undefined,
    logger: createLogger({ prefix: '[hogmaps:server]', level, write: (line) => io.stderr(`${line}\n`) }),
  });
  io.stdout(
    [
      `hogmaps server listening on ${server.url}`,
      `  error inbox:       ${server.inboxUrl}${server.inboxLogin ? ' (log in with the personal API key)' : ''}`,
      `  project id:        ${server.projectId}`,
      `  personal API key:  ${server.apiKey}`,
      `  project token:     ${server.projectToken}`,
      `  data dir:          ${server.dataDir}`,
      '',
      `  POSTHOG_CLI_HOST=${server.url} POSTHOG_CLI_PROJECT_ID=${server.projectId} POSTHOG_CLI_API_KEY=${server.apiKey}`,
      '',
    ].join('\n'),
  );
  return server;
}
