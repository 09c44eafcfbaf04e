import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { type OutputOptions, type Plugin, rolldown } from 'rolldown';
import { type Plugin as RollupPlugin, rollup } from 'rollup';
import { describe, expect, test } from 'vitest';
import { useTempProject } from '../../../test/helpers/temp-project';
import { detectChunkId, findInjectedSnippet } from '../../chunk-id/detect';
import type { Options } from '../../options/types';
import { resetBuildSessions } from '../../session/registry';
import { createHogmapsUnplugin } from '../factory';

const SOURCE = [
  '"use strict";',
  'export function explode(input) {',
  '  if (!input) throw new Error("rollup-hooks-boom");',
  '  return input;',
  '}',
  '',
].join('\n');

const projectDir = useTempProject('hogmaps-rollup-hooks-', { 'main.js': SOURCE });

const INJECT_ONLY: Options = { logLevel: 'silent', manifest: false };

/** Builds main.js with rolldown and the hogmaps plugin (inject only: no credentials). */
async function build(
  output: OutputOptions,
  experimental: { nativeMagicString?: boolean } = {},
  plugins: Plugin[] = [createHogmapsUnplugin().rolldown(INJECT_ONLY) as Plugin],
) {
  const bundle = await rolldown({ input: path.join(projectDir(), 'main.js'), plugins, experimental });
  try {
    await bundle.write({ dir: path.join(projectDir(), 'dist'), format: 'es', ...output });
  } finally {
    await bundle.close();
  }
  const code = await readFile(path.join(projectDir(), 'dist', 'main.js'), 'utf8');
  return {
    code,
    map: async () => JSON.parse(await readFile(path.join(projectDir(), 'dist', 'main.js.map'), 'utf8')),
  };
}

/** The original line of the throw, found through the map at the message in the generated code. */
function originalLineOfThrow(code: string, map: object): number | null {
  const offset = code.indexOf('rollup-hooks-boom') - 1;
  const before = code.slice(0, offset);
  const line = before.split('\n').length;
  return originalPositionFor(new TraceMap(map as never), {
    line,
    column: offset - (before.lastIndexOf('\n') + 1),
  }).line;
}

/** Where the throw's message literal is in SOURCE (1-based line, 0-based column of its quote). */
const THROW_AT = { line: 3, column: SOURCE.split('\n')[2]!.indexOf('"rollup-hooks-boom"') };

/** The original position of the throw's message literal, through `map`. */
function originalOfThrow(code: string, map: object) {
  const offset = code.indexOf('rollup-hooks-boom') - 1;
  const before = code.slice(0, offset);
  const { line, column } = originalPositionFor(new TraceMap(map as never), {
    line: before.split('\n').length,
    column: offset - (before.lastIndexOf('\n') + 1),
  });
  return { line, column };
}

/** Builds main.js with rollup and the given plugins into dist/. */
async function buildWithRollup(
  plugins: RollupPlugin[],
  output: Parameters<Awaited<ReturnType<typeof rollup>>['write']>[0],
) {
  const warnings: string[] = [];
  const bundle = await rollup({
    input: path.join(projectDir(), 'main.js'),
    plugins,
    onwarn: (warning) => warnings.push(warning.message),
  });
  try {
    const { output: files } = await bundle.write({ dir: path.join(projectDir(), 'dist'), ...output });
    return { files, warnings };
  } finally {
    await bundle.close();
  }
}

describe('rollup-family hooks', () => {
  test.each([false, true])(
    'rolldown (native MagicString: %s): one id, map adjusted, comment before sourceMappingURL',
    async (native) => {
      const { code, map } = await build({ sourcemap: true, minify: true }, { nativeMagicString: native });
      const id = detectChunkId(code);
      expect(id).toBeDefined();
      expect(findInjectedSnippet(code, id)).toBeDefined();
      // The comment comes after minification, and the map reference stays the last line.
      expect(code).toMatch(new RegExp(`\\n//# chunkId=${id}\\n//# sourceMappingURL=main\\.js\\.map\\n?$`));
      expect(originalLineOfThrow(code, await map())).toBe(3);
    },
  );

  test('an already injected chunk is not injected twice (two plugin instances)', async () => {
    const twice = [
      createHogmapsUnplugin().rolldown({ logLevel: 'silent', manifest: false }) as Plugin,
      createHogmapsUnplugin().rolldown({ logLevel: 'silent', manifest: false }) as Plugin,
    ];
    const bundle = await rolldown({ input: path.join(projectDir(), 'main.js'), plugins: twice });
    const { output } = await bundle.generate({ format: 'es', minify: true });
    await bundle.close();
    const code = output[0].code;
    expect(code.match(/_posthogChunkIds\[/g)).toHaveLength(1);
    expect(code.match(/\/\/# chunkId=/g)).toHaveLength(1);
  });

  test('inline maps cannot be uploaded: one warning through the bundler, ids still injected', async () => {
    const warnings: string[] = [];
    // symbol-set mode needs no network before the upload, and nothing reaches the upload here.
    const options = {
      logLevel: 'warn' as const,
      manifest: false,
      personalApiKey: 'phx_not_a_real_key_0000',
      projectId: 1,
      host: 'http://127.0.0.1:9',
      sourcemaps: { releaseMode: 'symbol-set' as const, releaseName: 'inline', releaseVersion: '1' },
    };
    const bundle = await rolldown({
      input: path.join(projectDir(), 'main.js'),
      plugins: [createHogmapsUnplugin().rolldown(options) as Plugin],
      onwarn: (warning) => warnings.push(warning.message),
    });
    try {
      await bundle.write({ dir: path.join(projectDir(), 'dist'), format: 'es', sourcemap: 'inline' });
    } finally {
      await bundle.close();
    }
    expect(detectChunkId(await readFile(path.join(projectDir(), 'dist', 'main.js'), 'utf8'))).toBeDefined();
    expect(
      warnings.filter((warning) => warning.includes('inline source maps cannot be uploaded')),
    ).toHaveLength(1);
  });

  test('rollup, CommonJS with "use strict": the map file and chunk.map both lead back to the throw', async () => {
    const { files } = await buildWithRollup([createHogmapsUnplugin().rollup(INJECT_ONLY) as RollupPlugin], {
      format: 'cjs',
      sourcemap: true,
    });
    const code = await readFile(path.join(projectDir(), 'dist', 'main.js'), 'utf8');
    const id = detectChunkId(code)!;
    // The snippet follows the directive on its line; the throw is on a later line of the output.
    expect(code.startsWith("'use strict';\n")).toBe(true);
    expect(findInjectedSnippet(code, id)?.start).toBe(code.indexOf('!function'));
    expect(code).toMatch(new RegExp(`\\n//# chunkId=${id}\\n//# sourceMappingURL=main\\.js\\.map\\n?$`));
    const onDisk = JSON.parse(await readFile(path.join(projectDir(), 'dist', 'main.js.map'), 'utf8'));
    expect(originalOfThrow(code, onDisk)).toEqual(THROW_AT);
    const chunk = files[0];
    expect(chunk.type === 'chunk' && chunk.map?.mappings).toBe(onDisk.mappings);
    // The code after the snippet, on its line, still maps to where it came from.
    const lines = code.split('\n');
    const line = lines.findIndex((text) => text.includes('_posthogChunkIds'));
    const after = lines[line]!.indexOf('function explode');
    expect(after).toBeGreaterThan(0);
    const { line: originalLine, column } = originalPositionFor(new TraceMap(onDisk), {
      line: line + 1,
      column: after,
    });
    expect({ line: originalLine, column }).toEqual({
      line: 2,
      column: SOURCE.split('\n')[1]!.indexOf('function'),
    });
  });

  test('rolldown, inline map: adjusted inside the data URL, which stays last', async () => {
    const { code } = await build({ sourcemap: 'inline', minify: true });
    const id = detectChunkId(code)!;
    const match =
      /\n\/\/# chunkId=(\S+)\n\/\/# sourceMappingURL=data:application\/json;[^,]*base64,(\S+)\n?$/.exec(code);
    expect(match?.[1]).toBe(id);
    const inline = JSON.parse(Buffer.from(match![2]!, 'base64').toString('utf8'));
    expect(originalOfThrow(code, inline)).toEqual(THROW_AT);
  });

  test('hashed names follow the release, and excluded chunks keep the names they have without hogmaps', async () => {
    const output: OutputOptions = { format: 'es', minify: true, entryFileNames: '[name]-[hash].js' };
    const entryOf = async (plugins: Plugin[]) => {
      resetBuildSessions();
      const bundle = await rolldown({ input: path.join(projectDir(), 'main.js'), plugins });
      try {
        const chunk = (await bundle.generate(output)).output[0];
        return { name: chunk.fileName, code: chunk.code };
      } finally {
        await bundle.close();
      }
    };
    const release = (version: string, extra: Options = {}) => [
      createHogmapsUnplugin().rolldown({
        ...INJECT_ONLY,
        sourcemaps: { releaseMode: 'symbol-set', releaseName: 'app', releaseVersion: version },
        ...extra,
      }) as Plugin,
    ];
    const [one, oneAgain, two, none, excluded] = [
      await entryOf(release('1')),
      await entryOf(release('1')),
      await entryOf(release('2')),
      await entryOf([]),
      await entryOf(release('1', { exclude: /main/ })),
    ];
    expect(oneAgain).toEqual(one);
    // Symbol-set chunk ids mix in the release: another release injects other bytes, under another name.
    expect(detectChunkId(two.code)).not.toBe(detectChunkId(one.code));
    expect(two.name).not.toBe(one.name);
    expect(one.name).not.toBe(none.name);
    expect(excluded).toEqual(none);
  });

  test('a prebuilt chunk another plugin emits is left alone', async () => {
    const prebuilt = 'console.log("prebuilt");\n';
    const emitter: Plugin = {
      name: 'emit-prebuilt',
      generateBundle() {
        this.emitFile({ type: 'prebuilt-chunk', fileName: 'prebuilt.js', code: prebuilt });
      },
    };
    const bundle = await rolldown({
      input: path.join(projectDir(), 'main.js'),
      plugins: [emitter, createHogmapsUnplugin().rolldown(INJECT_ONLY) as Plugin],
    });
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    const code = (name: string) => {
      const file = output.find((item) => item.fileName === name);
      return file?.type === 'chunk' ? file.code : undefined;
    };
    expect(code('prebuilt.js')).toBe(prebuilt);
    expect(detectChunkId(code('main.js') ?? '')).toBeDefined();
  });

  test.each(['rollup', 'rolldown'] as const)(
    '%s: a facade chunk (an entry whose module another chunk holds) gets its own id',
    async (bundler) => {
      const plugin = createHogmapsUnplugin()[bundler](INJECT_ONLY);
      const input = { main: path.join(projectDir(), 'main.js'), alias: path.join(projectDir(), 'main.js') };
      const bundle =
        bundler === 'rollup'
          ? await rollup({ input, plugins: [plugin as RollupPlugin], preserveEntrySignatures: 'strict' })
          : await rolldown({ input, plugins: [plugin as Plugin], preserveEntrySignatures: 'strict' });
      const { output } = await bundle.generate({ format: 'es' });
      await bundle.close();
      const chunks = output.filter((file) => file.type === 'chunk');
      expect(chunks.map((chunk) => chunk.moduleIds.length).sort()).toEqual([0, 1]);
      const ids = chunks.map((chunk) => detectChunkId(chunk.code));
      expect(
        ids.every((id) => id !== undefined && findInjectedSnippet(chunks[ids.indexOf(id)]!.code, id)),
      ).toBe(true);
      expect(new Set(ids).size).toBe(2);
    },
  );

  test('a map that cannot be adjusted: the chunk is left alone with a warning, or the build fails with failOnError', async () => {
    const breakMaps: RollupPlugin = {
      name: 'break-maps',
      generateBundle(_output, bundle) {
        for (const file of Object.values(bundle))
          if (file.fileName.endsWith('.map') && file.type === 'asset') file.source = '{"version":3,';
      },
    };
    const hogmaps = (options: Options) =>
      createHogmapsUnplugin().rollup({ ...INJECT_ONLY, logLevel: 'warn', ...options }) as RollupPlugin;
    const { warnings } = await buildWithRollup([breakMaps, hogmaps({})], { format: 'es', sourcemap: true });
    expect(
      warnings.filter((warning) => warning.includes("main.js.map: cannot move the source map's columns")),
    ).toHaveLength(1);
    const code = await readFile(path.join(projectDir(), 'dist', 'main.js'), 'utf8');
    expect(code).not.toContain('_posthogChunkIds');
    expect(detectChunkId(code)).toBeUndefined();

    await expect(
      buildWithRollup([breakMaps, hogmaps({ failOnError: true })], { format: 'es', sourcemap: true }),
    ).rejects.toThrow(/cannot move the source map's columns/);
  });
});
