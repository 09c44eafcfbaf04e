import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { type OutputOptions, type Plugin, rolldown } from 'rolldown';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { detectChunkId, findInjectedSnippet } from '../../chunk-id/detect';
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

let dir: string;
let cwd: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-rollup-hooks-'));
  await writeFile(path.join(dir, 'main.js'), SOURCE);
  cwd = process.cwd();
  process.chdir(dir);
  resetBuildSessions();
});
afterEach(async () => {
  process.chdir(cwd);
  await rm(dir, { recursive: true, force: true });
});

/** Builds main.js with rolldown and the hogmaps plugin (inject only: no credentials). */
async function build(output: OutputOptions, experimental: { nativeMagicString?: boolean } = {}) {
  const plugin = createHogmapsUnplugin().rolldown({ logLevel: 'silent', manifest: false }) as Plugin;
  const bundle = await rolldown({ input: path.join(dir, 'main.js'), plugins: [plugin], experimental });
  try {
    await bundle.write({ dir: path.join(dir, 'dist'), format: 'es', ...output });
  } finally {
    await bundle.close();
  }
  const code = await readFile(path.join(dir, 'dist', 'main.js'), 'utf8');
  return { code, map: async () => JSON.parse(await readFile(path.join(dir, 'dist', 'main.js.map'), 'utf8')) };
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

describe('rollup-family hooks', () => {
  test.each([false, true])(
    'rolldown (native MagicString: %s): one id, map chained, comment before sourceMappingURL',
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
    const bundle = await rolldown({ input: path.join(dir, 'main.js'), plugins: twice });
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
      input: path.join(dir, 'main.js'),
      plugins: [createHogmapsUnplugin().rolldown(options) as Plugin],
      onwarn: (warning) => warnings.push(warning.message),
    });
    try {
      await bundle.write({ dir: path.join(dir, 'dist'), format: 'es', sourcemap: 'inline' });
    } finally {
      await bundle.close();
    }
    expect(detectChunkId(await readFile(path.join(dir, 'dist', 'main.js'), 'utf8'))).toBeDefined();
    expect(
      warnings.filter((warning) => warning.includes('inline source maps cannot be uploaded')),
    ).toHaveLength(1);
  });
});
