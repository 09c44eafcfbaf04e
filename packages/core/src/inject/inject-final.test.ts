import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { computeChunkId } from '../chunk-id/compute';
import { detectChunkId } from '../chunk-id/detect';
import { crlfFixture, expectPositionsPreserved, loadFixture } from './fixtures/harness';
import { injectChunk } from './inject';
import { injectFinalCode, splitSourceMappingUrl } from './inject-final';
import { shiftSourceMapText } from './shift-map-text';
import { shiftGeneratedColumns } from './shift-mappings';
import { createChunkIdComment, createSnippet } from './snippet';

const RELEASE = '0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee';
const chunkIdFor = (code: string) => computeChunkId(code);

const crlf = crlfFixture();
const cases = [
  { name: 'hashbang, comments, directive, CRLF (magic-string)', code: crlf.code, map: crlf.map },
  { name: '"use strict" (esbuild minified)', ...loadFixture('esbuild-strict.min') },
  { name: 'leading comments (esbuild bundle)', ...loadFixture('esbuild-bundle') },
];

describe.each(cases)('injectFinalCode: $name', ({ code, map }) => {
  it('puts the same bytes where injectChunk does, and the shift keeps every position resolving', () => {
    const result = injectFinalCode(code, { chunkIdFor, releaseId: RELEASE });
    expect(result.injected).toBe(true);
    expect(result.chunkId).toBe(computeChunkId(code));
    expect(result.code).toBe(injectChunk(code, { releaseId: RELEASE }).code);
    const snippet = createSnippet(result.chunkId, RELEASE);
    const shift = result.shift!;
    expect(shift.delta).toBe(snippet.length);
    const insertion = { line: shift.line, column: shift.column, length: shift.delta };
    const resolved = expectPositionsPreserved(
      code,
      map,
      shiftSourceMapText(map, shift, 'chunk.js.map'),
      insertion,
    );
    expect(resolved).toBeGreaterThan(100);
  });
});

describe('injectFinalCode', () => {
  const code = '"use strict";\nfunction boom() { throw new Error("x"); }\nglobalThis.boom = boom;\n';

  it.each([
    ['rollup (line break at the end)', '\n//# sourceMappingURL=main.js.map\n'],
    ['rolldown (no line break)', '\n//# sourceMappingURL=main.js.map'],
  ])('keeps the map reference last: %s', (_name, reference) => {
    const result = injectFinalCode(code + reference.replace(/^\n/, ''), { chunkIdFor });
    const id = result.chunkId;
    expect(id).toBe(computeChunkId(code + reference.replace(/^\n/, '')));
    expect(result.code).toBe(
      `"use strict";\n${createSnippet(id)}function boom() { throw new Error("x"); }\nglobalThis.boom = boom;${createChunkIdComment(id)}${reference}`,
    );
    expect(result.shift).toEqual({ line: 1, column: 0, delta: createSnippet(id).length });
    expect(detectChunkId(result.code)).toBe(id);
  });

  it('moves the columns of the snippet line after a hashbang and directive', () => {
    const result = injectFinalCode("#!/usr/bin/env node\n'use strict'\n\nrun();", { chunkIdFor });
    expect(result.shift).toEqual({ line: 3, column: 0, delta: createSnippet(result.chunkId).length });
    expect(result.code.split('\n')[3]).toBe(`${createSnippet(result.chunkId)}run();`);
  });

  it('puts the snippet on a line of its own, before the map reference, when the chunk is only a prologue', () => {
    const result = injectFinalCode("'use strict'\n//# sourceMappingURL=a.js.map", { chunkIdFor });
    const id = result.chunkId;
    expect(result.shift).toBeUndefined();
    expect(result.code).toBe(
      `'use strict'\n${createSnippet(id)}${createChunkIdComment(id)}\n//# sourceMappingURL=a.js.map`,
    );
  });

  it('adjusts an inline map, which stays last', () => {
    const map = { version: 3, sources: ['a.js'], names: [], mappings: 'AAAA,SAAS' };
    const url = `data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;
    const result = injectFinalCode(`boom();\n//# sourceMappingURL=${url}\n`, { chunkIdFor });
    const inline = /\n\/\/# sourceMappingURL=data:[^,]*,(\S+)\n$/.exec(result.code)![1]!;
    const decoded = JSON.parse(Buffer.from(inline, 'base64').toString('utf8')) as typeof map;
    expect(result.shift).toEqual({ line: 0, column: 0, delta: createSnippet(result.chunkId).length });
    expect(decoded).toEqual({
      ...map,
      mappings: shiftGeneratedColumns(map.mappings, 0, 0, result.shift!.delta),
    });
    expect(
      result.code.startsWith(
        `${createSnippet(result.chunkId)}boom();${createChunkIdComment(result.chunkId)}\n`,
      ),
    ).toBe(true);
    expect(decoded.mappings).not.toBe(map.mappings);
  });

  it('leaves a chunk with an id alone, and does not compute an id for it', () => {
    const first = injectFinalCode(`${code}//# sourceMappingURL=m.js.map\n`, { chunkIdFor });
    const compute = vi.fn(chunkIdFor);
    expect(injectFinalCode(first.code, { chunkIdFor: compute })).toEqual({
      injected: false,
      chunkId: first.chunkId,
      code: first.code,
      shift: undefined,
    });
    expect(compute).not.toHaveBeenCalled();
  });

  it('injects a chunk whose snippet lost its comment (a prebuilt dependency first in the chunk) with its own id', () => {
    const foreign = '3b0e1a52-6d7f-5c1e-9a2b-4c8d7e6f5a10';
    const minified = `!function(){try{var e=globalThis;e._posthogChunkIds=e._posthogChunkIds||{},e._posthogChunkIds[(new e.Error).stack]="${foreign}"}catch(e){}}(),run();\n//# sourceMappingURL=m.js.map`;
    const result = injectFinalCode(minified, { chunkIdFor });
    expect(result).toMatchObject({ injected: true, chunkId: computeChunkId(minified) });
    expect(result.code.startsWith(createSnippet(result.chunkId))).toBe(true);
    expect(result.code).toContain(`${createChunkIdComment(result.chunkId)}\n//# sourceMappingURL=m.js.map`);
  });

  it('the injected chunk runs and registers its id with the release', () => {
    const result = injectFinalCode(code, { chunkIdFor, releaseId: RELEASE });
    const context: Record<string, unknown> = {};
    context.globalThis = context;
    runInNewContext(result.code, context);
    expect(Object.values(context._posthogChunkIds as object)).toEqual([result.chunkId]);
    expect(context._posthogReleaseId).toBe(RELEASE);
  });
});

describe('splitSourceMappingUrl', () => {
  const ref = '//# sourceMappingURL=a.js.map';
  it.each([
    ['a();', 'a();', '', undefined],
    [`a();\n${ref}`, 'a();', `\n${ref}`, 'a.js.map'],
    [`a();\n${ref}\n`, 'a();', `\n${ref}\n`, 'a.js.map'],
    ['a();\n//@ sourceMappingURL=b.map', 'a();', '\n//@ sourceMappingURL=b.map', 'b.map'],
    [`a();\r\n${ref}\r\n`, 'a();\r', `\n${ref}\r\n`, 'a.js.map\r'],
    [
      `${'x'.repeat(100_000)};\n//# sourceMappingURL=data:application/json;base64,e30=`,
      `${'x'.repeat(100_000)};`,
      '\n//# sourceMappingURL=data:application/json;base64,e30=',
      'data:application/json;base64,e30=',
    ],
    // Not the bundler's reference: alone on the first line, not last, followed by a blank line, in code.
    [ref, ref, '', undefined],
    [`a();\n${ref}\nb();`, `a();\n${ref}\nb();`, '', undefined],
    [`a();\n${ref}\n\n`, `a();\n${ref}\n\n`, '', undefined],
    [`a();\n ${ref}`, `a();\n ${ref}`, '', undefined],
    ["a('sourceMappingURL=x');", "a('sourceMappingURL=x');", '', undefined],
  ])('%j', (code, body, tail, url) => {
    expect(splitSourceMappingUrl(code)).toEqual({ body, tail, url });
  });
});
