import { type ApiKeySource, createLogger, type Logger, type LogLevel } from '@hogmaps/core';
import { type ArgReader, createArgReader, type OptionSpecs, type ParsedArgs, UsageError } from './args';
import type { CliIo } from './io';
import { createProgress, createSilentProgress, type Progress } from './progress';

/** One command: its help and what it does. `run` returns the exit code (or throws). */
export interface CommandSpec {
  /** The full name, e.g. `sourcemap upload`. */
  name: string;
  summary: string;
  /** Usage lines without the leading `hogmaps `. */
  usage: readonly string[];
  /** Paragraphs shown under the usage. */
  description?: readonly string[];
  options: OptionSpecs;
  examples?: readonly string[];
  run(context: CommandContext): Promise<number>;
}

/** `sourcemap`, `releases`, `symbol-sets`: a word followed by one of its commands. */
export interface CommandGroup {
  name: string;
  /** Other spellings (posthog-cli says `release`, `sourcemaps` is a common slip). */
  aliases?: readonly string[];
  summary: string;
  commands: readonly CommandSpec[];
}

export interface CommandContext {
  readonly io: CliIo;
  readonly command: CommandSpec;
  readonly parsed: ParsedArgs;
  readonly args: ArgReader;
  /** What the command learnt that error messages need (where the API key came from). */
  readonly state: { apiKeySource?: ApiKeySource | undefined };
  /** Writes to stderr (through the progress bar while one is shown). */
  readonly logger: Logger;
  /** Results go to stdout; everything else to stderr. */
  print(text: string): void;
  printJson(value: unknown): void;
  /** Runs `task` with a progress display on stderr; log lines do not tear it. */
  withProgress<T>(label: string, task: (progress: Progress) => Promise<T>): Promise<T>;
}

function logLevel(args: ArgReader, command: string): LogLevel {
  args.exclusive('verbose', 'quiet');
  const level = args.choice('log-level', ['debug', 'info', 'warn', 'error', 'silent'] as const);
  if (level && (args.flag('verbose') || args.flag('quiet'))) {
    throw new UsageError('--log-level cannot be combined with --verbose or --quiet', command);
  }
  if (args.flag('verbose')) return 'debug';
  if (args.flag('quiet')) return 'warn';
  return level ?? 'info';
}

export function createCommandContext(io: CliIo, command: CommandSpec, parsed: ParsedArgs): CommandContext {
  const args = createArgReader(parsed, command.name);
  let progress: Progress | undefined;
  const level = logLevel(args, command.name);
  const logger = createLogger({
    level,
    write: (line) => (progress ? progress.log(line) : io.stderr.write(`${line}\n`)),
  });
  return {
    io,
    command,
    parsed,
    args,
    logger,
    state: {},
    print: (text) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    printJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    async withProgress(label, task) {
      // Progress is information: at --quiet (warn) and quieter levels, none is shown.
      const current =
        level === 'debug' || level === 'info'
          ? createProgress(io.stderr, io.env, label)
          : createSilentProgress(io.stderr);
      progress = current;
      try {
        return await task(current);
      } finally {
        current.stop();
        progress = undefined;
      }
    },
  };
}

/** Builds the commands of one group (`releases list`, `releases get`, …) with the group's name prefixed. */
export function groupCommand(group: string) {
  return (
    name: string,
    summary: string,
    usage: string,
    options: OptionSpecs,
    run: CommandSpec['run'],
    description?: string[],
  ): CommandSpec => ({
    name: `${group} ${name}`,
    summary,
    usage: [`${group} ${usage}`],
    options,
    run,
    ...(description ? { description } : {}),
  });
}
