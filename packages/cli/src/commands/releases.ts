import { packVersion, type ReleaseJson } from '@hogmaps/core';
import { type OptionSpecs, UsageError } from '../args';
import { resolveCliOptions, withClient } from '../connection';
import { type CommandContext, type CommandGroup, groupCommand } from '../context';
import { detectRelease, registerRelease } from '../release';
import { renderFields, renderTable, shortDate } from '../table';
import { JSON_OPTION, LIST_OPTIONS, listWith, orNotFound, parseJsonObject } from './listing';

const IDENTITY: OptionSpecs = {
  'release-name': { type: 'string', aliases: ['project'], value: '<name>', description: 'release name' },
  'release-version': {
    type: 'string',
    aliases: ['version'],
    value: '<version>',
    description: 'release version',
  },
  build: { type: 'string', value: '<build>', description: 'build number, stored as <version>+<build>' },
};

const EDITABLE: OptionSpecs = {
  ...IDENTITY,
  'hash-id': {
    type: 'string',
    value: '<hash>',
    description: 'the lookup hash (default: SHA-512 of name and version)',
  },
  metadata: { type: 'string', value: '<json>', description: 'metadata as a JSON object' },
};

function commit(release: ReleaseJson): string | undefined {
  const git = release.metadata?.git as { commit_id?: unknown } | undefined;
  return typeof git?.commit_id === 'string' ? git.commit_id.slice(0, 12) : undefined;
}

function printRelease(context: CommandContext, release: ReleaseJson): void {
  if (context.args.flag('json')) {
    context.printJson(release);
    return;
  }
  const git = (release.metadata?.git ?? {}) as Record<string, unknown>;
  context.print(
    renderFields([
      ['id', release.id],
      ['name', release.project],
      ['version', release.version],
      ['hash id', release.hash_id],
      ['created', shortDate(release.created_at)],
      ['commit', git.commit_id as string | undefined],
      ['branch', git.branch as string | undefined],
      ['repository', (git.remote_url ?? git.repo_name) as string | undefined],
    ]),
  );
}

function connect(context: CommandContext) {
  const options = resolveCliOptions(context);
  return <T>(task: Parameters<typeof withClient<T>>[2]) => withClient(context, options, task);
}

function oneId(context: CommandContext): string {
  return context.args.positionals(1, 1, 'the release id')[0]!;
}

async function list(context: CommandContext): Promise<number> {
  const rows = await connect(context)((client) =>
    listWith(
      context,
      'releases',
      (query) => client.releases.listPage(query),
      () => client.releases.list(),
    ),
  );
  if (context.args.flag('json')) context.printJson(rows);
  else if (rows.length === 0) context.logger.info('no releases');
  else {
    context.print(
      renderTable<ReleaseJson>(
        [
          { header: 'ID', value: (row) => row.id },
          { header: 'NAME', value: (row) => row.project },
          { header: 'VERSION', value: (row) => row.version },
          { header: 'COMMIT', value: commit },
          { header: 'CREATED', value: (row) => shortDate(row.created_at) },
        ],
        rows,
      ),
    );
  }
  return 0;
}

async function get(context: CommandContext): Promise<number> {
  const hash = context.args.string('hash');
  const id = hash === undefined ? oneId(context) : undefined;
  if (hash !== undefined) context.args.positionals(0, 0, '');
  const release = await connect(context)(async (client) => {
    if (id !== undefined) return orNotFound('release', id, () => client.releases.get(id));
    const found = await client.releases.getByHash(hash!);
    if (!found) throw new UsageError(`no release has hash id ${hash}`, context.command.name);
    return found;
  });
  printRelease(context, release);
  return 0;
}

/** `--release-name`, `--release-version`, `--build`, resolved with the usual environment fallbacks. */
function resolveReleaseFlags(context: CommandContext) {
  const { args } = context;
  return resolveCliOptions(context, {
    sourcemaps: {
      releaseName: args.string('release-name'),
      releaseVersion: args.string('release-version'),
      build: args.string('build'),
    },
  });
}

async function create(context: CommandContext): Promise<number> {
  const { args } = context;
  args.positionals(0, 0, '');
  const options = resolveReleaseFlags(context);
  const identity = detectRelease(context, options);
  if (!identity) {
    throw new UsageError(
      'no release name and version: pass --release-name and --release-version (nothing found in CI variables, .git or package.json)',
      context.command.name,
    );
  }
  const metadata = parseJsonObject(context, 'metadata') ?? identity.metadata;
  const release = await withClient(context, options, (client) =>
    client.releases.create({
      project: identity.name,
      version: identity.version,
      hash_id: args.string('hash-id') ?? identity.hashId,
      ...(metadata ? { metadata } : {}),
    }),
  );
  printRelease(context, release);
  return 0;
}

async function update(context: CommandContext): Promise<number> {
  const { args } = context;
  const id = oneId(context);
  const version = args.string('release-version');
  const build = args.string('build');
  if (build !== undefined && version === undefined) {
    throw new UsageError('--build needs --release-version (they are stored together)', context.command.name);
  }
  const body = {
    ...(args.string('release-name') ? { project: args.string('release-name') } : {}),
    ...(version ? { version: packVersion(version, build) } : {}),
    ...(args.string('hash-id') ? { hash_id: args.string('hash-id') } : {}),
    ...(args.string('metadata') ? { metadata: parseJsonObject(context, 'metadata') } : {}),
  };
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      'nothing to change: pass --release-name, --release-version, --hash-id or --metadata',
      context.command.name,
    );
  }
  const release = await connect(context)(async (client) => {
    await orNotFound('release', id, () => client.releases.partialUpdate(id, body));
    return client.releases.get(id);
  });
  printRelease(context, release);
  return 0;
}

async function remove(context: CommandContext): Promise<number> {
  const id = oneId(context);
  await connect(context)((client) => orNotFound('release', id, () => client.releases.delete(id)));
  if (context.args.flag('json')) context.printJson({ deleted: id });
  else context.print(`deleted release ${id}`);
  return 0;
}

/** posthog-cli's `release resolve`: the id of this build's release, created when missing. */
async function resolve(context: CommandContext): Promise<number> {
  const { args } = context;
  args.positionals(0, 0, '');
  const options = resolveReleaseFlags(context);
  const identity = detectRelease(context, options);
  if (!identity) {
    context.logger.info('no release could be identified (no flags, CI variables, .git or package.json)');
    return 0;
  }
  const release = await withClient(context, options, (client) => registerRelease(client, identity));
  if (args.flag('json')) context.printJson(release);
  else context.print(release.id);
  return 0;
}

const spec = groupCommand('releases');

export const releasesGroup: CommandGroup = {
  name: 'releases',
  aliases: ['release'],
  summary: 'list, inspect, create, change and delete releases',
  commands: [
    spec(
      'list',
      'list releases, newest first',
      'list [--limit <n>] [--offset <n>] [--all] [--json]',
      LIST_OPTIONS,
      list,
    ),
    spec(
      'get',
      'show one release',
      'get <id> | --hash <hash-id> [--json]',
      {
        hash: { type: 'string', value: '<hash-id>', description: 'look the release up by its hash id' },
        ...JSON_OPTION,
      },
      get,
    ),
    spec(
      'create',
      'create a release',
      'create [--release-name <name>] [--release-version <version>] [options]',
      { ...EDITABLE, ...JSON_OPTION },
      create,
      [
        'Name and version default to what the build plugins detect: CI variables, then .git, then package.json.',
      ],
    ),
    spec(
      'update',
      'change fields of a release',
      'update <id> [--release-name <name>] [--release-version <version>] [--hash-id <hash>] [--metadata <json>]',
      { ...EDITABLE, ...JSON_OPTION },
      update,
    ),
    spec('delete', 'delete a release', 'delete <id>', JSON_OPTION, remove),
    spec(
      'resolve',
      "print the id of this build's release, creating it when missing",
      'resolve [--release-name <name>] [--release-version <version>] [--build <build>] [--json]',
      { ...IDENTITY, ...JSON_OPTION },
      resolve,
      [
        'As posthog-cli release resolve: prints only the UUID (the whole release with --json), and prints nothing when no release can be identified.',
      ],
    ),
  ],
};
