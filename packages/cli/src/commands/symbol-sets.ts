import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  decodeSymbolSet,
  formatBytes,
  isValidChunkId,
  type PostHogClient,
  type SymbolSetJson,
  toSafeFileName,
} from '@hogmaps/core';
import { type OptionSpecs, UsageError } from '../args';
import { resolveCliOptions, withClient } from '../connection';
import { type CommandContext, type CommandGroup, groupCommand } from '../context';
import { renderFields, renderTable, shortDate } from '../table';
import { JSON_OPTION, LIST_OPTIONS, listWith, orNotFound, parseJsonObject } from './listing';

const ORDERS = ['created_at', '-created_at', 'ref', '-ref', 'last_used', '-last_used'] as const;
const STATUSES = ['all', 'valid', 'invalid'] as const;

const BY_REF: OptionSpecs = {
  ref: {
    type: 'string',
    value: '<chunk-id>',
    description: 'find the symbol set by its chunk id instead of its id',
  },
};

function uploaded(set: SymbolSetJson): boolean {
  return set.has_uploaded_file ?? Boolean(set.storage_ptr);
}

function releaseOf(set: SymbolSetJson): string | undefined {
  return set.release ? `${set.release.project}@${set.release.version}` : undefined;
}

function printSet(context: CommandContext, set: SymbolSetJson): void {
  if (context.args.flag('json')) {
    context.printJson(set);
    return;
  }
  context.print(
    renderFields([
      ['id', set.id],
      ['chunk id', set.ref],
      ['release', releaseOf(set)],
      ['release id', set.release?.id],
      ['uploaded', uploaded(set) ? 'yes' : 'no'],
      ['created', shortDate(set.created_at)],
      ['last used', shortDate(set.last_used)],
      ['failure', set.failure_reason],
    ]),
  );
}

function connect(context: CommandContext) {
  const options = resolveCliOptions(context);
  return <T>(task: (client: PostHogClient) => Promise<T>) => withClient(context, options, task);
}

/** `<id>` as the only argument, or `--ref <chunk-id>` (looked up with `?ref=`, as posthog-cli does). */
async function findSet(context: CommandContext, client: PostHogClient): Promise<SymbolSetJson> {
  const ref = context.args.string('ref');
  if (ref === undefined) {
    const id = context.args.positionals(1, 1, 'the symbol set id (or --ref <chunk-id>)')[0]!;
    return orNotFound('symbol set', id, () => client.symbolSets.get(id));
  }
  context.args.positionals(0, 0, '');
  const page = await client.symbolSets.listPage({ ref, limit: 1 });
  const found = page.results[0];
  if (!found) throw new UsageError(`no symbol set has chunk id ${ref}`, context.command.name);
  return found;
}

async function list(context: CommandContext): Promise<number> {
  const { args } = context;
  const query = {
    ...(args.string('ref') ? { ref: args.string('ref') } : {}),
    ...(args.string('search') ? { search: args.string('search') } : {}),
    ...(args.string('status') ? { status: args.choice('status', STATUSES) } : {}),
    ...(args.string('order-by') ? { order_by: args.choice('order-by', ORDERS) } : {}),
  };
  const rows = await connect(context)((client) =>
    listWith(
      context,
      'symbol sets',
      (page) => client.symbolSets.listPage({ ...query, ...page }),
      () => client.symbolSets.list(query),
    ),
  );
  if (args.flag('json')) context.printJson(rows);
  else if (rows.length === 0) context.logger.info('no symbol sets');
  else {
    context.print(
      renderTable<SymbolSetJson>(
        [
          { header: 'ID', value: (row) => row.id },
          { header: 'CHUNK ID', value: (row) => row.ref },
          { header: 'RELEASE', value: releaseOf },
          { header: 'UPLOADED', value: (row) => (uploaded(row) ? 'yes' : 'no') },
          { header: 'CREATED', value: (row) => shortDate(row.created_at) },
          { header: 'LAST USED', value: (row) => shortDate(row.last_used) },
        ],
        rows,
      ),
    );
  }
  return 0;
}

async function get(context: CommandContext): Promise<number> {
  printSet(context, await connect(context)((client) => findSet(context, client)));
  return 0;
}

async function update(context: CommandContext): Promise<number> {
  const id = context.args.positionals(1, 1, 'the symbol set id')[0]!;
  const body = parseJsonObject(context, 'data') ?? {};
  const set = await connect(context)(async (client) => {
    const updated = await orNotFound('symbol set', id, () => client.symbolSets.update(id, body));
    // Older servers answer 204 without a body.
    return updated ?? client.symbolSets.get(id);
  });
  printSet(context, set);
  return 0;
}

async function remove(context: CommandContext): Promise<number> {
  const ids = context.args.positionals(1, Number.MAX_SAFE_INTEGER, 'the symbol set id(s)');
  const deleted = await connect(context)(async (client) => {
    if (ids.length === 1) {
      await orNotFound('symbol set', ids[0]!, () => client.symbolSets.delete(ids[0]!));
      return 1;
    }
    return client.symbolSets.bulkDelete(ids);
  });
  if (context.args.flag('json')) context.printJson({ deleted });
  else context.print(`deleted ${deleted} of ${ids.length} symbol ${ids.length === 1 ? 'set' : 'sets'}`);
  return deleted === ids.length ? 0 : 1;
}

/**
 * The file name for a downloaded set: its chunk id. The `ref` comes from the server, so one that is
 * no chunk id (`../../x`) is turned into a plain name inside the target folder, with a warning.
 */
function fileNameFor(context: CommandContext, set: SymbolSetJson): string {
  const ref = String(set.ref);
  if (isValidChunkId(ref)) return ref;
  const name = toSafeFileName(ref, `symbol-set-${toSafeFileName(String(set.id), 'unknown')}`);
  context.logger.warn(
    `the server's chunk id ${JSON.stringify(ref)} is not a valid chunk id; writing it as ${name}`,
  );
  return name;
}

async function download(context: CommandContext): Promise<number> {
  const { args, io } = context;
  args.exclusive('url', 'output', 'extract');
  const result = await connect(context)(async (client) => {
    const set = await findSet(context, client);
    if (args.flag('url')) return { set, url: await client.symbolSets.download(set.id) };
    return { set, bytes: await client.symbolSets.downloadBytes(set.id) };
  });
  if (result.url !== undefined) {
    if (args.flag('json')) context.printJson({ url: result.url });
    else context.print(result.url);
    return 0;
  }
  const bytes = result.bytes!;
  const name = fileNameFor(context, result.set);
  const extract = args.string('extract');
  if (extract !== undefined) {
    const { minified, map } = decodeSymbolSet(bytes);
    const dir = path.resolve(io.cwd, extract);
    await mkdir(dir, { recursive: true });
    const js = path.join(dir, `${name}.js`);
    await writeFile(js, minified);
    await writeFile(`${js}.map`, map);
    context.print(`${js}\n${js}.map`);
    return 0;
  }
  const output = args.string('output') ?? `${name}.symbolset`;
  if (output === '-') {
    io.stdout.write(bytes);
    return 0;
  }
  const file = path.resolve(io.cwd, output);
  await writeFile(file, bytes);
  context.logger.info(`wrote ${formatBytes(bytes.byteLength)} to ${file}`);
  context.print(file);
  return 0;
}

const spec = groupCommand('symbol-sets');

export const symbolSetsGroup: CommandGroup = {
  name: 'symbol-sets',
  aliases: ['symbol-set'],
  summary: 'list, inspect, delete and download uploaded symbol sets',
  commands: [
    spec(
      'list',
      'list symbol sets, newest first',
      'list [--ref <chunk-id>] [--search <text>] [--status <status>] [--order-by <field>] [--all] [--json]',
      {
        ref: { type: 'string', value: '<chunk-id>', description: 'only the set with this chunk id' },
        search: {
          type: 'string',
          value: '<text>',
          description: 'chunk id, release name or version, or commit contains',
        },
        status: {
          type: 'string',
          value: '<status>',
          description: `one of ${STATUSES.join(', ')}`,
          default: 'all',
        },
        'order-by': {
          type: 'string',
          value: '<field>',
          description: ORDERS.join(', '),
          default: '-created_at',
        },
        ...LIST_OPTIONS,
      },
      list,
    ),
    spec(
      'get',
      'show one symbol set',
      'get <id> | --ref <chunk-id> [--json]',
      { ...BY_REF, ...JSON_OPTION },
      get,
    ),
    spec(
      'update',
      'send an update for a symbol set (PostHog accepts it and changes nothing today)',
      'update <id> [--data <json>] [--json]',
      {
        data: { type: 'string', value: '<json>', description: 'the request body, a JSON object' },
        ...JSON_OPTION,
      },
      update,
    ),
    spec(
      'delete',
      'delete symbol sets (several ids use one bulk request)',
      'delete <id…> [--json]',
      JSON_OPTION,
      remove,
    ),
    spec(
      'download',
      'download the stored container, or extract its code and map',
      'download <id> | --ref <chunk-id> [--output <file> | --extract <dir> | --url]',
      {
        ...BY_REF,
        output: {
          type: 'string',
          short: 'o',
          value: '<file>',
          description: 'where to write the container (- for stdout)',
          default: '<chunk-id>.symbolset',
        },
        extract: {
          type: 'string',
          value: '<dir>',
          description: 'write <chunk-id>.js and <chunk-id>.js.map there instead',
        },
        url: { type: 'boolean', description: 'print the presigned download URL (valid one hour) instead' },
        ...JSON_OPTION,
      },
      download,
    ),
  ],
};
