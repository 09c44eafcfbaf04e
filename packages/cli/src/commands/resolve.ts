import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError, HogmapsError, type ResolvedOptions } from '@hogmaps/core';
import { UsageError } from '../args';
import { requireCredentials, resolveCliOptions } from '../connection';
import type { CommandContext, CommandSpec } from '../context';
import { chunkIdForFile, readChunkIds } from '../resolve/chunk-ids';
import { framesFromJson, parseStackTrace, type RawFrame, type StackLine } from '../resolve/stack-trace';
import { CLI_VERSION } from '../version';

/**
 * What the server returns for each frame (packages/server EVENTS.md, `POST symbolicate/`): PostHog's
 * resolved frame, `line` and `column` 0-based as PostHog stores them.
 */
interface SymbolicatedFrame extends RawFrame {
  resolved: boolean;
  resolve_failure?: string | null;
  source?: string | null;
  line?: number | null;
  column?: number | null;
  resolved_name?: string | null;
  context?: { line: { number: number; line: string } };
}

/** A release as the server's releases API returns it. */
interface ReleaseJson {
  id: string;
  project: string;
  version: string;
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

/**
 * One call to the server's API for this project (`/api/projects/:id/<pathname>`). Resolves to the
 * parsed body, or undefined on 404 (the caller says what a missing resource means).
 */
async function callServer(
  options: ResolvedOptions,
  context: CommandContext,
  method: 'GET' | 'POST',
  pathname: string,
  body?: unknown,
): Promise<unknown> {
  const credentials = requireCredentials(context, options);
  const url = `${options.host}/api/projects/${encodeURIComponent(credentials.projectId)}/${pathname}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${credentials.apiKey}`,
        'content-type': 'application/json',
        'user-agent': `@hogmaps/cli/${CLI_VERSION}`,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(options.timeout),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ApiError({
      status: 0,
      method,
      url,
      retryable: false,
      message: `${method} ${url} failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (response.status === 404) return undefined;
  if (!response.ok) {
    throw new ApiError({
      status: response.status,
      method,
      url,
      retryable: false,
      body:
        typeof parsed === 'object' && parsed !== null
          ? (parsed as { detail?: string })
          : { detail: text.slice(0, 200) },
    });
  }
  return parsed;
}

async function symbolicate(options: ResolvedOptions, context: CommandContext, frames: RawFrame[]) {
  const body = await callServer(options, context, 'POST', 'hogmaps/symbolicate', { frames });
  if (body === undefined) {
    throw new HogmapsError(
      'not_found',
      `${options.host} has no symbolication endpoint for project ${requireCredentials(context, options).projectId}: hogmaps resolve works against a hogmaps server (hogmaps serve), not PostHog cloud`,
    );
  }
  const result = (body as { frames?: unknown }).frames;
  if (!Array.isArray(result) || result.length !== frames.length) {
    throw new HogmapsError(
      'unexpected_response',
      'hogmaps/symbolicate: unexpected response, expected {"frames": [...]}',
    );
  }
  return result as SymbolicatedFrame[];
}

/** The release a trace comes from: the event's `$release_id`, else the one injected in its chunks. */
function releaseIdOf(
  input: string,
  frames: RawFrame[],
  injected: ReadonlyMap<string, string>,
): string | undefined {
  const fromEvent = /"\$release_id"\s*:\s*"([^"\\]{1,200})"/.exec(input)?.[1];
  if (fromEvent) return fromEvent;
  // The crash site is the last frame.
  for (const frame of [...frames].reverse()) {
    const releaseId = frame.chunk_id ? injected.get(frame.chunk_id) : undefined;
    if (releaseId) return releaseId;
  }
  return undefined;
}

/** `shop 1.0.0 (<id>)`, or the bare id when the server does not know it. */
async function describeRelease(options: ResolvedOptions, context: CommandContext, releaseId: string) {
  const path = `error_tracking/releases/${encodeURIComponent(releaseId)}/`;
  const release = (await callServer(options, context, 'GET', path)) as ReleaseJson | undefined;
  return {
    id: releaseId,
    release: release ?? null,
    text: release
      ? `${release.project} ${release.version} (${releaseId})`
      : `${releaseId} (not on the server)`,
  };
}

/** Resolved through a map: the server found this frame's position (0-based line and column). */
function isMapped(frame: SymbolicatedFrame): boolean {
  return frame.resolved && !frame.resolve_failure && typeof frame.line === 'number' && !!frame.chunk_id;
}

/** As a V8 stack prints it: 1-based line and column. */
function location(frame: SymbolicatedFrame): string {
  return `${frame.source}:${(frame.line ?? 0) + 1}:${(frame.column ?? 0) + 1}`;
}

function formatLine(line: StackLine, resolved: SymbolicatedFrame | undefined, showContext: boolean): string {
  if (!resolved || !isMapped(resolved)) return line.text;
  const indent = /^\s*/.exec(line.text)?.[0] || '    ';
  const name = [resolved.resolved_name, resolved.function].find(
    (value) => value && value !== '?' && value !== '<anonymous>',
  );
  const text = name ? `${indent}at ${name} (${location(resolved)})` : `${indent}at ${location(resolved)}`;
  return showContext && resolved.context
    ? `${text}\n${indent}    > ${resolved.context.line.line.trim()}`
    : text;
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
  const injected = new Map<string, string>();
  if (dir !== undefined) {
    const ids = await readChunkIds(path.resolve(io.cwd, dir), injected);
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
  const releaseId = releaseIdOf(input, frames, injected);
  const release = releaseId === undefined ? undefined : await describeRelease(options, context, releaseId);
  const unresolved = results.filter((frame) => !isMapped(frame));
  if (args.flag('json')) context.printJson({ release: release?.release ?? null, frames: results });
  else {
    let next = 0;
    const showContext = args.flag('context');
    const trace = lines.map((line) =>
      formatLine(line, line.frame ? results[next++] : undefined, showContext),
    );
    context.print([...(release ? [`release: ${release.text}`] : []), ...trace].join('\n'));
  }
  // Frames of other files (node internals, third-party scripts) are expected to stay as they are.
  for (const frame of unresolved) {
    const why = frame.resolve_failure ?? 'not from a file of this build';
    logger[frame.chunk_id ? 'warn' : 'debug'](`unresolved ${frame.filename}: ${why}`);
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
      '(an array of frames, {"frames": [...]}, or an $exception event) may carry chunk_id itself. The release ' +
      "(the event's $release_id, else the one injected in the chunks) is printed first. Exits 1 when no frame " +
      'could be resolved.',
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
