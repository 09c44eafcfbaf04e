import { formatDuration, formatSummary, HogmapsError, type Options, type ReleaseJson } from '@hogmaps/core';
import type { OptionSpecs } from '../args';
import { createClient, resolveCliOptions } from '../connection';
import type { CommandContext, CommandGroup, CommandSpec } from '../context';
import { detectRelease, registerRelease, releaseLabel } from '../release';
import { deleteMapsAfterUpload } from '../sourcemap/delete-after';
import { findSourcePairs, plural, readRoots } from '../sourcemap/files';
import { injectPairs, readInjectedEntries } from '../sourcemap/inject-step';
import {
  dropEmptyMaps,
  OFFLINE_CLIENT,
  type UploadEntry,
  uploadEntries,
  uploadExitCode,
} from '../sourcemap/upload-step';

type Step = 'inject' | 'upload' | 'process';

const SELECTION: OptionSpecs = {
  directory: {
    type: 'string',
    short: 'd',
    multiple: true,
    aliases: ['file'],
    value: '<path>',
    description: 'a build output folder or a single file (repeatable; same as a positional argument)',
  },
  stdin: { type: 'boolean', description: 'also read paths from standard input, one per line' },
  include: {
    type: 'string',
    short: 'i',
    multiple: true,
    value: '<glob>',
    description: 'only JS files matching (repeatable)',
  },
  exclude: {
    type: 'string',
    short: 'e',
    multiple: true,
    aliases: ['ignore'],
    value: '<glob>',
    description: 'skip JS files matching (repeatable; node_modules is not skipped implicitly)',
  },
  'public-path-prefix': {
    type: 'string',
    short: 'p',
    value: '<prefix>',
    description: "the bundler's public path, stripped from sourceMappingURL to find maps",
  },
  'release-name': {
    type: 'string',
    aliases: ['project'],
    value: '<name>',
    description: 'release name (default: CI or git repository name, then package.json name)',
  },
  'release-version': {
    type: 'string',
    aliases: ['version'],
    value: '<version>',
    description: 'release version (default: CI or git commit SHA, then package.json version)',
  },
  build: { type: 'string', value: '<build>', description: 'build number, stored as <version>+<build>' },
  'release-mode': {
    type: 'string',
    value: '<mode>',
    description:
      'event (release id injected, sets uploaded unbound) or symbol-set (sets bound to the release)',
    env: 'POSTHOG_RELEASE_MODE',
    default: 'event',
  },
  'dry-run': {
    type: 'boolean',
    description: 'change no file and send nothing; report what would happen',
    env: 'POSTHOG_CLI_DRY_RUN',
  },
};

const UPLOADING: OptionSpecs = {
  'delete-after': {
    type: 'boolean',
    description: 'after a complete upload, delete the maps and their sourceMappingURL comments (JS and CSS)',
  },
  'batch-size': {
    type: 'string',
    value: '<n>',
    description: 'symbol sets per start/finish request',
    default: '50',
  },
  concurrency: {
    type: 'string',
    value: '<n>',
    description: 'parallel file uploads',
    env: 'POSTHOG_CLI_SOURCEMAP_UPLOAD_CONCURRENCY',
    default: '10',
  },
  force: {
    type: 'boolean',
    description: 'replace symbol sets stored with other content (default in event mode)',
  },
  'skip-on-conflict': { type: 'boolean', description: 'keep symbol sets stored with other content' },
};

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

function sourcemapOptions(context: CommandContext, step: Step): Options {
  const { args, io } = context;
  args.exclusive('force', 'skip-on-conflict');
  const uploading = step !== 'inject';
  const concurrencyEnv = {
    name: 'POSTHOG_CLI_SOURCEMAP_UPLOAD_CONCURRENCY',
    value: io.env.POSTHOG_CLI_SOURCEMAP_UPLOAD_CONCURRENCY,
  };
  return {
    dryRun: args.flag('dry-run') || isTruthy(io.env.POSTHOG_CLI_DRY_RUN),
    sourcemaps: {
      releaseName: args.string('release-name'),
      releaseVersion: args.string('release-version'),
      build: args.string('build'),
      releaseMode: args.choice('release-mode', ['event', 'symbol-set'] as const),
      // The CLI deletes only when asked (posthog-cli's --delete-after), unlike the plugins.
      deleteAfterUpload: false,
      ...(uploading ? { batchSize: args.integer('batch-size', { min: 1, max: 1000 }) } : {}),
    },
    ...(uploading
      ? {
          concurrency: args.integer('concurrency', { min: 1, max: 64 }, concurrencyEnv),
          force: args.flag('force') || undefined,
          skipOnConflict: args.flag('skip-on-conflict') || undefined,
        }
      : {}),
  };
}

async function runSourcemap(context: CommandContext, step: Step): Promise<number> {
  const { logger, args } = context;
  const started = Date.now();
  const options = resolveCliOptions(context, sourcemapOptions(context, step));
  for (const note of options.notes) logger[note.level](note.message);
  const roots = await readRoots(context);
  const { dryRun } = options;
  const mode = options.sourcemaps.releaseMode;
  // Uploading needs credentials (a dry run sends nothing); injecting works without them.
  const client = step !== 'inject' && !dryRun ? createClient(context, options) : undefined;
  const eventClient =
    step === 'inject' && mode === 'event' && options.credentials && !dryRun
      ? createClient(context, options)
      : undefined;
  const api = client ?? eventClient;
  try {
    const identity = detectRelease(context, options);
    const pairs = await findSourcePairs(context, roots);

    // Event mode puts the release id into snippets; symbol-set mode binds sets to it at upload.
    let release: ReleaseJson | undefined;
    const wantsRelease = mode === 'event' ? step !== 'upload' : step !== 'inject';
    if (identity && wantsRelease && api) {
      release = await registerRelease(api, identity);
      logger.info(`release ${releaseLabel(identity)} (${release.id})`);
    } else if (!identity && wantsRelease) {
      logger.warn(
        'no release found (no --release-name/--release-version, CI variables, .git or package.json): ' +
          (mode === 'event' ? 'injecting chunk ids only' : 'symbol sets are uploaded without a release'),
      );
    } else if (identity && wantsRelease && step === 'inject' && mode === 'event' && !dryRun) {
      logger.warn(
        `no PostHog credentials: release ${releaseLabel(identity)} is not registered, so only chunk ids are injected`,
      );
    }

    let entries: UploadEntry[];
    if (step === 'upload') {
      const found = await readInjectedEntries(context, pairs);
      if (found.missing.length > 0) throw missingChunkIds(found.missing);
      entries = found.entries;
    } else {
      const outcome = await injectPairs(context, pairs, {
        releaseId: mode === 'event' ? release?.id : undefined,
        releaseHashId: mode === 'symbol-set' ? identity?.hashId : undefined,
        dryRun,
      });
      const already = outcome.alreadyInjected > 0 ? `, ${outcome.alreadyInjected} already injected` : '';
      const skipped = outcome.skipped > 0 ? `, ${outcome.skipped} skipped` : '';
      logger.info(
        `${dryRun ? 'would inject' : 'injected'} chunk ids into ${outcome.injected} ${plural(outcome.injected, 'file')}${already}${skipped}` +
          (step === 'inject' ? ` in ${formatDuration(Date.now() - started)}` : ''),
      );
      if (outcome.entries.length === 0) {
        throw new HogmapsError('inject_failed', 'no file could be injected (see the warnings above)');
      }
      if (step === 'inject') return 0;
      entries = outcome.entries;
    }

    entries = await dropEmptyMaps(context, entries);
    const bindTo = mode === 'symbol-set' ? (release?.id ?? null) : null;
    const summary = await uploadEntries(context, client ?? OFFLINE_CLIENT, options, entries, bindTo);

    let mapsDeleted = 0;
    if (args.flag('delete-after')) {
      if (dryRun) logger.info(`dry run: would delete ${entries.length} source maps`);
      else if (summary.failed.length > 0) {
        logger.warn('source maps kept: --delete-after deletes them only after a complete upload');
      } else mapsDeleted = await deleteMapsAfterUpload(context, entries, roots);
    }
    logger.info(
      formatSummary({
        release: releaseLabel(identity),
        injected: entries.length,
        upload: summary,
        skippedBecause: undefined,
        mapsDeleted,
        durationMs: Date.now() - started,
      }),
    );
    return uploadExitCode(summary);
  } finally {
    await api?.close();
  }
}

function missingChunkIds(files: readonly string[]): HogmapsError {
  const shown = files.slice(0, 5).join(', ');
  const more = files.length > 5 ? ` and ${files.length - 5} more` : '';
  return new HogmapsError(
    'chunk_id_missing',
    `Chunk ID not found in ${shown}${more}. Run 'hogmaps sourcemap inject' before 'hogmaps sourcemap upload', or use 'hogmaps sourcemap process' to do both. Nothing was uploaded.`,
  );
}

const COMMON_DESCRIPTION =
  'Works on the output of any bundler: every .js, .mjs and .cjs file under the folders is paired with its map ' +
  '(its sourceMappingURL, else <file>.map). Files already injected, by hogmaps or by posthog-cli, are left alone.';

function command(step: Step, summary: string, extra: OptionSpecs, description: string[]): CommandSpec {
  return {
    name: `sourcemap ${step}`,
    summary,
    usage: [
      `sourcemap ${step} [options] <dir…>`,
      `sourcemap ${step} [options] --directory <dir> [--directory <dir>…]`,
    ],
    description: [...description, COMMON_DESCRIPTION],
    options: { ...SELECTION, ...extra },
    examples: [
      `hogmaps sourcemap ${step} dist`,
      `hogmaps sourcemap ${step} --directory .next/static --release-name web --release-version 1.4.0`,
    ],
    run: (context) => runSourcemap(context, step),
  };
}

export const sourcemapGroup: CommandGroup = {
  name: 'sourcemap',
  aliases: ['sourcemaps'],
  summary: 'inject chunk ids into built files and upload their source maps',
  commands: [
    command('inject', 'inject chunk ids into the JS files and rewrite their maps to match', {}, [
      'Adds the PostHog snippet and a //# chunkId= comment to each JS file with a map, and shifts the map so ' +
        'every original position still resolves. In event mode with credentials, the release is registered ' +
        'first and its id goes into the snippet.',
    ]),
    command('upload', 'upload the source maps of files injected before', UPLOADING, [
      'Every file with a map must carry a chunk id (run inject first, or use process); otherwise nothing is uploaded.',
    ]),
    command('process', 'inject, then upload, in one step', UPLOADING, [
      'The release is resolved once, the files are injected, then the same files are uploaded.',
    ]),
  ],
};
