import { GLOBAL_OPTIONS, type OptionSpec, type OptionSpecs } from './args';
import type { CommandGroup, CommandSpec } from './context';
import { CLI_VERSION } from './version';

export type Entry = CommandGroup | CommandSpec;

export function isGroup(entry: Entry): entry is CommandGroup {
  return 'commands' in entry;
}

const EXIT_CODES = [
  'Exit codes:',
  '  0  success',
  '  1  failure: the command ran and something failed (upload, server, network, files)',
  '  2  usage error: invalid command line or settings (unknown flag, conflicting flags, missing',
  '     directory or credentials); nothing was done',
];

const ENVIRONMENT = [
  'Environment:',
  '  POSTHOG_CLI_API_KEY         personal API key, phx_… (also POSTHOG_PERSONAL_API_KEY; legacy POSTHOG_CLI_TOKEN)',
  '  POSTHOG_CLI_PROJECT_ID      project id (legacy POSTHOG_CLI_ENV_ID)',
  '  POSTHOG_CLI_HOST            PostHog host (default https://us.i.posthog.com)',
  '  POSTHOG_RELEASE_MODE        event or symbol-set',
];

function flagLabel(name: string, spec: OptionSpec): string {
  const short = spec.short ? `-${spec.short}, ` : '    ';
  return `${short}--${name}${spec.value ? ` ${spec.value}` : ''}`;
}

function optionLines(specs: OptionSpecs): string[] {
  const entries = Object.entries(specs);
  const width = Math.max(...entries.map(([name, spec]) => flagLabel(name, spec).length));
  return entries.map(([name, spec]) => {
    const notes = [
      ...(spec.aliases?.length ? [`alias: ${spec.aliases.map((alias) => `--${alias}`).join(', ')}`] : []),
      ...(spec.env ? [`env: ${spec.env}`] : []),
      ...(spec.default ? [`default: ${spec.default}`] : []),
    ];
    const suffix = notes.length > 0 ? ` [${notes.join('; ')}]` : '';
    return `  ${flagLabel(name, spec).padEnd(width)}  ${spec.description}${suffix}`;
  });
}

function commandRows(entries: readonly Entry[]): string[] {
  const rows = entries.flatMap((entry) =>
    isGroup(entry)
      ? entry.commands.map((command) => [command.name, command.summary])
      : [[entry.name, entry.summary]],
  );
  const width = Math.max(...rows.map(([name]) => name!.length));
  return rows.map(([name, summary]) => `  ${name!.padEnd(width)}  ${summary}`);
}

export function topHelp(entries: readonly Entry[]): string {
  return [
    `hogmaps ${CLI_VERSION}: chunk ids, source maps and releases for PostHog error tracking`,
    '',
    'Usage: hogmaps <command> [options]',
    '',
    'Commands:',
    ...commandRows(entries),
    '',
    'Global options:',
    ...optionLines({
      ...GLOBAL_OPTIONS,
      version: { type: 'boolean', short: 'V', description: 'print the version' },
    }),
    '',
    ...ENVIRONMENT,
    '',
    ...EXIT_CODES,
    '',
    "Run 'hogmaps <command> --help' for a command's options.",
    '',
  ].join('\n');
}

export function groupHelp(group: CommandGroup): string {
  return [
    `hogmaps ${group.name}: ${group.summary}`,
    '',
    `Usage: hogmaps ${group.name} <command> [options]`,
    '',
    'Commands:',
    ...commandRows(group.commands),
    '',
    `Run 'hogmaps ${group.name} <command> --help' for a command's options.`,
    '',
  ].join('\n');
}

export function commandHelp(command: CommandSpec): string {
  const lines = [`hogmaps ${command.name}: ${command.summary}`, '', 'Usage:'];
  lines.push(...command.usage.map((usage) => `  hogmaps ${usage}`), '');
  for (const paragraph of command.description ?? []) lines.push(...wrap(paragraph, 100), '');
  const own = Object.keys(command.options);
  if (own.length > 0) lines.push('Options:', ...optionLines(command.options), '');
  const globals = Object.fromEntries(Object.entries(GLOBAL_OPTIONS).filter(([name]) => !own.includes(name)));
  lines.push('Global options:', ...optionLines(globals), '');
  if (command.examples?.length)
    lines.push('Examples:', ...command.examples.map((example) => `  ${example}`), '');
  lines.push(...EXIT_CODES, '');
  return lines.join('\n');
}

/** The usage lines alone, printed after a usage error. */
export function shortUsage(command: CommandSpec | undefined): string {
  if (!command) return "Run 'hogmaps --help' for usage.\n";
  return `Usage: ${command.usage.map((usage) => `hogmaps ${usage}`).join('\n       ')}\nRun 'hogmaps ${command.name} --help' for details.\n`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current && current.length + word.length + 1 > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}
