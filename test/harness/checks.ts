// The semantic assertions every bundler must pass, whatever its output looks like.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { findInjectedSnippet, findSourceMappingUrl, stripSourceMappingUrl } from '@hogmaps/core';
import { originalPositionFor, sourceContentFor, TraceMap } from '@jridgewell/trace-mapping';
import { expect } from 'vitest';
import type { ScenarioThrow } from '../scenarios/app/scenario';
import type { TestProject } from './server';
import type { BuildOutcome } from './types';

const JS_FILE = /\.[cm]?js$/;
/** What may precede the snippet: a hashbang, blank space, comments and directives ("use strict"). */
const PROLOGUE_ONLY = /^(?:#![^\n]*\n)?(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n|(["'])use [a-z ]+\1;?)*$/;
const CHUNK_ID_LINE = /^\/\/# chunkId=(.*)$/gm;
/** hogmaps' own files, not part of the app's output. */
export const HOGMAPS_FILES = new Set(['hogmaps-manifest.json']);

export interface JsFile {
  /** Relative to the output folder. */
  name: string;
  code: string;
}

export async function readJsFiles(outcome: BuildOutcome): Promise<JsFile[]> {
  const names = outcome.files.filter((name) => JS_FILE.test(name));
  return Promise.all(
    names.map(async (name) => ({ name, code: await readFile(path.join(outcome.outDir, name), 'utf8') })),
  );
}

/**
 * Asserts that a file carries exactly one chunk id, in exactly one `//# chunkId=` line and one snippet,
 * and that the snippet is the first statement (after hashbang and directives only). Returns the id.
 */
export function expectOneChunkId(file: JsFile): string {
  const comments = [...file.code.matchAll(CHUNK_ID_LINE)].map((match) => match[1]!);
  expect(comments, `${file.name}: one //# chunkId= line`).toHaveLength(1);
  const id = comments[0]!;
  expect(id, `${file.name}: a UUID chunk id`).toMatch(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  );
  const snippet = findInjectedSnippet(file.code, id);
  expect(snippet, `${file.name}: the snippet registering ${id} is the first statement`).toBeDefined();
  expect(
    file.code.slice(0, snippet!.start),
    `${file.name}: only hashbang, comments, directives before the snippet`,
  ).toMatch(PROLOGUE_ONLY);
  const outside = file.code.slice(0, snippet!.start) + file.code.slice(snippet!.end);
  expect(outside.includes('_posthogChunkIds'), `${file.name}: one snippet only`).toBe(false);
  // The id appears twice: its string literal in the snippet, and the trailing comment.
  expect(file.code.split(id).length - 1, `${file.name}: the id appears in the snippet and comment only`).toBe(
    2,
  );
  return id;
}

/** Every emitted JS file has exactly one id, ids are unique; returns file name → chunk id. */
export function expectChunkIds(files: readonly JsFile[]): Map<string, string> {
  expect(files.length, 'at least one JS file').toBeGreaterThan(0);
  const ids = new Map(files.map((file) => [file.name, expectOneChunkId(file)]));
  expect(new Set(ids.values()).size, 'one id per file').toBe(files.length);
  return ids;
}

/** No `.map` file ships, and no shipped file points to a map. */
export function expectNoShippedMaps(outcome: BuildOutcome, files: readonly JsFile[]): void {
  expect(outcome.files.filter((name) => name.endsWith('.map'))).toEqual([]);
  for (const file of files)
    expect(findSourceMappingUrl(file.code), `${file.name}: no sourceMappingURL`).toBeUndefined();
}

/** Every sourceMappingURL of a shipped JS or CSS file names a file that exists. */
export async function expectMapReferencesResolve(outcome: BuildOutcome): Promise<void> {
  for (const name of outcome.files.filter((file) => /\.(?:[cm]?js|css)$/.test(file))) {
    const code = await readFile(path.join(outcome.outDir, name), 'utf8');
    const url = findSourceMappingUrl(code) ?? /\/\*# sourceMappingURL=(\S+) \*\/\s*$/.exec(code)?.[1];
    if (!url || url.startsWith('data:')) continue;
    const target = path.resolve(path.dirname(path.join(outcome.outDir, name)), decodeURIComponent(url));
    expect(existsSync(target), `${name} points to ${url}, which must exist`).toBe(true);
  }
}

/** The project holds exactly one finished symbol set per chunk id, and nothing else. */
export function expectUploaded(project: TestProject, chunkIds: Iterable<string>): void {
  const rows = project.rows();
  expect(rows.map((row) => row.ref).sort()).toEqual([...new Set(chunkIds)].sort());
  for (const row of rows) {
    expect(row.content_hash, `${row.ref}: upload finished`).toMatch(/^[0-9a-f]{128}$/);
    expect(row.storage_ptr).not.toBeNull();
  }
}

/** The 1-based line of the source holding `message`. */
async function lineOf(root: string, source: string, message: string): Promise<number> {
  const lines = (await readFile(path.join(root, source), 'utf8')).split('\n');
  const index = lines.findIndex((line) => line.includes(message));
  if (index < 0) throw new Error(`${message} is not in ${source}`);
  return index + 1;
}

/**
 * Each throw is found in the shipped code by its unique message; the uploaded symbol set of that file
 * (downloaded, decoded) holds the same code, and its map leads from there back to the original line.
 */
export async function expectThrowsResolve(options: {
  project: TestProject;
  root: string;
  files: readonly JsFile[];
  chunkIds: Map<string, string>;
  throws: readonly ScenarioThrow[];
}): Promise<void> {
  for (const thrown of options.throws) {
    const holders = options.files.filter((file) => file.code.includes(thrown.message));
    expect(
      holders.map((file) => file.name),
      `${thrown.message} ships in one file`,
    ).toHaveLength(1);
    const file = holders[0]!;
    const set = await options.project.download(options.chunkIds.get(file.name)!);
    expect(stripSourceMappingUrl(set.minified), `${file.name}: the uploaded code is the shipped code`).toBe(
      stripSourceMappingUrl(file.code),
    );
    const offset = set.minified.indexOf(thrown.message) - 1; // the opening quote
    const before = set.minified.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - (before.lastIndexOf('\n') + 1);
    const map = new TraceMap(set.map);
    const original = originalPositionFor(map, { line, column });
    expect(original.source, `${thrown.message}: mapped to a source`).not.toBeNull();
    expect(`/${original.source!.replace(/\\/g, '/')}`).toMatch(
      new RegExp(`/${thrown.source.replace('.', '\\.')}$`),
    );
    expect(original.line, `${thrown.message}: original line`).toBe(
      await lineOf(options.root, thrown.source, thrown.message),
    );
    const content = sourceContentFor(map, original.source!);
    if (content !== null) expect(content).toContain(thrown.message);
  }
}

/** Two builds: a file name present in both has the same bytes in both (a name never hides a change). */
export async function expectNamesFollowContent(first: BuildOutcome, second: BuildOutcome): Promise<string[]> {
  const shared = first.files.filter((name) => second.files.includes(name) && !HOGMAPS_FILES.has(name));
  for (const name of shared) {
    const [a, b] = await Promise.all([
      readFile(path.join(first.outDir, name)),
      readFile(path.join(second.outDir, name)),
    ]);
    expect(a.equals(b), `${name}: same name, so the same bytes`).toBe(true);
  }
  return shared;
}

/** Both builds emitted the same files with the same bytes (hogmaps' manifest aside: it has a timestamp). */
export async function expectIdenticalOutput(first: BuildOutcome, second: BuildOutcome): Promise<void> {
  const appFiles = (outcome: BuildOutcome) => outcome.files.filter((name) => !HOGMAPS_FILES.has(name));
  expect(appFiles(second)).toEqual(appFiles(first));
  await expectNamesFollowContent(first, second);
}

const run = promisify(execFile);

/** Runs the Node entry of a `node` build; returns its stdout. */
export async function runNodeEntry(outcome: BuildOutcome, entry: string, args: string[]): Promise<string> {
  const file = outcome.files.find(
    (name) => JS_FILE.test(name) && path.basename(name).split('.')[0] === entry,
  );
  if (!file) throw new Error(`no output file for entry ${entry} in ${outcome.files.join(', ')}`);
  const { stdout } = await run(process.execPath, [path.join(outcome.outDir, file), ...args], {
    cwd: outcome.outDir,
  });
  return stdout;
}

/** Warnings hogmaps reported through the bundler (`[hogmaps] …`). */
export function hogmapsWarnings(outcome: BuildOutcome): string[] {
  return outcome.warnings.filter((warning) => warning.startsWith('[hogmaps'));
}
