import {
  EXIT_FAILURE,
  EXIT_SUCCESS,
  EXIT_USAGE,
  GLOBAL_OPTIONS,
  parseCommandArgs,
  suggestName,
  UsageError,
} from './args';
import { releasesGroup } from './commands/releases';
import { resolveCommand } from './commands/resolve';
import { serveCommand } from './commands/serve';
import { sourcemapGroup } from './commands/sourcemap';
import { symbolSetsGroup } from './commands/symbol-sets';
import { uploadCommand } from './commands/upload';
import { describeFailure } from './connection';
import { type CommandContext, type CommandSpec, createCommandContext } from './context';
import { commandHelp, type Entry, groupHelp, isGroup, shortUsage, topHelp } from './help';
import { type CliIo, maskedIo, processIo } from './io';
import { CLI_VERSION } from './version';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Entry[] = [
  sourcemapGroup,
  uploadCommand,
  releasesGroup,
  symbolSetsGroup,
  serveCommand,
  resolveCommand,
];

const GLOBAL_WITH_VALUE = new Set(
  Object.entries(GLOBAL_OPTIONS).flatMap(([name, spec]) => (spec.type === 'string' ? [`--${name}`] : [])),
);

function findEntry(word: string): Entry | undefined {
  return COMMANDS.find((entry) => entry.name === word || (isGroup(entry) && entry.aliases?.includes(word)));
}

function entryNames(): string[] {
  return COMMANDS.flatMap((entry) => [entry.name, ...(isGroup(entry) ? (entry.aliases ?? []) : [])]);
}

/** The command words (`sourcemap upload`), found among global options that may come first. */
function locateCommand(argv: readonly string[]): { words: number[]; entry: Entry | undefined } {
  const words: number[] = [];
  let entry: Entry | undefined;
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    if (token === '--') break;
    if (token.startsWith('-')) {
      if (GLOBAL_WITH_VALUE.has(token)) index++;
      continue;
    }
    words.push(index);
    if (words.length === 1) {
      if (token === 'help') continue;
      entry = findEntry(token);
      if (!entry || !isGroup(entry)) break;
    } else break;
  }
  return { words, entry };
}

/** The command (or group) the arguments name, as `--help` lists it; undefined when none does. */
export function commandNameOf(argv: readonly string[]): string | undefined {
  return locateCommand(argv).entry?.name;
}

function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((token) => token === '--help' || token === '-h');
}

type Resolved =
  | { kind: 'text'; text: string; code: number; stream: 'stdout' | 'stderr' }
  | { kind: 'command'; command: CommandSpec; rest: string[] };

function resolve(argv: readonly string[]): Resolved {
  const { words, entry } = locateCommand(argv);
  const help = wantsHelp(argv);
  if (words.length === 0) {
    if (argv.includes('--version') || argv.includes('-V')) {
      return { kind: 'text', text: `${CLI_VERSION}\n`, code: EXIT_SUCCESS, stream: 'stdout' };
    }
    if (help) return { kind: 'text', text: topHelp(COMMANDS), code: EXIT_SUCCESS, stream: 'stdout' };
    if (argv.length === 0)
      return { kind: 'text', text: topHelp(COMMANDS), code: EXIT_USAGE, stream: 'stderr' };
    throw new UsageError('missing command');
  }
  const first = argv[words[0]!]!;
  if (first === 'help')
    return helpFor(argv.filter((_, index) => words.includes(index) || index > words[0]!).slice(1));
  if (!entry) {
    const hint = suggestName(first, entryNames());
    throw new UsageError(`unknown command "${first}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
  }
  if (isGroup(entry)) {
    const sub = words[1] === undefined ? undefined : argv[words[1]]!;
    if (sub === undefined) {
      if (help) return { kind: 'text', text: groupHelp(entry), code: EXIT_SUCCESS, stream: 'stdout' };
      const names = entry.commands.map((command) => command.name.split(' ')[1]).join('|');
      throw new UsageError(`missing command: hogmaps ${entry.name} <${names}>`);
    }
    const command = entry.commands.find((candidate) => candidate.name === `${entry.name} ${sub}`);
    if (!command) {
      const names = entry.commands.map((candidate) => candidate.name.split(' ')[1]!);
      const hint = suggestName(sub, names);
      throw new UsageError(
        `unknown command "${entry.name} ${sub}"${hint ? ` (did you mean "${entry.name} ${hint}"?)` : ''}; commands: ${names.join(', ')}`,
      );
    }
    return withRest(argv, words, command, help);
  }
  return withRest(argv, words, entry, help);
}

function withRest(argv: readonly string[], words: number[], command: CommandSpec, help: boolean): Resolved {
  if (help) return { kind: 'text', text: commandHelp(command), code: EXIT_SUCCESS, stream: 'stdout' };
  return { kind: 'command', command, rest: argv.filter((_, index) => !words.includes(index)) };
}

/** `hogmaps help [group] [command]`. */
function helpFor(words: readonly string[]): Resolved {
  const text = (value: string): Resolved => ({
    kind: 'text',
    text: value,
    code: EXIT_SUCCESS,
    stream: 'stdout',
  });
  if (words.length === 0) return text(topHelp(COMMANDS));
  const entry = findEntry(words[0]!);
  if (!entry) throw new UsageError(`unknown command "${words[0]}"`);
  if (!isGroup(entry)) return text(commandHelp(entry));
  const command = words[1]
    ? entry.commands.find((candidate) => candidate.name === `${entry.name} ${words[1]}`)
    : undefined;
  if (words[1] && !command) throw new UsageError(`unknown command "${entry.name} ${words[1]}"`);
  return text(command ? commandHelp(command) : groupHelp(entry));
}

/**
 * Runs the `hogmaps` command line and returns its exit code: 0 success, 1 failure, 2 usage error.
 * Everything outside the process (streams, environment, working directory) comes from `io`.
 */
export async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const cli = maskedIo({ ...processIo(), ...io });
  let context: CommandContext | undefined;
  let command: CommandSpec | undefined;
  try {
    const resolved = resolve(argv);
    if (resolved.kind === 'text') {
      cli[resolved.stream].write(resolved.text);
      return resolved.code;
    }
    command = resolved.command;
    const parsed = parseCommandArgs(resolved.rest, { ...GLOBAL_OPTIONS, ...command.options }, command.name);
    context = createCommandContext(cli, command, parsed);
    if (context.args.flag('skip-ssl-verification')) {
      // Node's TLS reads this at connect time; the process is ours, so this scopes to the command.
      process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
      context.logger.warn('TLS certificates are not verified (--skip-ssl-verification)');
    }
    const code = await command.run(context);
    return code === EXIT_FAILURE && context.args.flag('no-fail') ? EXIT_SUCCESS : code;
  } catch (error) {
    if (error instanceof UsageError) {
      cli.stderr.write(`[hogmaps] error: ${error.message}\n${shortUsage(command)}`);
      return EXIT_USAGE;
    }
    const message = describeFailure(error, context?.state.apiKeySource);
    cli.stderr.write(`[hogmaps] error: ${message}\n`);
    if (context?.logger.level === 'debug' && error instanceof Error && error.stack) {
      cli.stderr.write(`${error.stack}\n`);
    }
    return context?.args.flag('no-fail') ? EXIT_SUCCESS : EXIT_FAILURE;
  }
}
