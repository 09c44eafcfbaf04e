// The assertions every framework's end-to-end test makes (issue #10): one release per build, exactly one
// snippet per deployed JavaScript file, symbol sets = the deployed chunks worth mapping (each holding the
// deployed bytes), no map reachable over HTTP, and a second build that uploads nothing.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DecodedSymbolSet } from '@hogmaps/core';
import type { FaultStatus } from '@hogmaps/server';
import { expect } from 'vitest';
import type { LocalServer } from '../../test/harness/local-server';
import { type DeployedFile, listFiles, mapsAnything } from './deployed';
import type { FrameworkBuild } from './processes';

/**
 * The build printed one summary per finished bundler build, all for the same release, and the server
 * holds exactly that one release. Returns its id.
 */
export async function expectOneRelease(local: LocalServer, build: FrameworkBuild): Promise<string> {
  expect(build.summaries.length, build.hogmapsLines.join('\n')).toBeGreaterThan(0);
  const names = new Set(build.summaries.map((line) => /release (\S+?):/.exec(line)?.[1]));
  expect([...names], build.summaries.join('\n')).toHaveLength(1);
  const releases = await local.get<{ results: { id: string }[] }>(
    `/api/projects/${local.server.projectId}/error_tracking/releases/`,
  );
  expect(releases.results).toHaveLength(1);
  return releases.results[0]!.id;
}

/** hogmaps printed no warning or error (expected cases are silent; summaries are info lines). */
export function expectNoHogmapsWarnings(build: FrameworkBuild): void {
  const loud = build.hogmapsLines.filter((line) => /warning|error|failed/i.test(line));
  expect(loud, build.output).toEqual([]);
}

/**
 * Every deployed JavaScript file carries exactly one snippet, whose id is also its trailing `//# chunkId=`
 * comment, and no two files share an id. `withoutSnippet` names the files a framework writes after the
 * bundler (glue it generates, never minified, holding none of the app's code): they must carry none.
 */
export function expectOneSnippetEach(
  deployed: readonly DeployedFile[],
  withoutSnippet: (file: string) => boolean = () => false,
): DeployedFile[] {
  const injected = deployed.filter((file) => !withoutSnippet(file.file));
  expect(injected.length, 'deployed JavaScript files').toBeGreaterThan(0);
  for (const file of injected) {
    expect(file.snippetIds, `${file.file}: one snippet`).toHaveLength(1);
    expect(file.commentId, `${file.file}: its //# chunkId= comment`).toBe(file.snippetIds[0]);
  }
  for (const file of deployed.filter((entry) => withoutSnippet(entry.file))) {
    expect(file.snippetIds, `${file.file}: framework glue, no snippet`).toEqual([]);
  }
  expect(new Set(injected.map((file) => file.commentId)).size, 'one id per file').toBe(injected.length);
  return injected;
}

/**
 * The uploaded symbol sets are exactly the deployed chunks worth mapping: each set holds the bytes of the
 * deployed file with its id and a map that maps something, and each deployed file with a snippet for
 * which `worthMapping` holds (see `worthMappingIn`) has a set.
 */
export function expectUploadsMatchDeployed(
  sets: ReadonlyMap<string, DecodedSymbolSet>,
  deployed: readonly DeployedFile[],
  worthMapping: (file: DeployedFile) => boolean,
): void {
  const byId = new Map(deployed.map((file) => [file.commentId, file]));
  for (const [chunkId, set] of sets) {
    const file = byId.get(chunkId);
    expect(file, `symbol set ${chunkId} belongs to a deployed file`).toBeDefined();
    expect(set.minified, `symbol set of ${file?.file}: the deployed bytes`).toBe(file?.code);
    expect(mapsAnything(set.map), `symbol set of ${file?.file}: a map that maps something`).toBe(true);
  }
  const expected = deployed.filter((file) => file.snippetIds.length > 0 && worthMapping(file));
  const missing = expected.filter((file) => !sets.has(file.commentId!)).map((file) => file.file);
  expect(missing, `deployed chunks worth mapping without a symbol set: ${missing.join(', ')}`).toEqual([]);
  expect(sets.size, 'one symbol set per deployed chunk worth mapping').toBe(expected.length);
}

// What a chunk holds besides code: the snippet, comments, and import and export statements.
const NOT_CODE = [
  /!function\(\)\{try\{var e="undefined"[\s\S]*?\}catch\(e\)\{\}\}\(\);?/g,
  /\/\*[\s\S]*?\*\/|\/\/[^\n]*/g,
  /\b(?:import|export)\s*(?:[\w$*\s{},]*?\bfrom\s*)?["'][^"']*["']\s*;?/g,
  /\bexport\s*\{[^}]*\}\s*;?/g,
];

/** Whether a chunk holds code of its own, not only re-exports of other chunks (a facade). */
export function hasOwnCode(code: string): boolean {
  return NOT_CODE.reduce((rest, pattern) => rest.replace(pattern, ''), code).trim() !== '';
}

/** Vite's module preload helper: a virtual module with no source, for which Vite writes no map. */
export function isVitePreloadHelper(code: string): boolean {
  return code.includes('vite:preloadError') && !code.includes('import(');
}

/**
 * An unminified chunk (a server build) whose every module is virtual: rolldown heads each module with a
 * `// <id>` comment, and `\0`-prefixed ids (`\0rolldown/runtime.js`, a framework's `\0virtual:…`) have
 * no original file for a map to point at.
 */
export function onlyVirtualModules(code: string): boolean {
  const modules = [...code.matchAll(/^\/\/ (\S+)$/gm)].map((match) => match[1]!);
  return modules.length > 0 && modules.every((id) => id.startsWith('\\0'));
}

/**
 * Which deployed chunks (under `dir`) are worth mapping: where the framework kept a map next to the chunk
 * (server builds), that map maps something; where none is left (hogmaps' maps are deleted after the
 * upload), the chunk holds code of its own with an original source (not a facade that only re-exports,
 * nor Vite's preload helper, nor only virtual modules).
 */
export function worthMappingIn(dir: string): (file: DeployedFile) => boolean {
  return (file) => {
    const map = path.join(dir, `${file.file}.map`);
    if (existsSync(map)) return mapsAnything(readFileSync(map, 'utf8'));
    return hasOwnCode(file.code) && !isVitePreloadHelper(file.code) && !onlyVirtualModules(file.code);
  };
}

/**
 * No map is reachable by a browser: none under the public folder, no `sourceMappingURL` in the served
 * files, and `<file>.map` answers 404 (each served file itself answers 200). `urlOf` gives a deployed
 * public file's URL path (`/_app/…`).
 */
export async function expectNoMapsServed(options: {
  baseUrl: string;
  publicDir: string;
  files: readonly DeployedFile[];
  urlOf: (file: string) => string;
}): Promise<void> {
  expect(listFiles(options.publicDir).filter((file) => file.endsWith('.map'))).toEqual([]);
  expect(options.files.length, 'public JavaScript files').toBeGreaterThan(0);
  for (const file of options.files) {
    expect(file.code, file.file).not.toContain('sourceMappingURL=');
    const url = `${options.baseUrl}${options.urlOf(file.file)}`;
    expect((await fetch(url)).status, url).toBe(200);
    expect((await fetch(`${url}.map`)).status, `${url}.map`).toBe(404);
  }
}

/** Counts the symbol-set uploads to the server's object storage from now on. */
export function countUploads(local: LocalServer): FaultStatus {
  return local.server.faults.add({
    match: { target: 'storage', method: 'POST' },
    action: { delayMs: 0 },
    times: Number.MAX_SAFE_INTEGER,
  });
}

/** A second build of the same sources uploaded nothing: no object stored, every summary says so. */
export function expectNothingUploaded(uploads: FaultStatus, build: FrameworkBuild): void {
  expect(uploads.hits, build.hogmapsLines.join('\n')).toBe(0);
  for (const line of build.summaries) expect(line).not.toMatch(/[1-9]\d* symbol sets? uploaded/);
}
