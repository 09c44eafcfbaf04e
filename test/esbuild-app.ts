// The esbuild tests' own app: an entry, a chunk shared with a lazy module (esbuild splits it out), two
// lazy chunks, one of them starting with a directive, and CSS. Written to a temp folder per test.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const APP_FILES: Record<string, string> = {
  'src/main.js': [
    "import './style.css';",
    "import { parse } from './shared.js';",
    '',
    'export function failMain() {',
    "  throw new Error('boom-main');",
    '}',
    '',
    'globalThis.app = {',
    '  failMain,',
    '  parse,',
    "  loadA: () => import('./lazy-a.js'),",
    "  loadB: () => import('./lazy-b.js'),",
    '};',
    '',
  ].join('\n'),
  'src/shared.js': [
    'export function parse(text) {',
    "  const [top, bottom] = String(text).split('/').map(Number);",
    '  if (!bottom) {',
    "    throw new Error('boom-shared');",
    '  }',
    '  return top / bottom;',
    '}',
    '',
  ].join('\n'),
  'src/lazy-a.js': [
    "import { parse } from './shared.js';",
    '',
    'export const REVISION = 1;',
    '',
    'export function failA() {',
    "  if (parse('4/2') > REVISION) throw new RangeError('boom-a');",
    '}',
    '',
  ].join('\n'),
  'src/lazy-b.js': [
    "'use client';",
    '',
    'export function failB() {',
    '  const strict = (function () {',
    '    return this === undefined;',
    '  })();',
    "  throw new TypeError('boom-b:' + (strict ? 'strict' : 'sloppy'));",
    '}',
    '',
  ].join('\n'),
  'src/style.css': 'body { color: rebeccapurple; }\n',
  'node/cli.js': [
    '#!/usr/bin/env node',
    "'use strict';",
    "import { parse } from '../src/shared.js';",
    '',
    'function mode() {',
    "  return this === undefined ? 'strict' : 'sloppy';",
    '}',
    '',
    "if (process.argv[2] === 'fail') throw new Error('boom-cli');",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source text
    "console.log(`ratio=${parse('6/3')} mode=${mode()} ids=${Object.keys(globalThis._posthogChunkIds ?? {}).length}`);",
    '',
  ].join('\n'),
};

/** Where each throw is: its message and the source file (relative to the app root). */
export const APP_THROWS = {
  main: { message: 'boom-main', source: 'src/main.js' },
  shared: { message: 'boom-shared', source: 'src/shared.js' },
  a: { message: 'boom-a', source: 'src/lazy-a.js' },
  b: { message: 'boom-b', source: 'src/lazy-b.js' },
} as const;
export type ThrowName = keyof typeof APP_THROWS;

export async function writeApp(root: string): Promise<void> {
  for (const [file, text] of Object.entries(APP_FILES)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
}

/** The 1-based line of a throw in its source. */
export function throwLine(name: ThrowName): number {
  const { message, source } = APP_THROWS[name];
  return APP_FILES[source]!.split('\n').findIndex((line) => line.includes(`'${message}`)) + 1;
}

export interface Frame {
  file: string;
  /** 1-based, as V8 reports them. */
  line: number;
  column: number;
}

/** The top frame (crash site, or where the snippet ran) of a V8 stack; ESM frames are file URLs. */
export function topFrame(stack: string): Frame {
  const match = /\(((?:file:\/\/)?\/[^)]+):(\d+):(\d+)\)|at ((?:file:\/\/)?\/\S+):(\d+):(\d+)/.exec(stack);
  if (!match) throw new Error(`no file frame in ${stack}`);
  const [location, line, column] = match[1] ? match.slice(1, 4) : match.slice(4, 7);
  const file = location!.startsWith('file:') ? fileURLToPath(location!) : location!;
  return { file, line: Number(line), column: Number(column) };
}

export interface AppRun {
  /** Where each function threw. */
  throws: Record<ThrowName, Frame>;
  /** What the snippets registered at runtime: file → chunk id (as PostHog's SDK reads it). */
  registered: Record<string, string>;
  messages: Record<ThrowName, string>;
}

const RUN_SCRIPT = `
const { pathToFileURL } = await import('node:url');
await import(pathToFileURL(process.argv[1]).href);
const app = globalThis.app;
const stacks = {};
const messages = {};
const attempt = async (name, fn) => {
  try { await fn(); } catch (error) { stacks[name] = error.stack; messages[name] = error.message; }
};
await attempt('main', () => app.failMain());
await attempt('shared', () => app.parse('1/0'));
await attempt('a', async () => (await app.loadA()).failA());
await attempt('b', async () => (await app.loadB()).failB());
console.log(JSON.stringify({ stacks, messages, registered: globalThis._posthogChunkIds ?? {} }));
`;

/** Runs the built app in a fresh Node process, makes every function throw, and reads the snippets' registry. */
export async function runApp(entry: string): Promise<AppRun> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--input-type=module',
    '-e',
    RUN_SCRIPT,
    entry,
  ]);
  const raw = JSON.parse(stdout) as {
    stacks: Record<ThrowName, string>;
    messages: Record<ThrowName, string>;
    registered: Record<string, string>;
  };
  const throws = Object.fromEntries(
    Object.entries(raw.stacks).map(([name, stack]) => [name, topFrame(stack)]),
  ) as Record<ThrowName, Frame>;
  const registered = Object.fromEntries(
    Object.entries(raw.registered).map(([stack, chunkId]) => [topFrame(stack).file, chunkId]),
  );
  return { throws, registered, messages: raw.messages };
}

/** The `//# chunkId=` values of a file (exactly one for an injected chunk). */
export async function chunkIdsIn(file: string): Promise<string[]> {
  const code = await readFile(file, 'utf8');
  return [...code.matchAll(/^\/\/# chunkId=(\S+)$/gm)].map((match) => match[1]!);
}
