import { maskSecrets } from './secrets';

/** Log levels, quietest last. `silent` prints nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  readonly level: LogLevel;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A child logger whose lines carry an extra tag, e.g. `[hogmaps:vite]`. */
  child(tag: string): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  prefix?: string;
  /** Where lines go; defaults to stderr, so stdout stays clean for the CLI's `--json`. */
  write?: (line: string, level: Exclude<LogLevel, 'silent'>) => void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/** Whether a logger at `level` prints lines of level `at`. */
export function logsAt(level: LogLevel, at: Exclude<LogLevel, 'silent'>): boolean {
  return RANK[at] >= RANK[level];
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const prefix = options.prefix ?? '[hogmaps]';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (at: Exclude<LogLevel, 'silent'>, message: string) => {
    if (!logsAt(level, at)) return;
    const tag = at === 'warn' ? ' warning:' : at === 'error' ? ' error:' : '';
    write(maskSecrets(`${prefix}${tag} ${message}`), at);
  };
  return {
    level,
    debug: (message) => emit('debug', message),
    info: (message) => emit('info', message),
    warn: (message) => emit('warn', message),
    error: (message) => emit('error', message),
    child: (tag) => createLogger({ level, write, prefix: `${prefix.replace(/\]$/, '')}:${tag}]` }),
  };
}
