import { maskSecrets } from '@hogmaps/core';

/** A stream the CLI writes to: process.stdout / process.stderr, or a recorder in tests. */
export interface OutputStream {
  write(text: string | Uint8Array): unknown;
  /** A terminal: progress bars and colours are allowed. */
  isTTY?: boolean;
  /** Terminal width in characters. */
  columns?: number;
}

/** Everything the CLI touches outside itself, so `run` can be driven in-process by tests. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Reads all of standard input (`--stdin`, `hogmaps resolve` without a file). */
  readStdin(): Promise<string>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT / SIGTERM: long-running commands (`serve`) stop and exit 0. */
  signal?: AbortSignal;
}

export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    async readStdin() {
      if (process.stdin.isTTY) return '';
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    cwd: process.cwd(),
    ...(signal ? { signal } : {}),
  };
}

/** A CI run or a pipe: plain lines instead of a redrawn progress bar. */
export function isInteractive(stream: OutputStream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.CI && env.TERM !== 'dumb';
}

/**
 * The CLI's streams with every configured secret masked in the text written to them (a server may
 * echo the key into a message or a listing); binary data (`download -o -`) passes unchanged.
 */
export function maskedIo(io: CliIo): CliIo {
  const mask = (stream: OutputStream): OutputStream => ({
    write: (data) => stream.write(typeof data === 'string' ? maskSecrets(data) : data),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  });
  return { ...io, stdout: mask(io.stdout), stderr: mask(io.stderr) };
}
