import { RELEASE_MODE_ENV, readEnv } from './env';
import type { OptionNote, ReleaseInjection, ReleaseMode, ResolvedOptions, SourcemapsOptions } from './types';
import {
  checkUnknownKeys,
  type Issues,
  isPlainObject,
  readBoolean,
  readEnum,
  readInteger,
  readString,
} from './validate';

export const RELEASE_MODES: readonly ReleaseMode[] = ['symbol-set', 'event'];
export const RELEASE_INJECTIONS: readonly ReleaseInjection[] = [
  'entries',
  'entry-chunks',
  'startup-chunks',
  'every-chunk',
];

const SOURCEMAPS_KEYS = Object.keys({
  enabled: true,
  releaseName: true,
  project: true,
  releaseVersion: true,
  version: true,
  build: true,
  deleteAfterUpload: true,
  batchSize: true,
  releaseMode: true,
  releaseInjection: true,
} satisfies Record<keyof SourcemapsOptions, true>);

// Top-level options put in `sourcemaps`, and other likely spellings.
const SOURCEMAPS_HINTS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    [
      'concurrency',
      'include',
      'exclude',
      'dryRun',
      'force',
      'skipOnConflict',
      'compression',
      'manifest',
      'failOnError',
      'uploadInWatchMode',
      'timeout',
      'requestTimeout',
      'uploadTimeout',
      'retries',
    ].map((key) => [key, `${key} at the top level`]),
  ),
  name: 'sourcemaps.releaseName',
  release: 'sourcemaps.releaseVersion',
  mode: 'sourcemaps.releaseMode',
};

type Resolved = Pick<ResolvedOptions, 'sourcemaps' | 'release'>;

/** The `sourcemaps` block, PostHog's aliases included; the release mode falls back to the env. */
export function resolveSourcemaps(
  issues: Issues,
  value: unknown,
  env: NodeJS.ProcessEnv,
  notes: OptionNote[],
): Resolved {
  let input: Record<string, unknown> = {};
  if (isPlainObject(value)) input = value;
  else if (value !== undefined) issues.expected('sourcemaps', 'an object', value);
  checkUnknownKeys(issues, input, SOURCEMAPS_KEYS, 'sourcemaps.', SOURCEMAPS_HINTS);

  return {
    sourcemaps: {
      enabled: readBoolean(issues, 'sourcemaps.enabled', input.enabled, true),
      deleteAfterUpload: readBoolean(issues, 'sourcemaps.deleteAfterUpload', input.deleteAfterUpload, true),
      batchSize: readInteger(issues, 'sourcemaps.batchSize', input.batchSize, {
        min: 1,
        max: 1000,
        fallback: 50,
      }),
      releaseMode: resolveReleaseMode(issues, input.releaseMode, env, notes),
      releaseInjection: readEnum(
        issues,
        'sourcemaps.releaseInjection',
        input.releaseInjection,
        RELEASE_INJECTIONS,
        'entries',
      ),
    },
    release: {
      name: readAliased(issues, input, 'releaseName', 'project', notes),
      version: readAliased(issues, input, 'releaseVersion', 'version', notes),
      build: readBuild(issues, input.build),
    },
  };
}

function resolveReleaseMode(
  issues: Issues,
  option: unknown,
  env: NodeJS.ProcessEnv,
  notes: OptionNote[],
): ReleaseMode {
  if (option !== undefined) return readEnum(issues, 'sourcemaps.releaseMode', option, RELEASE_MODES, 'event');
  const fromEnv = readEnv(env, RELEASE_MODE_ENV);
  if (!fromEnv) return 'event';
  const mode = readEnum(
    issues,
    'sourcemaps.releaseMode',
    fromEnv.value,
    RELEASE_MODES,
    'event',
    ` (from ${RELEASE_MODE_ENV})`,
  );
  notes.push({ level: 'debug', message: `release mode ${mode} from ${RELEASE_MODE_ENV}` });
  return mode;
}

/** PostHog's plugins accept an older spelling; both set to different values is a mistake. */
function readAliased(
  issues: Issues,
  input: Record<string, unknown>,
  name: 'releaseName' | 'releaseVersion',
  alias: 'project' | 'version',
  notes: OptionNote[],
): string | undefined {
  const value = readString(issues, `sourcemaps.${name}`, input[name]);
  const aliased = readString(issues, `sourcemaps.${alias}`, input[alias]);
  if (aliased === undefined) return value;
  if (value !== undefined && value !== aliased) {
    issues.add(`sourcemaps.${alias}`, `conflicts with sourcemaps.${name}; set only sourcemaps.${name}`);
    return value;
  }
  notes.push({
    level: 'debug',
    message: `sourcemaps.${alias} is PostHog's older name for sourcemaps.${name}`,
  });
  return aliased;
}

function readBuild(issues: Issues, value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return String(value);
    issues.expected('sourcemaps.build', 'a string or a finite number', value);
    return undefined;
  }
  if (value !== undefined && typeof value !== 'string') {
    issues.expected('sourcemaps.build', 'a string or a number', value);
    return undefined;
  }
  return readString(issues, 'sourcemaps.build', value);
}

/**
 * `force` and `skipOnConflict` exclude each other. `force` defaults to true unless `skipOnConflict` is
 * set: hogmaps' chunk ids are content-derived in both release modes (PostHog's CLI mints random ones in
 * symbol-set mode), so a stored set with other content under the same id is the same code with another
 * map (a rebuild elsewhere, with machine-specific paths), and the newer map replaces it rather than
 * failing the chunk with `content_hash_mismatch` or keeping the stale map.
 */
export function resolveConflictPolicy(
  issues: Issues,
  input: { force?: unknown; skipOnConflict?: unknown },
): { force: boolean; skipOnConflict: boolean } {
  const skipOnConflict = readBoolean(issues, 'skipOnConflict', input.skipOnConflict, false);
  const force = input.force === undefined ? undefined : readBoolean(issues, 'force', input.force, false);
  if (force === true && skipOnConflict) {
    issues.add('force', 'cannot be combined with skipOnConflict: true; choose one');
    return { force: false, skipOnConflict: true };
  }
  return { force: force ?? !skipOnConflict, skipOnConflict };
}
