// Shared by the webpack / rspack tests: a small app written to a temp folder, a real local server whose
// request log is recorded, promisified compiler runs, and readers for what was emitted and uploaded.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, decodeSymbolSet, detectChunkId } from '@hogmaps/core';
import { type RunningServer, startServer } from '@hogmaps/server';
import { originalPositionFor, sourceContentFor, TraceMap } from '@jridgewell/trace-mapping';

/** A client entry and a worker entry that both load `shared.js` lazily, and a util that throws. */
export const APP_FILES: Record<string, string> = {
  'src/main.js': [
    "import { fail } from './util.js';",
    "export const load = () => import('./shared.js');",
    "globalThis.app = { load, fail: () => fail('client') };",
    '',
  ].join('\n'),
  'src/worker.js': [
    "import { fail } from './util.js';",
    "globalThis.worker = { load: () => import('./shared.js'), fail: () => fail('worker') };",
    '',
  ].join('\n'),
  'src/util.js': ['export function fail(where) {', "  throw new Error('failed in ' + where);", '}', ''].join(
    '\n',
  ),
  'src/shared.js': [
    'export function shared(value) {',
    "  if (!value) throw new TypeError('shared needs a value');",
    '  return value * 2;',
    '}',
    '',
  ].join('\n'),
};

const folders: string[] = [];

/** The app's production config for webpack and rspack: `main` with content-hashed names into `outDir`. */
export function appConfig(root: string, outDir: string, filename = '[name].[contenthash].js') {
  return {
    mode: 'production' as const,
    context: root,
    entry: { main: './src/main.js' },
    output: { path: outDir, filename },
    infrastructureLogging: { level: 'error' as const },
  };
}

export function writeApp(files: Record<string, string> = APP_FILES): string {
  const root = mkdtempSync(path.join(tmpdir(), 'hogmaps-xpack-'));
  folders.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

export function removeApps(): void {
  if (process.env.KEEP_OUTPUT) return;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

export interface RecordingServer {
  server: RunningServer;
  /** `METHOD /path` of every request, in order. */
  requests: string[];
  count(method: string, pathPart: string): number;
  close(): Promise<void>;
}

/** The real local server on 127.0.0.1, its debug request log captured. */
export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: string[] = [];
  const dataDir = writeApp({});
  const logger = createLogger({
    level: 'debug',
    write: (line) => {
      const match = /(GET|POST|PUT|DELETE|PATCH|HEAD) (\S+) →/.exec(line);
      if (match) requests.push(`${match[1]} ${match[2]!.replace(/\?.*$/, '')}`);
    },
  });
  const server = await startServer({ dataDir: path.join(dataDir, 'data'), logger });
  return {
    server,
    requests,
    count: (method, pathPart) =>
      requests.filter((r) => r.startsWith(`${method} `) && r.includes(pathPart)).length,
    close: () => server.close(),
  };
}

export function credentials(server: RunningServer) {
  return { host: server.url, personalApiKey: server.apiKey, projectId: server.projectId };
}

interface StatsLike {
  hasErrors(): boolean;
  hasWarnings(): boolean;
  toJson(options: object): {
    errors?: { message: string }[];
    warnings?: { message: string }[];
    children?: { errors?: { message: string }[]; warnings?: { message: string }[] }[];
  };
}

export interface RunResult {
  errors: string[];
  warnings: string[];
}

function messages(stats: StatsLike): RunResult {
  const json = stats.toJson({ all: false, errors: true, warnings: true, children: true });
  const parts = json.children?.length ? json.children : [json];
  return {
    errors: parts.flatMap((part) => (part.errors ?? []).map((error) => error.message)),
    warnings: parts.flatMap((part) => (part.warnings ?? []).map((warning) => warning.message)),
  };
}

/** Runs a Compiler or MultiCompiler once and closes it; rejects only on a fatal (non-stats) error. */
export function runOnce(compiler: {
  run(callback: (error: Error | null, stats?: StatsLike) => void): void;
  close(callback: (error?: Error | null) => void): void;
}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    compiler.run((error, stats) => {
      compiler.close(() => {
        if (error || !stats) reject(error ?? new Error('no stats'));
        else resolve(messages(stats));
      });
    });
  });
}

export function hogmapsWarnings(result: RunResult): string[] {
  return result.warnings.filter((warning) => warning.includes('[hogmaps]'));
}

export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

export function jsFiles(dir: string): string[] {
  return filesIn(dir).filter((file) => file.endsWith('.js'));
}

/** file → chunk id, read from the trailing comment of each emitted JavaScript file. */
export function chunkIdsIn(dir: string): Map<string, string | undefined> {
  return new Map(
    jsFiles(dir).map((file) => [file, detectChunkId(readFileSync(path.join(dir, file), 'utf8'))]),
  );
}

export interface UploadedSet {
  chunkId: string;
  minified: string;
  map: { sources: string[]; sourcesContent?: (string | null)[] } & Record<string, unknown>;
}

/** What the server stored, decoded from its object storage. */
export function uploadedSets(server: RunningServer): UploadedSet[] {
  return server.admin.symbolSetRows(server.projectId).map((row) => {
    const decoded = decodeSymbolSet(readFileSync(server.admin.blobPath(row.storage_ptr!)));
    return { chunkId: row.ref, minified: decoded.minified, map: JSON.parse(decoded.map) };
  });
}

/**
 * Every `throw` in the minified code, resolved through the map: each must land on a `throw` in the
 * original source. Returns the resolved `source:line` list (empty when the code throws nowhere).
 */
export function resolveThrows(minified: string, map: UploadedSet['map']): string[] {
  const trace = new TraceMap(map as never);
  const resolved: string[] = [];
  const lines = minified.split('\n');
  lines.forEach((text, index) => {
    for (const match of text.matchAll(/\bthrow\b/g)) {
      const position = originalPositionFor(trace, { line: index + 1, column: match.index });
      if (position.source === null) throw new Error(`throw at ${index + 1}:${match.index} maps to nothing`);
      const content = sourceContentFor(trace, position.source) ?? '';
      const original = content.split('\n')[position.line - 1] ?? '';
      if (!original.slice(position.column).startsWith('throw')) {
        throw new Error(
          `throw at ${index + 1}:${match.index} maps to ${position.source}:${position.line}:${position.column}, ` +
            `which reads ${JSON.stringify(original.slice(position.column, position.column + 30))}`,
        );
      }
      resolved.push(`${position.source}:${position.line}`);
    }
  });
  return resolved;
}
