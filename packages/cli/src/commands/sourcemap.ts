import { type Options, processDirectory } from '@hogmaps/core';
import type { OptionSpecs } from '../args';
import { createClient, resolveCliOptions } from '../connection';
import type { CommandContext, CommandGroup, CommandSpec } from '../context';
import { detectRelease } from '../release';
import { readRoots } from '../sourcemap/files';

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
    description: 'most symbol sets per start/finish request (the first has --concurrency)',
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
  const { logger, args, io } = context;
  const options = resolveCliOptions(context, sourcemapOptions(context, step));
  for (const note of options.notes) logger[note.level](note.message);
  const roots = await readRoots(context);
  const { dryRun } = options;
  // Uploading needs credentials (a dry run sends nothing); injecting works without them.
  const client = step !== 'inject' && !dryRun ? createClient(context, options) : undefined;
  const eventClient =
    step === 'inject' && options.sourcemaps.releaseMode === 'event' && options.credentials && !dryRun
      ? createClient(context, options)
      : undefined;
  const api = client ?? eventClient;
  try {
    const report = await processDirectory({
      roots,
      options,
      step,
      cwd: io.cwd,
      env: io.env,
      logger,
      find: {
        include: args.strings('include'),
        exclude: args.strings('exclude'),
        publicPathPrefix: args.string('public-path-prefix'),
      },
      release: detectRelease(context, options) ?? null,
      ...(api ? { client: api } : {}),
      deleteAfter: args.flag('delete-after'),
      withProgress: (label, task) =>
        context.withProgress(label, (progress) => task((event) => progress.update(event))),
    });
    // Exit code 1 when any symbol set failed.
    return report.upload && report.upload.failed.length > 0 ? 1 : 0;
  } finally {
    await api?.close();
  }
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
