import {
  ApiError,
  type ApiKeySource,
  type Credentials,
  createClientFromOptions,
  type Options,
  OptionsError,
  type PostHogClient,
  type ResolvedOptions,
  resolveOptions,
} from '@hogmaps/core';
import { UsageError } from './args';
import type { CommandContext } from './context';
import { CLI_VERSION } from './version';

// Core names options as a plugin user writes them; the CLI user knows the flags.
const FLAG_FOR_OPTION: Readonly<Record<string, string>> = {
  personalApiKey: 'API key (--api-key)',
  projectId: '--project-id',
  host: '--host',
  logLevel: '--log-level',
  concurrency: '--concurrency',
  force: '--force',
  skipOnConflict: '--skip-on-conflict',
  dryRun: '--dry-run',
  'sourcemaps.batchSize': '--batch-size',
  'sourcemaps.releaseMode': '--release-mode',
  'sourcemaps.releaseName': '--release-name',
  'sourcemaps.releaseVersion': '--release-version',
  'sourcemaps.build': '--build',
};

/**
 * The global flags (`--host`, `--project-id`, `--api-key`) plus a command's own settings, resolved by
 * core's resolveOptions with the usual environment fallbacks. Invalid values are a usage error
 * naming the flag or variable.
 */
export function resolveCliOptions(context: CommandContext, options: Options = {}): ResolvedOptions {
  const { args, io } = context;
  const input: Options = {
    personalApiKey: args.string('api-key'),
    projectId: args.string('project-id'),
    host: args.string('host'),
    logLevel: context.logger.level,
    // A CLI reports failures through its exit code (and --no-fail); it never half-succeeds silently.
    failOnError: true,
    manifest: false,
    ...options,
  };
  try {
    const resolved = resolveOptions(input, io.env, { cwd: io.cwd });
    context.state.apiKeySource = resolved.apiKeySource;
    return resolved;
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    const lines = error.issues.map(
      (issue) => `  ${FLAG_FOR_OPTION[issue.path] ?? issue.path}: ${issue.message}`,
    );
    throw new UsageError(`invalid settings:\n${lines.join('\n')}`, context.command.name);
  }
}

/** The credentials, or a usage error saying exactly what to set. */
export function requireCredentials(context: CommandContext, options: ResolvedOptions): Credentials {
  if (options.credentials) return options.credentials;
  const missing = options.missingCredentials.map((name) =>
    name === 'personalApiKey'
      ? 'a personal API key (POSTHOG_CLI_API_KEY or --api-key, phx_…)'
      : 'a project id (POSTHOG_CLI_PROJECT_ID or --project-id)',
  );
  throw new UsageError(`no PostHog credentials: set ${missing.join(' and ')}`, context.command.name);
}

export function createClient(context: CommandContext, options: ResolvedOptions): PostHogClient {
  requireCredentials(context, options);
  return createClientFromOptions(options, {
    userAgent: `@hogmaps/cli/${CLI_VERSION}`,
    logger: context.logger,
  });
}

/** Runs `task` with a client and always closes it. */
export async function withClient<T>(
  context: CommandContext,
  options: ResolvedOptions,
  task: (client: PostHogClient) => Promise<T>,
): Promise<T> {
  const client = createClient(context, options);
  try {
    return await task(client);
  } finally {
    await client.close();
  }
}

/** A failure explained for a person: what went wrong and what to check. */
export function describeFailure(error: unknown, keySource: ApiKeySource | undefined): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const detail = error.detail ? `: ${error.detail}` : '';
  const where = new URL(error.url).origin;
  const keyFrom = keySource === 'personalApiKey' ? '--api-key' : (keySource ?? 'the API key');
  switch (error.status) {
    case 0:
      return `cannot reach ${where} (${error.message}); check --host / POSTHOG_CLI_HOST and the network`;
    case 401:
      return `${where} rejected the API key (HTTP 401${detail}). Check the key in ${keyFrom}: it must be a valid personal API key (phx_…) with the error_tracking:write scope`;
    case 403:
      return `permission denied by ${where} (HTTP 403${detail}). The API key needs the error_tracking:write scope and access to this project`;
    default:
      return error.message;
  }
}
