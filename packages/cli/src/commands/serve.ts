import { createServer } from 'node:net';
import path from 'node:path';
import { createLogger, HogmapsError } from '@hogmaps/core';
import { UsageError } from '../args';
import type { CommandContext, CommandSpec } from '../context';
import { CLI_VERSION } from '../version';

const DEFAULT_PORT = 8010;
const DEFAULT_BIND = '127.0.0.1';

/**
 * The address to listen on comes from `--bind` only. `--host` is the global PostHog URL (also given
 * before the command, `hogmaps --host <url> serve`), which the server has no use for: it is never
 * taken as an address. A bare address after `--host` is the old spelling, so say what to use.
 */
function bindAddress(context: CommandContext): string {
  const host = context.args.string('host');
  if (host !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    throw new UsageError(
      `--host is the PostHog URL, not the address to listen on; use --bind ${host}`,
      context.command.name,
    );
  }
  return context.args.string('bind') ?? DEFAULT_BIND;
}

function portInUse(host: string, port: number): HogmapsError {
  return new HogmapsError(
    'port_in_use',
    `port ${port} on ${host} is already in use (another hogmaps serve?): pick another with --port <n>, ` +
      'or --port 0 for any free port. Nothing was started or created.',
  );
}

/**
 * Fails before the server creates its data folder when the port is taken: a busy port must leave
 * nothing behind. (Whoever takes the port in between still gets the same message from the server.)
 */
async function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? portInUse(host, port) : error),
    );
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

const SERVER_PACKAGE = '@hogmaps/server';

/** The command that adds a dev dependency with the package manager that runs us (npm by default). */
function addCommand(env: NodeJS.ProcessEnv, spec: string): string {
  const manager = /^(pnpm|yarn|bun)\//.exec(env.npm_config_user_agent ?? '')?.[1];
  return manager ? `${manager} add -D ${spec}` : `npm install --save-dev ${spec}`;
}

/**
 * The server is an optional peer of the CLI (only `serve` needs it, and the other commands stay
 * lean), so it is imported here, on demand. Its absence is a setup step to name, not a crash.
 */
async function loadServer(env: NodeJS.ProcessEnv): Promise<typeof import('@hogmaps/server')> {
  try {
    return await import('@hogmaps/server');
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const missing =
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      typeof message === 'string' &&
      message.includes(`'${SERVER_PACKAGE}'`);
    if (!missing) throw error;
    const spec = `${SERVER_PACKAGE}@${CLI_VERSION}`;
    throw new HogmapsError(
      'server_not_installed',
      [
        `hogmaps serve runs the local server, a separate package that is not installed: ${SERVER_PACKAGE}.`,
        `  Install it next to the CLI:  ${addCommand(env, spec)}`,
        `  or run it without installing:  npx -p @hogmaps/cli@${CLI_VERSION} -p ${spec} hogmaps serve`,
      ].join('\n'),
      { cause: error },
    );
  }
}

async function serve(context: CommandContext): Promise<number> {
  const { args, io, logger } = context;
  args.positionals(0, 0, '');
  const port = args.integer('port', { min: 0, max: 65535 }) ?? DEFAULT_PORT;
  const host = bindAddress(context);
  // A missing server is said first: it is the setup step, whatever the port.
  const { startServer } = await loadServer(io.env);
  await checkPortFree(host, port);
  const server = await startServer({
    port,
    host,
    dataDir: path.resolve(io.cwd, args.string('data-dir') ?? '.hogmaps-data'),
    ...(args.string('api-key') ? { apiKey: args.string('api-key') } : {}),
    logger: createLogger({
      prefix: '[hogmaps:server]',
      level: logger.level,
      write: (line) => io.stderr.write(`${line}\n`),
    }),
  });
  context.print(
    [
      `hogmaps server listening on ${server.url}`,
      `  error inbox:       ${server.inboxUrl}${server.inboxLogin ? ' (log in with the personal API key)' : ''}`,
      `  project id:        ${server.projectId}`,
      `  personal API key:  ${server.apiKey}`,
      `  project token:     ${server.projectToken}`,
      `  data dir:          ${server.dataDir}`,
      `  database:          ${server.sqlite} (Node ${process.versions.node})`,
      '',
      'Point hogmaps (or posthog-cli) at it:',
      `  export POSTHOG_CLI_HOST=${server.url} POSTHOG_CLI_PROJECT_ID=${server.projectId} POSTHOG_CLI_API_KEY=${server.apiKey}`,
      '',
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) return resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  logger.info('server stopped');
  return 0;
}

export const serveCommand: CommandSpec = {
  name: 'serve',
  summary: 'run the local PostHog-compatible error-tracking server',
  usage: ['serve [--port <n>] [--bind <address>] [--data-dir <dir>] [--api-key <phx_…>]'],
  description: [
    'Implements the releases and symbol-sets API, object storage for uploads, event capture for the PostHog SDKs, ' +
      'and symbolication of captured exceptions, on one machine with no PostHog account, with an error inbox in the ' +
      'browser at its URL (on an address other than loopback, the inbox asks for the personal API key). It prints its project id ' +
      'and API key; data persists in the data folder between runs. Stops on Ctrl+C (SIGINT) or SIGTERM. ' +
      'Needs @hogmaps/server installed next to the CLI (an optional peer dependency, so the other commands ' +
      'install without it): npm install --save-dev @hogmaps/server.',
  ],
  options: {
    port: {
      type: 'string',
      value: '<n>',
      description: 'port to listen on (0: any free port)',
      default: String(DEFAULT_PORT),
    },
    bind: {
      type: 'string',
      value: '<address>',
      description:
        'address to listen on (0.0.0.0: every interface; the inbox then needs a login); the global --host is not used',
      default: DEFAULT_BIND,
    },
    'data-dir': {
      type: 'string',
      value: '<dir>',
      description: 'database and uploaded files',
      default: './.hogmaps-data',
    },
    'api-key': {
      type: 'string',
      value: '<phx_…>',
      description: 'use this personal API key (else HOGMAPS_SERVER_API_KEY, else a stored random one)',
    },
  },
  examples: ['hogmaps serve', 'hogmaps serve --port 0 --data-dir /tmp/hogmaps'],
  run: serve,
};
