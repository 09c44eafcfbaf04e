import { ApiError, HogmapsError } from '@hogmaps/core';
import { type OptionSpecs, UsageError } from '../args';
import type { CommandContext } from '../context';

/** Flags shared by every `list` command. */
export const LIST_OPTIONS: OptionSpecs = {
  limit: { type: 'string', value: '<n>', description: 'at most this many (one page)', default: '100' },
  offset: { type: 'string', value: '<n>', description: 'skip this many first', default: '0' },
  all: { type: 'boolean', description: 'every page (not with --limit or --offset)' },
  json: { type: 'boolean', description: 'print JSON for scripts' },
};

export const JSON_OPTION: OptionSpecs = { json: { type: 'boolean', description: 'print JSON for scripts' } };

interface Page<T> {
  count: number | null;
  next: string | null;
  results: T[];
}

/** One page (`--limit`, `--offset`) or every page (`--all`), with a hint on stderr when more exist. */
export async function listWith<T>(
  context: CommandContext,
  what: string,
  fetchPage: (query: { limit?: number; offset?: number }) => Promise<Page<T>>,
  fetchAll: () => AsyncIterable<T>,
): Promise<T[]> {
  const { args } = context;
  args.positionals(0, 0, '');
  if (args.flag('all')) {
    args.exclusive('all', 'limit');
    args.exclusive('all', 'offset');
    const rows: T[] = [];
    for await (const row of fetchAll()) rows.push(row);
    return rows;
  }
  const limit = args.integer('limit', { min: 1, max: 1000 });
  const offset = args.integer('offset', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0;
  const page = await fetchPage({ ...(limit ? { limit } : {}), ...(offset ? { offset } : {}) });
  if (page.next) {
    const total = page.count === null ? '' : ` of ${page.count}`;
    context.logger.info(
      `showing ${what} ${offset + 1}-${offset + page.results.length}${total}; use --all, or --offset ${offset + page.results.length} for the next page`,
    );
  }
  return page.results;
}

/** A 404 on one object becomes "<what> <id> not found" instead of the raw HTTP error. */
export async function orNotFound<T>(what: string, id: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      throw new HogmapsError('not_found', `${what} ${id} not found in this project`, { cause: error });
    }
    throw error;
  }
}

/** `--metadata '{"k": 1}'`: a JSON object, or a usage error. */
export function parseJsonObject(context: CommandContext, flag: string): Record<string, unknown> | undefined {
  const raw = context.args.string(flag);
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new UsageError(
      `--${flag} must be a JSON object: ${(error as Error).message}`,
      context.command.name,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--${flag} must be a JSON object such as '{"key": "value"}'`, context.command.name);
  }
  return value as Record<string, unknown>;
}
