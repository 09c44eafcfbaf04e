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
import { fillLine, POST_BANNER_PLACEHOLDER } from './post-banner';

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

/** An app entry that loads two chunks sharing a third: Vite then puts `__vite__mapDeps` on top of it. */
const PRELOADING_SOURCE = `${APP_SOURCE}globalThis.a = () => import('./lazy-a.js');\nglobalThis.b = () => import('./lazy-b.js');\n`;

const projectDir = useTempProject('hogmaps-post-banner-', {
  'main.js': SOURCE,
  'app.js': APP_SOURCE,
  'preloading.js': PRELOADING_SOURCE,
  'lazy-a.js': "import { common } from './common.js';\nexport const a = common() + 1;\n",
  'lazy-b.js': "import { common } from './common.js';\nexport const b = common() + 2;\n",
  'common.js': 'export function common() {\n  return Math.random();\n}\n',
});

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

  test('a directive prologue after the reserved line moves up onto it, ahead of the snippet; the map is rolldown’s', async () => {
    const { code, mapText } = await build({ banner: '"use client";' });
    const plain = await build(
      { banner: '"use client";', postBanner: POST_BANNER_PLACEHOLDER },
      [],
      'plain-prologue',
    );
    const lines = code.split('\n');
    const chunkId = detectChunkId(code)!;
    expect(lines[0]).toBe(`"use client";${createSnippet(chunkId)}`);
    expect(lines[1]).toBe(plain.code.split('\n')[1]!.replace('"use client";', ' '.repeat(13)));
    expect(await mapText()).toBe(await plain.mapText());
    expect(originalLineOfThrow(code, JSON.parse(await mapText()))).toBe(THROW_LINE);
    expect(chunkId).toBe(computeChunkId(plain.code.replace(POST_BANNER_PLACEHOLDER, '')));
  });
});

/** Builds app.js with Vite 8 or 7 (minified, external maps) into `out`; returns its code and map. */
async function buildWithVite(
  vite: 8 | 7,
  plugins: unknown[],
  out: string,
  output: Record<string, unknown> = {},
  entry = 'app',
) {
  const options = {
    input: { [entry]: path.join(projectDir(), `${entry}.js`) },
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
  return { code: await read(`${entry}.js`), mapText: await read(`${entry}.js.map`) };
}

describe('Vite: the path follows the bundler underneath', () => {
  test('Vite 8, an entry that preloads chunks: the snippet goes ahead of Vite’s __vite__mapDeps line', async () => {
    const plugins = [createHogmapsUnplugin().vite(INJECT_ONLY)];
    const injected = await buildWithVite(8, plugins, 'dist-preloading', {}, 'preloading');
    const plain = await buildWithVite(
      8,
      [],
      'plain-preloading',
      { postBanner: POST_BANNER_PLACEHOLDER },
      'preloading',
    );
    const plainLines = plain.code.split('\n');
    expect(plainLines[0]).toMatch(/^const __vite__mapDeps=/);
    expect(plainLines[1]).toBe(POST_BANNER_PLACEHOLDER);

    const chunkId = detectChunkId(injected.code)!;
    const lines = injected.code.split('\n');
    // First in the file, ahead of Vite's line (which the map has nothing on); the reserved line empty.
    expect(lines[0]!.startsWith(`${createSnippet(chunkId)}const __vite__mapDeps=`)).toBe(true);
    expect(findInjectedSnippet(injected.code, chunkId)?.start).toBe(0);
    expect(lines[1]).toBe('');
    // The same code on the same columns (the chunks it names have other hashes with hogmaps).
    expect(lines[2]!.length).toBe(plainLines[2]!.length);
    expect(injected.mapText).toBe(plain.mapText);
    expect(originalLineOfThrow(injected.code, JSON.parse(injected.mapText))).toBe(THROW_LINE);
    expect(chunkId).toBe(computeChunkId(withoutInjection(injected.code, chunkId)));
  });

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

// The line filled in (rspack after its devtool, rolldown in generateBundle): no line after it may
// move, directives stay ahead of the snippet, and the id is of the file without what hogmaps put in.
const FILL_RELEASE = '0190d7a1-1111-7222-8333-444455556666';
const fillIds = {
  inject: (emptied: string) => emptied.trim() !== '',
  chunkIdFor: (emptied: string) => computeChunkId(emptied),
  releaseId: FILL_RELEASE,
};

/** Every line after the first, with each line's columns: what a map made before the fill points at. */
function columnsAfterFirstLine(code: string): string[] {
  return code
    .split('\n')
    .slice(1)
    .map((line) => line.replace(/^ +/, (spaces) => '_'.repeat(spaces.length)));
}

describe('fillLine', () => {
  test('puts the snippet on the reserved line and the chunk-id comment at the end', () => {
    const code = `${POST_BANNER_PLACEHOLDER}\n(self.chunk=self.chunk||[]).push([[1],{}]);`;
    const filled = fillLine(code, fillIds)!;
    const emptied = `\n(self.chunk=self.chunk||[]).push([[1],{}]);`;
    expect(filled.chunkId).toBe(computeChunkId(emptied));
    expect(filled.code).toBe(
      `${createSnippet(filled.chunkId!, FILL_RELEASE)}\n(self.chunk=self.chunk||[]).push([[1],{}]);\n//# chunkId=${filled.chunkId}`,
    );
    expect(detectChunkId(filled.code)).toBe(filled.chunkId);
  });

  test('moves a directive onto the line, ahead of the snippet, and blanks its old place', () => {
    const code = `${POST_BANNER_PLACEHOLDER}\n"use strict";(self.chunk=self.chunk||[]).push([[1],{a(){throw new Error("x")}}]);\nfoo();`;
    const filled = fillLine(code, fillIds)!;
    const lines = filled.code.split('\n');
    expect(lines[0]).toBe(`"use strict";${createSnippet(filled.chunkId!, FILL_RELEASE)}`);
    expect(lines[1]).toBe(
      `${' '.repeat('"use strict";'.length)}(self.chunk=self.chunk||[]).push([[1],{a(){throw new Error("x")}}]);`,
    );
    // Every column after the reserved line is where it was.
    const before = code.split('\n').slice(1);
    expect(lines.slice(1, 3).map((line) => line.length)).toEqual(before.map((line) => line.length));
    expect(lines[1]!.indexOf('throw')).toBe(before[0]!.indexOf('throw'));
    // Still strict: the directive is the first statement, and the snippet is recognised.
    expect(() => new Function(filled.code.replace('foo();', 'undeclared = 1;'))()).toThrow(ReferenceError);
    expect(findInjectedSnippet(filled.code, filled.chunkId)).toBeDefined();
    expect(filled.chunkId).toBe(computeChunkId(code.slice(POST_BANNER_PLACEHOLDER.length)));
  });

  test('several directives, with and without semicolons, keep their order', () => {
    const code = `${POST_BANNER_PLACEHOLDER}\n'use client'\n"use strict";\nrun();`;
    const filled = fillLine(code, fillIds)!;
    expect(filled.code.split('\n')[0]).toBe(
      `'use client';"use strict";${createSnippet(filled.chunkId!, FILL_RELEASE)}`,
    );
    expect(columnsAfterFirstLine(filled.code).slice(0, 3)).toEqual([
      '____________',
      '_____________',
      'run();',
    ]);
  });

  test('a directive continued over a line break is left where it is, and the file gets no id', () => {
    const code = `${POST_BANNER_PLACEHOLDER}\n"use \\\nstrict";run();`;
    expect(fillLine(code, fillIds)).toEqual({
      code: code.slice(POST_BANNER_PLACEHOLDER.length),
      chunkId: undefined,
      directivesStay: true,
    });
  });

  test('a hashbang a banner put after the reserved line goes back to line 1', () => {
    const code = `${POST_BANNER_PLACEHOLDER}\n#!/usr/bin/env node\n"use strict";run();`;
    const filled = fillLine(code, fillIds)!;
    const lines = filled.code.split('\n');
    expect(lines[0]).toBe('#!/usr/bin/env node');
    expect(lines[1]).toBe(`"use strict";${createSnippet(filled.chunkId!, FILL_RELEASE)}`);
    expect(lines[2]).toBe(`${' '.repeat(13)}run();`);
    expect(filled.chunkId).toBe(computeChunkId('#!/usr/bin/env node\n\n"use strict";run();'));
  });

  test('a reserved line after a hashbang is filled where it is', () => {
    const code = `#!/usr/bin/env node\n${POST_BANNER_PLACEHOLDER}\nrun();`;
    const filled = fillLine(code, fillIds)!;
    expect(filled.code.split('\n').slice(0, 3)).toEqual([
      '#!/usr/bin/env node',
      createSnippet(filled.chunkId!, FILL_RELEASE),
      'run();',
    ]);
  });

  test('after Vite’s __vite__mapDeps line, the snippet goes ahead of that line and the line stays empty', () => {
    const mapDeps =
      'const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/a.js"])))=>i.map(i=>d[i]);';
    for (const hashbang of ['', '#!/usr/bin/env node\n']) {
      const code = `${hashbang}${mapDeps}\n${POST_BANNER_PLACEHOLDER}\n"use strict";run();`;
      const filled = fillLine(code, fillIds)!;
      const snippet = createSnippet(filled.chunkId!, FILL_RELEASE);
      expect(filled.code).toBe(
        `${hashbang}${snippet}${mapDeps}\n\n"use strict";run();\n//# chunkId=${filled.chunkId}`,
      );
      expect(filled.chunkId).toBe(computeChunkId(`${hashbang}${mapDeps}\n\n"use strict";run();`));
    }
  });

  test('the chunk-id comment goes before the devtool’s sourceMappingURL comment', () => {
    const code = `${POST_BANNER_PLACEHOLDER}\nrun();\n//# sourceMappingURL=main.js.map`;
    const filled = fillLine(code, fillIds)!;
    expect(filled.code.endsWith(`\n//# chunkId=${filled.chunkId}\n//# sourceMappingURL=main.js.map`)).toBe(
      true,
    );
    expect(detectChunkId(filled.code)).toBe(filled.chunkId);
  });

  test('an already injected file keeps its id, and an empty one gets none; the line goes empty', () => {
    const injected = `\nrun();\n//# chunkId=0e9b3c7a-5d1f-42a8-b6c4-e2d0f8a17593`;
    expect(fillLine(`${POST_BANNER_PLACEHOLDER}${injected}`, fillIds)).toEqual({
      code: injected,
      chunkId: '0e9b3c7a-5d1f-42a8-b6c4-e2d0f8a17593',
    });
    expect(fillLine(`${POST_BANNER_PLACEHOLDER}\n  \n`, fillIds)).toEqual({
      code: '\n  \n',
      chunkId: undefined,
    });
  });

  test('a file without the reserved line is not touched', () => {
    expect(fillLine('"use strict";run();', fillIds)).toBeUndefined();
    expect(fillLine(`run();${POST_BANNER_PLACEHOLDER}\n`, fillIds)).toBeUndefined();
  });
});
