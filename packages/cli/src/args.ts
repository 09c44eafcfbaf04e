import { parseArgs } from 'node:util';
import { HogmapsError } from '@hogmaps/core';

/** Exit codes, documented in the README. */
export const EXIT_SUCCESS = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * The command line or configuration is invalid, so nothing was done: exit code 2. The message names
 * the flag or variable, and the usage line of the command is printed after it.
 */
export class UsageError extends HogmapsError {
  /** The command whose help applies, e.g. `sourcemap upload`. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super('usage_error', message);
    this.name = 'UsageError';
    this.command = command;
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Repeatable: the value is a list. */
  multiple?: boolean;
  /** Other long names accepted for it (posthog-cli's spellings). */
  aliases?: readonly string[];
  /** Placeholder in help, e.g. `<dir>`. */
  value?: string;
  description: string;
  /** Environment variable read when the flag is absent, shown in help. */
  env?: string;
  /** Shown in help. */
  default?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export type ArgValue = string | boolean | string[] | undefined;

export interface ParsedArgs {
  values: Record<string, ArgValue>;
  positionals: string[];
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: OptionSpecs = {
  host: {
    type: 'string',
    value: '<url>',
    description: 'PostHog host',
    env: 'POSTHOG_CLI_HOST',
    default: 'https://us.i.posthog.com',
  },
  'project-id': {
    type: 'string',
    value: '<id>',
    description: 'numeric PostHog project id',
    env: 'POSTHOG_CLI_PROJECT_ID',
  },
  'api-key': {
    type: 'string',
    value: '<phx_…>',
    description: 'personal API key (prefer the environment variable: flags show up in process lists)',
    env: 'POSTHOG_CLI_API_KEY',
  },
  'log-level': {
    type: 'string',
    value: '<level>',
    description: 'debug, info, warn, error or silent',
    default: 'info',
  },
  verbose: { type: 'boolean', short: 'v', description: 'same as --log-level debug' },
  quiet: { type: 'boolean', short: 'q', description: 'same as --log-level warn' },
  'no-fail': {
    type: 'boolean',
    description: 'exit 0 even when the command fails (usage errors still exit 2)',
  },
  'skip-ssl-verification': {
    type: 'boolean',
    description: 'do not verify TLS certificates (self-hosted only)',
  },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

/** `--release-name foo` and `--release-name=foo` → the option name, or undefined. */
function longName(token: string): string | undefined {
  if (!token.startsWith('--') || token === '--') return undefined;
  const eq = token.indexOf('=');
  return eq < 0 ? token.slice(2) : token.slice(2, eq);
}

/** The closest known name, when close enough to be a typo. */
export function suggestName(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.min(3, Math.floor(input.length / 3))) + 1;
  for (const candidate of candidates) {
    if (candidate.startsWith(input) && input.length >= 3) return candidate;
    const distance = editDistance(input, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Parses one command's arguments with node:util parseArgs: aliases are rewritten to their canonical
 * name first, and unknown options are reported with a suggestion instead of parseArgs' own text.
 */
export function parseCommandArgs(argv: readonly string[], specs: OptionSpecs, command: string): ParsedArgs {
  const canonical = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    canonical.set(name, name);
    for (const alias of spec.aliases ?? []) canonical.set(alias, name);
  }
  const shorts = new Set(Object.values(specs).flatMap((spec) => (spec.short ? [spec.short] : [])));
  const args: string[] = [];
  let rest = false;
  for (const token of argv) {
    const name = rest ? undefined : longName(token);
    if (token === '--') rest = true;
    if (name === undefined) {
      if (!rest && /^-[^-]/.test(token) && !shorts.has(token[1]!) && !/^-\d/.test(token)) {
        throw new UsageError(`unknown option ${token.slice(0, 2)}`, command);
      }
      args.push(token);
      continue;
    }
    const target = canonical.get(name);
    if (target === undefined) {
      const hint = suggestName(name, [...canonical.keys()]);
      throw new UsageError(`unknown option --${name}${hint ? ` (did you mean --${hint}?)` : ''}`, command);
    }
    args.push(`--${target}${token.slice(2 + name.length)}`);
  }

  try {
    const { values, positionals } = parseArgs({
      args,
      options: Object.fromEntries(
        Object.entries(specs).map(([name, spec]) => [
          name,
          { type: spec.type, multiple: spec.multiple ?? false, ...(spec.short ? { short: spec.short } : {}) },
        ]),
      ),
      strict: true,
      allowPositionals: true,
    });
    return { values: values as Record<string, ArgValue>, positionals };
  } catch (error) {
    throw new UsageError(describeParseError(error as Error & { code?: string }), command);
  }
}

function describeParseError(error: Error & { code?: string }): string {
  const message = error.message;
  const option = /Option '(?:-\w, )?(--[\w-]+)/.exec(message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    if (message.includes('argument missing')) return `${option} needs a value`;
    if (message.includes('does not take an argument')) return `${option} takes no value`;
    if (message.includes('ambiguous')) return `${option}: the value starts with "-"; write ${option}=<value>`;
  }
  return message.split('\n')[0]!.replace(/\.$/, '');
}

/** Typed readers over parsed values; each throws a UsageError naming the flag. */
export function createArgReader(args: ParsedArgs, command: string) {
  const string = (name: string): string | undefined => {
    const value = args.values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new UsageError(`--${name} needs a value`, command);
    return value;
  };
  return {
    string,
    strings(name: string): string[] {
      const value = args.values[name];
      if (value === undefined) return [];
      return Array.isArray(value) ? value : [String(value)];
    },
    flag(name: string): boolean {
      return args.values[name] === true;
    },
    /** An integer within a range, from the flag or else from `envValue`. */
    integer(
      name: string,
      range: { min: number; max: number },
      env?: { name: string; value: string | undefined },
    ) {
      const fromFlag = string(name);
      const raw = fromFlag ?? (env?.value?.trim() ? env.value.trim() : undefined);
      if (raw === undefined) return undefined;
      const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
        const from = fromFlag === undefined && env ? ` (from ${env.name})` : '';
        throw new UsageError(
          `--${name}${from} must be an integer from ${range.min} to ${range.max}, got "${raw}"`,
          command,
        );
      }
      return value;
    },
    choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
      const value = string(name);
      if (value === undefined) return undefined;
      if ((choices as readonly string[]).includes(value)) return value as T;
      throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${value}"`, command);
    },
    /** Flags that cannot be combined: the first pair both set is an error. */
    exclusive(...names: string[]) {
      const set = names.filter((name) => args.values[name] !== undefined && args.values[name] !== false);
      if (set.length > 1) {
        throw new UsageError(`--${set[0]} and --${set[1]} cannot be used together; choose one`, command);
      }
    },
    /** At most `max` positionals, at least `min`. */
    positionals(min: number, max: number, what: string): string[] {
      const list = args.positionals;
      if (list.length < min) throw new UsageError(`missing ${what}`, command);
      if (list.length > max) {
        throw new UsageError(`unexpected argument "${list[max]}"`, command);
      }
      return list;
    },
  };
}

export type ArgReader = ReturnType<typeof createArgReader>;
