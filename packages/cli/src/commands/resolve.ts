import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError, HogmapsError, type ResolvedOptions } from '@hogmaps/core';
import { UsageError } from '../args';
import { requireCredentials, resolveCliOptions } from '../connection';
import type { CommandContext, CommandSpec } from '../context';
import { chunkIdForFile, readChunkIds } from '../resolve/chunk-ids';
import { framesFromJson, parseStackTrace, type RawFrame, type StackLine } from '../resolve/stack-trace';
import { CLI_VERSION } from '../version';

/** What the server returns for each frame (packages/server EVENTS.md, `POST symbolicate/`). */
interface SymbolicatedFrame extends RawFrame {
  resolved: boolean;
  source?: string;
  line?: number;
  column?: number;
  resolved_name?: string | null;
  resolve_failure?: string;
  context?: { line: string };
}

async function readInput(context: CommandContext): Promise<string> {
  const [file] = context.args.positionals(0, 1, '');
  if (file === undefined || file === '-') {
    const text = await context.io.readStdin();
    if (!text.trim()) {
      throw new UsageError(
        'no stack trace: pass a file, or pipe one into standard input',
        context.command.name,
      );
    }
    return text;
  }
  try {
    return await readFile(path.resolve(context.io.cwd, file), 'utf8');
  } catch {
    throw new UsageError(`file not found: ${file}`, context.command.name);
  }
}

async function symbolicate(options: ResolvedOptions, context: CommandContext, frames: RawFrame[]) {
  const credentials = requireCredentials(context, options);
  const url = `${options.host}/api/projects/${encodeURIComponent(credentials.projectId)}/hogmaps/symbolicate`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${credentials.apiKey}`,
        'content-type': 'application/json',
        'user-agent': `@hogmaps/cli/${CLI_VERSION}`,
      },
      body: JSON.stringify({ frames }),
      signal: AbortSignal.timeout(options.timeout),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ApiError({
      status: 0,
      method: 'POST',
      url,
      retryable: false,
      message: `POST ${url} failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status === 404) {
    throw new HogmapsError(
      'not_found',
      `${options.host} has no symbolication endpoint for project ${credentials.projectId}: hogmaps resolve works against a hogmaps server (hogmaps serve), not PostHog cloud`,
    );
  }
  if (!response.ok) {
    throw new ApiError({
      status: response.status,
      method: 'POST',
      url,
      retryable: false,
      body:
        typeof body === 'object' && body !== null
          ? (body as { detail?: string })
          : { detail: text.slice(0, 200) },
    });
  }
  const result = (body as { frames?: unknown } | undefined)?.frames;
  if (!Array.isArray(result) || result.length !== frames.length) {
    throw new HogmapsError(
      'unexpected_response',
      `POST ${url}: unexpected response, expected {"frames": [...]}`,
    );
  }
  return result as SymbolicatedFrame[];
}

function location(frame: SymbolicatedFrame): string {
  return `${frame.source}:${frame.line}:${frame.column}`;
}

function formatLine(line: StackLine, resolved: SymbolicatedFrame | undefined, showContext: boolean): string {
  if (!resolved?.resolved) return line.text;
  const indent = /^\s*/.exec(line.text)?.[0] || '    ';
  const name = [resolved.resolved_name, resolved.function].find((value) => value && value !== '?');
  const text = name ? `${indent}at ${name} (${location(resolved)})` : `${indent}at ${location(resolved)}`;
  return showContext && resolved.context ? `${text}\n${indent}    > ${resolved.context.line.trim()}` : text;
}

async function resolve(context: CommandContext): Promise<number> {
  const { args, io, logger } = context;
  const options = resolveCliOptions(context);
  requireCredentials(context, options);
  const dir = args.string('dir');
  if (dir !== undefined && !(await stat(path.resolve(io.cwd, dir)).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(`directory not found: ${dir}`, context.command.name);
  }
  const input = await readInput(context);
  const fromJson = framesFromJson(input);
  const lines: StackLine[] = fromJson
    ? fromJson.map((frame) => ({ text: frame.filename, frame }))
    : parseStackTrace(input);
  const frames = lines.flatMap((line) => (line.frame ? [line.frame] : []));
  if (frames.length === 0) {
    throw new HogmapsError(
      'no_frames',
      'no stack frames found in the input (expected lines such as "    at fn (file.js:1:23)")',
    );
  }
  if (dir !== undefined) {
    const ids = await readChunkIds(path.resolve(io.cwd, dir));
    if (ids.size === 0) logger.warn(`no injected JavaScript files in ${dir}: frames get no chunk id`);
    for (const frame of frames) {
      frame.chunk_id ??= chunkIdForFile(frame.filename, ids);
      if (!frame.chunk_id) logger.debug(`${frame.filename}: no injected file in ${dir} matches it`);
    }
  } else if (!fromJson) {
    logger.warn(
      'no --dir: frames carry no chunk id, so the server cannot resolve them; pass the built folder',
    );
  }

  const results = await symbolicate(options, context, frames);
  const unresolved = results.filter((frame) => !frame.resolved);
  if (args.flag('json')) context.printJson({ frames: results });
  else {
    let next = 0;
    const showContext = args.flag('context');
    context.print(
      lines.map((line) => formatLine(line, line.frame ? results[next++] : undefined, showContext)).join('\n'),
    );
  }
  // Frames of other files (node internals, third-party scripts) are expected to stay as they are.
  for (const frame of unresolved) {
    logger[frame.chunk_id ? 'warn' : 'debug'](`unresolved ${frame.filename}: ${frame.resolve_failure}`);
  }
  if (unresolved.length === results.length) {
    logger.error(`none of the ${results.length} frames could be resolved`);
    return 1;
  }
  return 0;
}

export const resolveCommand: CommandSpec = {
  name: 'resolve',
  summary: 'print the original frames of a minified stack trace, using a hogmaps server',
  usage: ['resolve [<file>] --dir <built-folder> [--json] [--context]'],
  description: [
    'Reads a V8 stack trace (Error.stack, as Node and Chrome print it) from the file or from standard input, ' +
      "finds each frame's chunk id in the injected files of --dir (matching the frame's file path or URL), and " +
      'asks the server (POST /api/projects/:id/hogmaps/symbolicate) for the original positions. JSON input ' +
      '(an array of frames, {"frames": [...]}, or an $exception event) may carry chunk_id itself. Exits 1 when ' +
      'no frame could be resolved.',
  ],
  options: {
    dir: { type: 'string', value: '<dir>', description: 'the built folder the stack trace comes from' },
    context: { type: 'boolean', description: 'show the original source line under each frame' },
    json: { type: 'boolean', description: 'print the symbolicated frames as JSON' },
  },
  examples: [
    'node dist/server.js 2> crash.txt; hogmaps resolve crash.txt --dir dist',
    'pbpaste | hogmaps resolve --dir dist --context',
  ],
  run: resolve,
};
