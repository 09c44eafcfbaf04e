import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../args';
import type { CommandContext } from '../context';

/**
 * The roots to walk: positional arguments, every `--directory` (`--file`), and with `--stdin` one path
 * per line of standard input (what PostHog's plugins send). Each must exist: a missing one is a usage
 * error, checked before anything is changed.
 */
export async function readRoots(context: CommandContext): Promise<string[]> {
  const { args, io } = context;
  const roots = [...context.parsed.positionals, ...args.strings('directory')];
  if (args.flag('stdin')) {
    const text = await io.readStdin();
    roots.push(
      ...text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
    );
  }
  if (roots.length === 0) {
    throw new UsageError(
      `no directory given: name the build output, e.g. hogmaps ${context.command.name} dist (or use --stdin)`,
      context.command.name,
    );
  }
  for (const root of roots) {
    try {
      await stat(path.resolve(io.cwd, root));
    } catch {
      throw new UsageError(`directory not found: ${root}`, context.command.name);
    }
  }
  return roots;
}

export function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
