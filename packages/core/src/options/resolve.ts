import path from 'node:path';
import { OptionsError } from '../errors';
import { LOG_LEVELS } from '../logger';
import { registerSecret } from '../secrets';
import { resolveCredentialParts } from './credentials';
import { createFileFilter } from './filter';
import { resolveHeaders, resolveHost, resolveProxy } from './network';
import { resolveConflictPolicy, resolveSourcemaps } from './sourcemaps';
import type { Compression, OptionNote, Options, ResolvedOptions, UploadThread } from './types';
import {
  checkUnknownKeys,
  createIssues,
  type Issues,
  isPlainObject,
  readBoolean,
  readEnum,
  readInteger,
} from './validate';

export const DEFAULT_MANIFEST_FILE = 'hogmaps-manifest.json';

const COMPRESSIONS: readonly Compression[] = ['auto', 'zstd', 'none'];
const UPLOAD_THREADS: readonly UploadThread[] = ['auto', 'worker', 'main'];

// One entry per option; `satisfies` makes a missing or extra key a compile error.
const OPTION_KEY_SET = {
  enabled: true,
  personalApiKey: true,
  projectId: true,
  envId: true,
  host: true,
  logLevel: true,
  cliBinaryPath: true,
  sourcemaps: true,
  failOnError: true,
  concurrency: true,
  timeout: true,
  requestTimeout: true,
  uploadTimeout: true,
  uploadThread: true,
  retries: true,
  proxy: true,
  headers: true,
  include: true,
  exclude: true,
  dryRun: true,
  manifest: true,
  uploadInWatchMode: true,
  skipOnConflict: true,
  force: true,
  compression: true,
} satisfies Record<keyof Options, true>;
const OPTION_KEYS = Object.keys(OPTION_KEY_SET);

// Options that live in `sourcemaps`, and the spellings of PostHog's CLI and other vendors' plugins.
const OPTION_HINTS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    ['releaseName', 'releaseVersion', 'build', 'deleteAfterUpload', 'batchSize', 'releaseMode'].map((key) => [
      key,
      `sourcemaps.${key}`,
    ]),
  ),
  project: 'projectId, or sourcemaps.releaseName',
  version: 'sourcemaps.releaseVersion',
  apiKey: 'personalApiKey',
  authToken: 'personalApiKey',
  token: 'personalApiKey',
  environmentId: 'projectId',
  url: 'host',
  apiHost: 'host',
  api_host: 'host',
  apiUrl: 'host',
  debug: "logLevel: 'debug'",
  verbose: "logLevel: 'debug'",
  silent: "logLevel: 'silent'",
  disabled: 'enabled: false',
  disable: 'enabled: false',
  ignore: 'exclude',
  bailOnError: 'failOnError',
  errorHandler: 'failOnError',
  maxConcurrency: 'concurrency',
};

/**
 * Resolves user options once into a complete, frozen ResolvedOptions: explicit option, then
 * environment, then default. Every problem is collected and thrown as one OptionsError. Missing
 * credentials are not a problem: `credentials` is undefined and the plugin injects only.
 */
export function resolveOptions(
  userOptions: Options | undefined,
  env: NodeJS.ProcessEnv = process.env,
  context?: { cwd?: string },
): ResolvedOptions {
  const issues = createIssues();
  const notes: OptionNote[] = [];
  const secrets = new Set<string>();

  let input: Record<string, unknown> = {};
  if (isPlainObject(userOptions)) input = userOptions;
  else if (userOptions !== undefined) issues.expected('options', 'an object', userOptions);
  checkUnknownKeys(issues, input, OPTION_KEYS, '', OPTION_HINTS);

  const parts = resolveCredentialParts(issues, input, env, notes, secrets);
  const host = resolveHost(issues, input.host, env);
  const { sourcemaps, release } = resolveSourcemaps(issues, input.sourcemaps, env, notes);
  const proxy = resolveProxy(issues, input.proxy, host, env, notes, secrets);
  if (input.cliBinaryPath !== undefined) {
    notes.push({ level: 'debug', message: 'cliBinaryPath is ignored: hogmaps needs no native binary' });
  }
  const missingCredentials = [
    ...(parts.apiKey ? [] : ['personalApiKey' as const]),
    ...(parts.projectId ? [] : ['projectId' as const]),
  ];

  const resolved: ResolvedOptions = {
    enabled: readBoolean(issues, 'enabled', input.enabled, true),
    credentials:
      parts.apiKey && parts.projectId ? { apiKey: parts.apiKey, projectId: parts.projectId } : undefined,
    missingCredentials,
    apiKeySource: parts.apiKeySource,
    projectIdSource: parts.projectIdSource,
    host,
    logLevel: readEnum(issues, 'logLevel', input.logLevel, LOG_LEVELS, 'info'),
    sourcemaps,
    release,
    failOnError: readBoolean(issues, 'failOnError', input.failOnError, false),
    concurrency: readInteger(issues, 'concurrency', input.concurrency, { min: 1, max: 64, fallback: 10 }),
    // Upper bound: setTimeout fires at once beyond 2^31-1 ms.
    timeout: readInteger(issues, 'timeout', input.timeout, { min: 1, max: 2 ** 31 - 1, fallback: 30_000 }),
    requestTimeout: readInteger(issues, 'requestTimeout', input.requestTimeout, {
      min: 1,
      max: 2 ** 31 - 1,
      fallback: 300_000,
    }),
    uploadTimeout: readInteger(issues, 'uploadTimeout', input.uploadTimeout, {
      min: 1,
      max: 2 ** 31 - 1,
      fallback: 600_000,
    }),
    uploadThread: readEnum(issues, 'uploadThread', input.uploadThread, UPLOAD_THREADS, 'auto'),
    retries: readInteger(issues, 'retries', input.retries, { min: 0, max: 10, fallback: 2 }),
    proxy: proxy.proxy,
    proxyFor: proxy.proxyFor,
    headers: resolveHeaders(issues, input.headers, secrets),
    filter: createFileFilter(issues, input.include, input.exclude),
    filtersFiles: input.include !== undefined || input.exclude !== undefined,
    dryRun: readBoolean(issues, 'dryRun', input.dryRun, false),
    manifest: resolveManifest(issues, input.manifest),
    uploadInWatchMode: readBoolean(issues, 'uploadInWatchMode', input.uploadInWatchMode, false),
    ...resolveConflictPolicy(issues, input),
    compression: readEnum(issues, 'compression', input.compression, COMPRESSIONS, 'auto'),
    cwd: path.resolve(context?.cwd ?? process.cwd()),
    notes,
  };

  // From now on no message, log line or error of this process can echo them.
  for (const secret of secrets) registerSecret(secret, /^ph[a-z]_/.test(secret) ? 'api-key' : 'other');
  if (issues.list.length > 0) throw new OptionsError(issues.list);
  return deepFreeze(resolved);
}

function resolveManifest(issues: Issues, value: unknown): ResolvedOptions['manifest'] {
  if (value === undefined || value === true) return { enabled: true, fileName: DEFAULT_MANIFEST_FILE };
  if (value === false) return { enabled: false, fileName: DEFAULT_MANIFEST_FILE };
  if (typeof value === 'string') {
    const fileName = value.trim();
    if (fileName === '') return { enabled: true, fileName: DEFAULT_MANIFEST_FILE };
    if (/[\\/]$/.test(fileName))
      issues.add('manifest', `expected a file name, got a directory ("${fileName}")`);
    return { enabled: true, fileName };
  }
  issues.expected('manifest', 'true, false or a file name', value);
  return { enabled: true, fileName: DEFAULT_MANIFEST_FILE };
}

function deepFreeze<T>(value: T): T {
  if (Array.isArray(value) || isPlainObject(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
