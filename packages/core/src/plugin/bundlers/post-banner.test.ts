// rolldown (and so Vite 8): the snippet goes on the line hogmaps reserves through `output.postBanner`,
// so the map rolldown made is written as it is; where a directive prologue follows that line, the
// snippet goes after it and the map's columns move. Vite 7 builds with rollup: the previous path.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { type OutputOptions, type Plugin, rolldown } from 'rolldown';
import { rollup } from 'rollup';
import { rolldownVersion, build as viteBuild } from 'vite';
import { build as vite7Build, version as vite7Version } from 'vite7';
import { describe, expect, test } from 'vitest';
import { useTempProject } from '../../../test/helpers/temp-project';
import { computeChunkId } from '../../chunk-id/compute';
import { detectChunkId, findInjectedSnippet } from '../../chunk-id/detect';
import { createChunkIdComment, createSnippet } from '../../inject/snippet';
import type { Options } from '../../options/types';
import { createHogmapsUnplugin } from '../factory';
import { POST_BANNER_PLACEHOLDER } from './post-banner';

const SOURCE = [
  'export function explode(input) {',
  '  if (!input) throw new Error("post-banner-boom");',
  '  return input;',
  '}',
  '',
].join('\n');
const THROW_LINE = 2;
/** A Vite app's entry: its exports are not kept (app builds), so it publishes the function instead. */
const APP_SOURCE = `${SOURCE.replace('export function', 'function')}globalThis.explode = explode;\n`;
const DEBUG_ID = '6a3a6d2e-3f1c-4b9e-9d1a-0c5e2f7b8a41';

const projectDir = useTempProject('hogmaps-post-banner-', { 'main.js': SOURCE, 'app.js': APP_SOURCE });

const INJECT_ONLY: Options = { logLevel: 'silent', manifest: false };
const hogmaps = () => createHogmapsUnplugin().rolldown(INJECT_ONLY) as Plugin;

async function build(output: OutputOptions, plugins: Plugin[] = [hogmaps()], out = 'dist') {
  const bundle = await rolldown({ input: path.join(projectDir(), 'main.js'), plugins });
  try {
    await bundle.write({
      dir: path.join(projectDir(), out),
      format: 'es',
      sourcemap: true,
      minify: true,
      ...output,
    });
  } finally {
    await bundle.close();
  }
  const read = (name: string) => readFile(path.join(projectDir(), out, name), 'utf8');
  return { code: await read('main.js'), mapText: () => read('main.js.map') };
}

/** The original line of the throw, through the map, from where the message is in the generated code. */
function originalLineOfThrow(code: string, map: object): number | null {
  const before = code.slice(0, code.indexOf('post-banner-boom'));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n') - 1;
  return originalPositionFor(new TraceMap(map as never), { line, column }).line;
}

/** The file with the snippet and the trailing comment cut out: what a derived chunk id is of. */
function withoutInjection(code: string, chunkId: string): string {
  const snippet = findInjectedSnippet(code, chunkId)!;
  return (code.slice(0, snippet.start) + code.slice(snippet.end)).replace(createChunkIdComment(chunkId), '');
}

describe('rolldown: the snippet on the reserved line', () => {
  test('the map is the one rolldown makes for the reserved line, byte for byte, and resolves', async () => {
    const injected = await build({});
    const plain = await build({ postBanner: POST_BANNER_PLACEHOLDER }, [], 'plain');
    expect(await injected.mapText()).toBe(await plain.mapText());

    const chunkId = detectChunkId(injected.code)!;
    expect(injected.code.split('\n')[0]).toBe(createSnippet(chunkId));
    expect(plain.code.split('\n')[0]).toBe(POST_BANNER_PLACEHOLDER);
    expect(injected.code.split('\n')[1]).toBe(plain.code.split('\n')[1]);
    expect(originalLineOfThrow(injected.code, JSON.parse(await injected.mapText()))).toBe(THROW_LINE);
    // The id is derived from the file as written, without the snippet and the comment.
    expect(chunkId).toBe(computeChunkId(withoutInjection(injected.code, chunkId)));
  });

  test("the user's own postBanner (a string or a function) stays, on the line after the snippet", async () => {
    for (const postBanner of ['/*! user banner */', () => '/*! user banner */']) {
      const { code, mapText } = await build({ postBanner });
      const lines = code.split('\n');
      expect(findInjectedSnippet(lines[0]!)).toBeDefined();
      expect(lines[1]).toBe('/*! user banner */');
      expect(originalLineOfThrow(code, JSON.parse(await mapText()))).toBe(THROW_LINE);
    }
  });

  test('after a hashbang: the snippet takes the line after it, and the map resolves', async () => {
    await writeFile(path.join(projectDir(), 'main.js'), `#!/usr/bin/env node\n${SOURCE}`);
    const { code, mapText } = await build({});
    const lines = code.split('\n');
    expect(lines[0]).toBe('#!/usr/bin/env node');
    expect(findInjectedSnippet(code)?.start).toBe(lines[0]!.length + 1);
    expect(originalLineOfThrow(code, JSON.parse(await mapText()))).toBe(THROW_LINE + 1);
  });

  test('an inline map is left as rolldown made it, and resolves', async () => {
    const { code } = await build({ sourcemap: 'inline' });
    const plain = await build({ sourcemap: 'inline', postBanner: POST_BANNER_PLACEHOLDER }, [], 'plain');
    const inlineMap = (text: string) => text.slice(text.lastIndexOf('base64,') + 'base64,'.length).trim();
    expect(inlineMap(code)).toBe(inlineMap(plain.code));
    const map = JSON.parse(Buffer.from(inlineMap(code), 'base64').toString('utf8'));
    expect(originalLineOfThrow(code, map)).toBe(THROW_LINE);
  });

  test('a directive prologue after the reserved line: the snippet goes after it, the line stays empty', async () => {
    const { code, mapText } = await build({ banner: '"use client";' });
    const lines = code.split('\n');
    expect(lines[0]).toBe('');
    const snippet = findInjectedSnippet(code);
    expect(snippet).toBeDefined();
    expect(code.slice(0, snippet!.start)).toBe('\n"use client";');
    expect(originalLineOfThrow(code, JSON.parse(await mapText()))).toBe(THROW_LINE);
  });
});

/** Builds app.js with Vite 8 or 7 (minified, external maps) into `out`; returns its code and map. */
async function buildWithVite(
  vite: 8 | 7,
  plugins: unknown[],
  out: string,
  output: Record<string, unknown> = {},
) {
  const options = {
    input: { app: path.join(projectDir(), 'app.js') },
    output: { entryFileNames: '[name].js', ...output },
  };
  const config = {
    root: projectDir(),
    configFile: false as const,
    envDir: false as const,
    logLevel: 'silent' as const,
    plugins: plugins as never[],
    build: { outDir: path.join(projectDir(), out), sourcemap: true, minify: true },
  };
  // Vite 7 takes rollup's options, Vite 8 rolldown's.
  if (vite === 8) await viteBuild({ ...config, build: { ...config.build, rolldownOptions: options } });
  else await vite7Build({ ...config, build: { ...config.build, rollupOptions: options } });
  const read = (name: string) => readFile(path.join(projectDir(), out, name), 'utf8');
  return { code: await read('app.js'), mapText: await read('app.js.map') };
}

describe('Vite: the path follows the bundler underneath', () => {
  test('Vite 8 (rolldown >= 1.3 since Vite 8.4): the reserved line, the map as rolldown made it', async () => {
    const [major, minor] = rolldownVersion.split('.').map(Number);
    expect(major! > 1 || minor! >= 3, `Vite's rolldown is ${rolldownVersion}`).toBe(true);
    const injected = await buildWithVite(8, [createHogmapsUnplugin().vite(INJECT_ONLY)], 'dist');
    const plain = await buildWithVite(8, [], 'plain', { postBanner: POST_BANNER_PLACEHOLDER });

    expect(injected.mapText).toBe(plain.mapText);
    const chunkId = detectChunkId(injected.code)!;
    expect(injected.code.split('\n')[0]).toBe(createSnippet(chunkId));
    expect(injected.code.split('\n')[1]).toBe(plain.code.split('\n')[1]);
    expect(originalLineOfThrow(injected.code, JSON.parse(injected.mapText))).toBe(THROW_LINE);
    expect(chunkId).toBe(computeChunkId(withoutInjection(injected.code, chunkId)));
  });

  test('Vite 7 (rollup, no postBanner): the snippet inline before the code, the map moved with it', async () => {
    expect(vite7Version.startsWith('7.')).toBe(true);
    const { code, mapText } = await buildWithVite(7, [createHogmapsUnplugin().vite(INJECT_ONLY)], 'dist');
    expect(code).not.toContain(POST_BANNER_PLACEHOLDER);
    const chunkId = detectChunkId(code)!;
    const firstLine = code.split('\n')[0]!;
    expect(firstLine.startsWith(createSnippet(chunkId))).toBe(true);
    expect(firstLine.length).toBeGreaterThan(createSnippet(chunkId).length);
    expect(originalLineOfThrow(code, JSON.parse(mapText))).toBe(THROW_LINE);
  });
});

describe('a debug id that only the map carries (another plugin wrote it)', () => {
  /** Writes `debugId` into every map in generateBundle, before hogmaps' post hook. */
  const mapOnlyDebugId: Plugin = {
    name: 'map-only-debug-id',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.map')) continue;
        const map = JSON.parse(String(file.source));
        file.source = JSON.stringify({ ...map, debugId: DEBUG_ID });
      }
    },
  };

  test('rolldown reads no map: the chunk id is derived from the code, and the map keeps the debug id', async () => {
    const { code, mapText } = await build({}, [mapOnlyDebugId, hogmaps()]);
    const chunkId = detectChunkId(code)!;
    expect(chunkId).not.toBe(DEBUG_ID);
    expect(chunkId).toBe(computeChunkId(withoutInjection(code, chunkId)));
    expect(JSON.parse(await mapText()).debugId).toBe(DEBUG_ID);
  });

  test("rollup (maps are JavaScript strings there) adopts it, as posthog-cli's fallback does", async () => {
    const bundle = await rollup({
      input: path.join(projectDir(), 'main.js'),
      plugins: [mapOnlyDebugId as never, createHogmapsUnplugin().rollup(INJECT_ONLY) as never],
    });
    try {
      await bundle.write({ dir: path.join(projectDir(), 'dist'), format: 'es', sourcemap: true });
    } finally {
      await bundle.close();
    }
    expect(detectChunkId(await readFile(path.join(projectDir(), 'dist', 'main.js'), 'utf8'))).toBe(DEBUG_ID);
  });
});
