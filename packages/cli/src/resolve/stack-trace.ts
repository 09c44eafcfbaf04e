/** A frame as PostHog's SDKs send it (posthog-protocol.md 1.7 and 6). */
export interface RawFrame {
  platform: string;
  filename: string;
  function: string;
  lineno?: number;
  colno?: number;
  in_app: boolean;
  chunk_id?: string;
  [key: string]: unknown;
}

/** One input line: a frame (with the text it came from) or any other line, kept for printing. */
export type StackLine = { text: string; frame: RawFrame } | { text: string; frame?: undefined };

// `at fn (file:1:2)`, `at async fn (file:1:2)`, `at new C (file:1:2)`, `at file:1:2`.
const V8_FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?\s*$/;
// `at fn (native)`, `at fn (<anonymous>)`: a frame without a position.
const V8_NO_POSITION = /^\s*at (?:(.+?) \()?([^():]+)\)?\s*$/;
// Firefox and Safari: `fn@file:1:2`.
const GECKO_FRAME = /^\s*(.*?)@(.+?):(\d+):(\d+)\s*$/;

/** Parses a stack trace as `Error.stack` prints it (V8; Firefox and Safari lines too). */
export function parseStackTrace(text: string): StackLine[] {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  return lines.map((line) => {
    const v8 = V8_FRAME.exec(line);
    if (v8 && !v8[2]!.includes('eval at ')) return { text: line, frame: frame(v8[1], v8[2]!, v8[3], v8[4]) };
    const gecko = /^\s*at /.test(line) ? null : GECKO_FRAME.exec(line);
    if (gecko) return { text: line, frame: frame(gecko[1] || undefined, gecko[2]!, gecko[3], gecko[4]) };
    const bare = V8_NO_POSITION.exec(line);
    if (bare) return { text: line, frame: frame(bare[1], bare[2]!, undefined, undefined) };
    return { text: line };
  });
}

function frame(name: string | undefined, filename: string, line?: string, column?: string): RawFrame {
  const fn = (name ?? '?').replace(/^async /, '');
  return {
    platform: 'web:javascript',
    filename,
    function: fn,
    ...(line ? { lineno: Number(line) } : {}),
    ...(column ? { colno: Number(column) } : {}),
    in_app: true,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Frames from JSON: an array of frames, `{"frames": [...]}`, an `$exception` event, or its
 * `$exception_list`. Returns undefined when the text is not JSON.
 */
export function framesFromJson(text: string): RawFrame[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  const list = findFrames(value);
  return list?.filter(isRecord).map((item) => ({
    platform: 'web:javascript',
    in_app: true,
    function: '?',
    ...item,
    filename: typeof item.filename === 'string' ? item.filename : '',
  })) as RawFrame[] | undefined;
}

function findFrames(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) {
    // A `$exception_list`: each item has a stacktrace.
    if (value.some((item) => isRecord(item) && isRecord(item.stacktrace))) {
      return value.flatMap((item) => (isRecord(item) ? (findFrames(item.stacktrace) ?? []) : []));
    }
    return value;
  }
  if (!isRecord(value)) return undefined;
  if (Array.isArray(value.frames)) return value.frames;
  for (const key of ['$exception_list', 'exception_list', 'properties']) {
    const found = value[key] === undefined ? undefined : findFrames(value[key]);
    if (found) return found;
  }
  return undefined;
}
