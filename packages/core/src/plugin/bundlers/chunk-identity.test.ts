// Which id a chunk gets when the build already carries one: a bundler's ECMA-426 debug id is adopted
// (event mode, as posthog-cli ≥ 0.14 does), and a prebuilt dependency's snippet is not.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { rolldown } from 'rolldown';
import { rollup } from 'rollup';
import { describe, expect, test } from 'vitest';
import { useTempProject } from '../../../test/helpers/temp-project';
import { computeChunkId } from '../../chunk-id/compute';
import { detectChunkId, findInjectedSnippet } from '../../chunk-id/detect';
import { createSnippet } from '../../inject/snippet';
import type { Options } from '../../options/types';
import { createHogmapsUnplugin } from '../factory';

const FOREIGN_ID = '11111111-2222-5333-8444-555555555555';
const projectDir = useTempProject('hogmaps-identity-');

const OPTIONS: Options = { logLevel: 'silent', manifest: false };

async function buildWith(bundler: 'rollup' | 'rolldown', source: string, output: Record<string, unknown>) {
  await writeFile(path.join(projectDir(), 'main.js'), source);
  const plugin = createHogmapsUnplugin()[bundler](OPTIONS);
  const input = path.join(projectDir(), 'main.js');
  const bundle =
    bundler === 'rollup'
      ? await rollup({ input, plugins: [plugin as never] })
      : await rolldown({ input, plugins: [plugin as never] });
  try {
    await bundle.write({ dir: path.join(projectDir(), 'dist'), format: 'es', sourcemap: true, ...output });
  } finally {
    await bundle.close();
  }
  const code = await readFile(path.join(projectDir(), 'dist', 'main.js'), 'utf8');
  const map = JSON.parse(await readFile(path.join(projectDir(), 'dist', 'main.js.map'), 'utf8')) as {
    debugId?: string;
  };
  return { code, map };
}

describe.each(['rollup', 'rolldown'] as const)('%s', (bundler) => {
  test('a build with sourcemapDebugIds gets its debug ids as chunk ids', async () => {
    const { code, map } = await buildWith(bundler, 'export const answer = () => 42;\n', {
      sourcemapDebugIds: true,
    });
    expect(map.debugId).toMatch(/^[0-9a-f-]{36}$/);
    expect(code).toContain(`//# debugId=${map.debugId}`);
    expect(detectChunkId(code)).toBe(map.debugId);
    expect(findInjectedSnippet(code)?.chunkId).toBe(map.debugId);
  });

  test('without debug ids the chunk id is derived from the code', async () => {
    const { code, map } = await buildWith(bundler, 'export const answer = () => 42;\n', {});
    expect(map.debugId).toBeUndefined();
    expect(detectChunkId(code)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5/);
  });

  test("a prebuilt dependency's snippet first in the chunk does not hand its id to the chunk", async () => {
    const source = `${createSnippet(FOREIGN_ID)}\nglobalThis.prebuilt = 1;\nexport const answer = () => 42;\n`;
    const { code } = await buildWith(bundler, source, {});
    const chunkId = detectChunkId(code);
    expect(chunkId).toBeDefined();
    expect(chunkId).not.toBe(FOREIGN_ID);
    // Ours is the chunk's own id: UUIDv5 of the code as the bundler made it (with the foreign snippet).
    const ours = createSnippet(chunkId!);
    expect(code).toContain(ours);
    expect(code).toContain(FOREIGN_ID);
    expect(chunkId).toBe(computeChunkId(code.replace(ours, '').replace(`\n//# chunkId=${chunkId}`, '')));
  });
});
