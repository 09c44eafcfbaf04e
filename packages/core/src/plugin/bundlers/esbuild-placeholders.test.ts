import { type EachMapping, eachMapping, type SourceMapInput, TraceMap } from '@jridgewell/trace-mapping';
import { type BuildOptions, build } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { computeChunkId } from '../../chunk-id/compute';
import { detectChunkId } from '../../chunk-id/detect';
import { createSnippet } from '../../inject/snippet';
import type { InjectionContext } from '../../session/session';
import {
  BANNER_MARK,
  createPlaceholders,
  type EsbuildPlaceholders,
  type FinalizeOptions,
  FOOTER_MARK,
  finalizeChunk,
  planChunk,
  removeEmptyLine,
} from './esbuild-placeholders';

const RELEASE_ID = '0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee';
const EVENT: InjectionContext = { releaseMode: 'event', releaseId: RELEASE_ID, releaseHashId: undefined };

const SOURCE = [
  '#!/usr/bin/env node',
  "'use strict';",
  'export function fail(reason) {',
  '  if (reason.length > 3) throw new Error("too long: " + reason);',
  '  return reason.toUpperCase();',
  '}',
  'console.log(fail("ok"));',
  '',
].join('\n');

interface Output {
  code: string;
  /** The external map, when asked for. */
  map: string | undefined;
}

/** One esbuild build of SOURCE, in memory, with or without the placeholders. */
async function bundle(options: BuildOptions, placeholders?: EsbuildPlaceholders): Promise<Output> {
  const result = await build({
    stdin: { contents: SOURCE, sourcefile: 'src/cli.js', loader: 'js' },
    outfile: 'out/cli.js',
    logLevel: 'silent',
    ...options,
    ...(placeholders ? { banner: { js: placeholders.banner }, footer: { js: placeholders.footer } } : {}),
    write: false,
  });
  const file = (suffix: string) => result.outputFiles.find((output) => output.path.endsWith(suffix))?.text;
  return { code: file('cli.js')!, map: file('cli.js.map') };
}

function inlineMap(code: string): string {
  const match = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\n?$/.exec(code);
  if (!match) throw new Error('no inline map');
  return Buffer.from(match[1]!, 'base64').toString('utf8');
}

interface Segment {
  original: string;
  text: string;
}

/** Each mapping with the code it points at (up to the next mapping or 12 characters). */
function segments(code: string, map: SourceMapInput): Segment[] {
  const lines = code.split('\n');
  const all: EachMapping[] = [];
  eachMapping(new TraceMap(map), (mapping) => {
    all.push(mapping);
  });
  return all.map((mapping, index) => {
    const next = all[index + 1];
    const line = lines[mapping.generatedLine - 1] ?? '';
    const end = next?.generatedLine === mapping.generatedLine ? next.generatedColumn : line.length;
    return {
      original: `${mapping.source}:${mapping.originalLine}:${mapping.originalColumn}:${mapping.name}`,
      text: line.slice(mapping.generatedColumn, Math.min(end, mapping.generatedColumn + 12)),
    };
  });
}

/** The finished file's map points every mapping at the same code, and the same original, as esbuild's own. */
function expectSameMappings(
  baseline: Output,
  finished: Output,
  baselineMap: string,
  finishedMap: string,
): void {
  const expected = segments(baseline.code, baselineMap);
  expect(expected.length).toBeGreaterThan(5);
  expect(segments(finished.code, finishedMap)).toEqual(expected);
}

const finalize = (output: Output, placeholders: EsbuildPlaceholders, inject = true) =>
  finalizeChunk(output, placeholders, {
    inject,
    releaseId: RELEASE_ID,
    chunkIdFor: (code) => computeChunkId(code),
    fileName: 'cli.js',
  });

describe('createPlaceholders', () => {
  test('the banner is exactly as long as the snippet, the footer as the chunk-id comment', () => {
    for (const injection of [EVENT, { ...EVENT, releaseId: undefined }]) {
      const { banner, footer } = createPlaceholders(injection);
      expect(banner).toHaveLength(createSnippet(computeChunkId('x'), injection.releaseId).length);
      expect(banner.startsWith(BANNER_MARK) && banner.endsWith('*/')).toBe(true);
      expect(footer).toHaveLength(`//# chunkId=${computeChunkId('x')}`.length);
      expect(footer.startsWith(FOOTER_MARK)).toBe(true);
    }
  });

  test('is deterministic and differs per release, so esbuild names change with the release', () => {
    expect(createPlaceholders(EVENT)).toEqual(createPlaceholders({ ...EVENT }));
    const other = createPlaceholders({ ...EVENT, releaseId: '0190aaaa-bbbb-7ccc-8ddd-ffffffffffff' });
    expect(other.banner).not.toBe(createPlaceholders(EVENT).banner);
    const symbolSet = createPlaceholders({
      releaseMode: 'symbol-set',
      releaseId: undefined,
      releaseHashId: 'abc',
    });
    expect(symbolSet.banner).not.toBe(
      createPlaceholders({ ...symbolSet, releaseHashId: 'abd' } as never).banner,
    );
  });
});

describe('finalizeChunk', () => {
  const placeholders = createPlaceholders(EVENT);

  test('replaces the placeholders in place: the map is untouched, the id is that of esbuild output without them', async () => {
    const options: BuildOptions = { bundle: true, format: 'esm', sourcemap: 'linked' };
    const baseline = await bundle(options);
    const output = await bundle(options, placeholders);
    const finished = finalize(output, placeholders)!;
    const chunkId = computeChunkId(baseline.code);
    expect(finished).toMatchObject({ chunkId, injected: true, map: output.map });
    expect(finished.code).toHaveLength(output.code.length);
    expect(finished.code.startsWith(`#!/usr/bin/env node\n${createSnippet(chunkId, RELEASE_ID)}\n`)).toBe(
      true,
    );
    expect(finished.code.endsWith(`\n//# chunkId=${chunkId}\n//# sourceMappingURL=cli.js.map\n`)).toBe(true);
    expectSameMappings(baseline, finished, baseline.map!, finished.map!);
  });

  test('puts the snippet after a directive prologue and moves the map with it', async () => {
    // esbuild writes the banner above "use strict" (CommonJS output).
    const options: BuildOptions = { bundle: true, format: 'cjs', minify: true, sourcemap: 'external' };
    const baseline = await bundle(options);
    const output = await bundle(options, placeholders);
    expect(output.code).toMatch(/\n\/\*hogmaps:snippet:[^\n]*\n"use strict";/);
    const finished = finalize(output, placeholders)!;
    const chunkId = computeChunkId(baseline.code);
    expect(finished.chunkId).toBe(chunkId);
    expect(
      finished.code.startsWith(`#!/usr/bin/env node\n"use strict";${createSnippet(chunkId, RELEASE_ID)}`),
    ).toBe(true);
    expect(finished.code).not.toContain('hogmaps:');
    expectSameMappings(baseline, finished, baseline.map!, finished.map!);
  });

  test('edits an inline map the same way', async () => {
    const options: BuildOptions = { bundle: true, format: 'cjs', sourcemap: 'inline' };
    const baseline = await bundle(options);
    const finished = finalize(await bundle(options, placeholders), placeholders)!;
    expect(finished.code).toContain(
      `"use strict";\n${createSnippet(finished.chunkId!, RELEASE_ID)}var __defProp`,
    );
    expect(finished.code).toMatch(/\n\/\/# chunkId=[0-9a-f-]{36}\n\/\/# sourceMappingURL=data:/);
    expectSameMappings(baseline, finished, inlineMap(baseline.code), inlineMap(finished.code));
  });

  test('a file the filter leaves out is exactly what esbuild writes without hogmaps', async () => {
    const options: BuildOptions = { bundle: true, format: 'cjs', sourcemap: 'external' };
    const baseline = await bundle(options);
    const finished = finalize(await bundle(options, placeholders), placeholders, false)!;
    expect(finished).toMatchObject({ code: baseline.code, chunkId: undefined, injected: false });
    expect(JSON.parse(finished.map!)).toEqual(JSON.parse(baseline.map!));
  });

  test("keeps the id of code whose trailing //# chunkId= comment carries one (a user's footer)", async () => {
    const existing = '9d6f2a3e-1b4c-5d7e-8f90-a1b2c3d4e5f6';
    const result = await build({
      stdin: { contents: 'export const x = 1;\n', loader: 'js' },
      outfile: 'out/lib.js',
      banner: { js: placeholders.banner },
      footer: { js: `//# chunkId=${existing}\n${placeholders.footer}` },
      write: false,
      logLevel: 'silent',
    });
    const finished = finalize({ code: result.outputFiles[0]!.text, map: undefined }, placeholders)!;
    expect(finished).toMatchObject({ chunkId: existing, injected: false });
    expect(finished.code).not.toContain('hogmaps:');
    expect(finished.code).not.toContain('_posthogChunkIds[');
  });

  test("does not hand a prebuilt dependency's snippet id to the file", async () => {
    const foreign = '9d6f2a3e-1b4c-5d7e-8f90-a1b2c3d4e5f6';
    const result = await build({
      stdin: { contents: `${createSnippet(foreign)}\nexport const x = 1;\n`, loader: 'js' },
      outfile: 'out/lib.js',
      banner: { js: placeholders.banner },
      footer: { js: placeholders.footer },
      write: false,
      logLevel: 'silent',
    });
    const finished = finalize({ code: result.outputFiles[0]!.text, map: undefined }, placeholders)!;
    expect(finished.injected).toBe(true);
    expect(finished.chunkId).not.toBe(foreign);
    expect(detectChunkId(finished.code)).toBe(finished.chunkId);
    expect(finished.code.match(/_posthogChunkIds\[/g)).toHaveLength(2);
  });

  test('leaves a file without the banner alone', () => {
    expect(finalize({ code: 'console.log(1);\n', map: undefined }, placeholders)).toBeUndefined();
  });

  test('reports a malformed map, naming the file', async () => {
    const output = await bundle({ format: 'cjs', sourcemap: 'external' }, placeholders);
    expect(() => finalize({ ...output, map: '{"mappings": 3}' }, placeholders)).toThrow(
      /cli\.js\.map.*mappings/,
    );
  });
});

describe('planChunk', () => {
  const placeholders = createPlaceholders(EVENT);
  const options = (inject = true, releaseId = RELEASE_ID): FinalizeOptions => ({
    inject,
    releaseId,
    chunkIdFor: (code) => computeChunkId(code),
    fileName: 'cli.js',
  });

  test('overwriting the placeholders at their byte offsets gives the bytes finalizeChunk makes', async () => {
    const output = await bundle({ bundle: true, format: 'esm', sourcemap: 'linked' }, placeholders);
    const plan = planChunk(output.code, placeholders, options());
    if (typeof plan !== 'object') throw new Error(`expected an in-place plan, got ${plan}`);
    expect(plan.footer).toBe(true);
    const bytes = Buffer.from(output.code);
    bytes.write(plan.snippet, bytes.indexOf(placeholders.banner));
    bytes.write(plan.comment, bytes.lastIndexOf(placeholders.footer));
    const finished = finalize(output, placeholders)!;
    expect(plan.chunkId).toBe(finished.chunkId);
    expect(bytes.toString()).toBe(finished.code);
  });

  test('leaves text that must move to finalizeChunk; a file without the banner is no chunk', async () => {
    const cjs = await bundle({ bundle: true, format: 'cjs', sourcemap: 'external' }, placeholders);
    expect(planChunk(cjs.code, placeholders, options())).toBe('moves');
    const esm = await bundle({ format: 'esm', sourcemap: 'external' }, placeholders);
    expect(planChunk(esm.code, placeholders, options(false))).toBe('moves');
    expect(planChunk('console.log(1);\n', placeholders, options())).toBeUndefined();
  });

  test('a snippet longer in bytes than in characters is not written over the placeholder', async () => {
    const releaseId = 'release-\u00e9t\u00e9';
    const wide = createPlaceholders({ ...EVENT, releaseId });
    const output = await bundle({ format: 'esm', sourcemap: 'external' }, wide);
    expect(planChunk(output.code, wide, options(true, releaseId))).toBe('moves');
    const finished = finalizeChunk(output, wide, options(true, releaseId))!;
    expect(finished.code).toContain(createSnippet(finished.chunkId!, releaseId));
    expect(finished.code).not.toContain('hogmaps:');
  });
});

describe('removeEmptyLine', () => {
  test('drops an empty line anywhere and refuses to drop mapped code', () => {
    expect(removeEmptyLine(';AAAA;;CAAC', 0)).toBe('AAAA;;CAAC');
    expect(removeEmptyLine('AAAA;;CAAC', 1)).toBe('AAAA;CAAC');
    expect(removeEmptyLine('AAAA;', 1)).toBe('AAAA;');
    expect(removeEmptyLine('AAAA', 5)).toBe('AAAA');
    expect(() => removeEmptyLine('AAAA;CAAC', 1)).toThrow(/line 2 holds mappings/);
  });
});
