import { originalPositionFor, type SourceMapInput, TraceMap } from '@jridgewell/trace-mapping';
import { sources as rspackSources } from '@rspack/core';
import { describe, expect, it } from 'vitest';
import webpack from 'webpack';
import { detectChunkId, findInjectedSnippet } from '../../chunk-id/detect';
import { crlfFixture, type FixtureName, lineColumnOf, loadFixture } from '../../inject/fixtures/harness';
import { injectChunk } from '../../inject/inject';
import { createChunkIdComment } from '../../inject/snippet';
import { replaceable, replaceSourceEditor } from './xpack-inject';
import type { XpackReplaceSource, XpackSource, XpackSources } from './xpack-types';

const CHUNK_ID = '5f0c2a9e-1b7d-5e3a-8c4f-2d6b9a0e7c31';

interface Sources extends XpackSources {
  SourceMapSource: new (value: string, name: string, map: string) => XpackSource;
  RawSource: new (value: string | Buffer) => XpackSource;
}

/** How the bundler holds a chunk: rspack hands out a SourceMapSource, webpack a CachedSource. */
const holders: [string, (api: Sources, code: string, map: string) => XpackSource][] = [
  ['SourceMapSource', (api, code, map) => new api.SourceMapSource(code, 'main.js', map)],
  ['CachedSource', (api, code, map) => new api.CachedSource(new api.SourceMapSource(code, 'main.js', map))],
];

// The classes each bundler hands plugins: injection must behave the same with both.
const bundlers: [string, Sources][] = [
  ['webpack', webpack.sources as unknown as Sources],
  ['rspack', rspackSources as unknown as Sources],
];

const crlf = crlfFixture();
const fixtures: [string, { code: string; map: string }][] = [
  // The rolldown fixtures are injected already.
  ...(['esbuild-bundle', 'esbuild-strict.min', 'esbuild-hashbang'] as FixtureName[]).map(
    (name): [string, { code: string; map: string }] => [name, loadFixture(name)],
  ),
  ['crlf with hashbang and directive', crlf],
];

/**
 * Every column of `code` must resolve through `after`, at its place after the inline insertion, to
 * the same original position as through `before`. ReplaceSource maps inserted text to where the code
 * it precedes came from (magic-string to the character before it): the snippet never throws, so either
 * is fine, but no column may point anywhere else. Returns how many code columns resolved.
 */
function expectExactAround(
  code: string,
  before: SourceMapInput,
  after: SourceMapInput,
  insertion: { line: number; column: number; length: number },
): number {
  const beforeMap = new TraceMap(before);
  const afterMap = new TraceMap(after);
  const mismatches: string[] = [];
  let resolved = 0;
  const check = (label: string, expected: object, line: number, column: number) => {
    const actual = originalPositionFor(afterMap, { line: line + 1, column });
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      mismatches.push(
        `${label} ${line + 1}:${column} ${JSON.stringify(expected)} != ${JSON.stringify(actual)}`,
      );
    }
  };
  code.split('\n').forEach((text, line) => {
    for (let column = 0; column < text.length; column++) {
      const expected = originalPositionFor(beforeMap, { line: line + 1, column });
      if (expected.source !== null) resolved++;
      const shift = line === insertion.line && column >= insertion.column ? insertion.length : 0;
      check('code', expected, line, column + shift);
    }
  });
  const following = originalPositionFor(beforeMap, { line: insertion.line + 1, column: insertion.column });
  for (let at = insertion.column; at < insertion.column + insertion.length; at++) {
    check('inserted', following, insertion.line, at);
  }
  expect(mismatches.slice(0, 10)).toEqual([]);
  return resolved;
}

/** A ReplaceSource over the chunk as the bundler holds it, with `injectChunk`'s edits in it. */
function inject(api: Sources, original: XpackSource) {
  const code = original.source();
  const text = typeof code === 'string' ? code : code.toString('utf8');
  const replace = new api.ReplaceSource(replaceable(api, original, code), 'main.js');
  const result = injectChunk(text, { chunkId: CHUNK_ID, magicString: replaceSourceEditor(replace, text) });
  return {
    replace: replace as XpackReplaceSource & { sourceAndMap(): { source: string; map: object | null } },
    result,
  };
}

const EMPTY_MAP = JSON.stringify({ version: 3, sources: [], names: [], mappings: '' });

describe.each(bundlers)('replaceSourceEditor with %s sources', (_, api) => {
  describe.each(holders)('over a %s', (_, hold) => {
    it.each(fixtures)(
      '%s: the same bytes as plain injection, and a map exact at every column',
      (_, fixture) => {
        const { replace, result } = inject(api, hold(api, fixture.code, fixture.map));
        const plain = injectChunk(fixture.code, { chunkId: CHUNK_ID });
        expect(result).toMatchObject({ injected: true, chunkId: CHUNK_ID, code: plain.code, map: undefined });
        expect(replace.source()).toBe(plain.code);
        expect(detectChunkId(plain.code)).toBe(CHUNK_ID);

        const snippet = findInjectedSnippet(plain.code, CHUNK_ID);
        expect(snippet).toBeDefined();
        const { source, map } = replace.sourceAndMap();
        expect(source).toBe(plain.code);
        const at = lineColumnOf(fixture.code, snippet!.start);
        const resolved = expectExactAround(fixture.code, fixture.map, map as never, {
          ...at,
          length: snippet!.end - snippet!.start,
        });
        expect(resolved).toBeGreaterThan(100);
      },
    );
  });

  it('puts the chunk id comment last, after code that ends without a line break', () => {
    const code = '"use strict";console.log(1)';
    const { replace } = inject(api, new api.SourceMapSource(code, 'main.js', EMPTY_MAP));
    expect(String(replace.source()).endsWith(`console.log(1)${createChunkIdComment(CHUNK_ID)}`)).toBe(true);
  });

  it('injects a chunk held as a Buffer as text', () => {
    const code = '"use strict";\nconsole.log("é");\n';
    const { replace, result } = inject(api, new api.RawSource(Buffer.from(code)));
    expect(result.injected).toBe(true);
    expect(replace.source()).toBe(injectChunk(code, { chunkId: CHUNK_ID }).code);
  });

  it('leaves already injected code unedited', () => {
    const once = injectChunk('console.log(1);\n', { chunkId: CHUNK_ID }).code;
    const { replace, result } = inject(api, new api.SourceMapSource(once, 'main.js', EMPTY_MAP));
    expect(result).toMatchObject({ injected: false, chunkId: CHUNK_ID, code: once });
    expect(replace.source()).toBe(once);
  });
});
