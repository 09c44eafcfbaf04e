import { runInNewContext } from 'node:vm';
import remapping from '@jridgewell/remapping';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import MagicString, { type SourceMap } from 'magic-string';
import { describe, expect, it } from 'vitest';
import { computeChunkId } from '../chunk-id/compute';
import { detectChunkId, findInjectedSnippet } from '../chunk-id/detect';
import { isHogmapsError } from '../errors';
import {
  crlfFixture,
  expectPositionsPreserved,
  FIXTURE_CHUNK_ID,
  type FixtureName,
  lineColumnOf,
  loadFixture,
} from './fixtures/harness';
import { appendChunkIdComment, injectChunk } from './inject';
import { createChunkIdComment, createSnippet } from './snippet';

const RELEASE = '0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee';

interface Case {
  name: string;
  code: string;
  /** The map of `code` to its original sources. */
  map: string;
  /** The text the snippet must directly precede. */
  before: string;
  /** Runs as a classic script. */
  script: boolean;
}

const fixtureCase = (name: string, fixture: FixtureName, before: string, script = false): Case => ({
  name,
  ...loadFixture(fixture),
  before,
  script,
});

const crlf = crlfFixture();
const cases: Case[] = [
  fixtureCase('leading banner and line comments (esbuild bundle)', 'esbuild-bundle', 'function greet(name)'),
  fixtureCase('"use strict" (esbuild minified)', 'esbuild-strict.min', 'function greet(e)', true),
  fixtureCase("hashbang and 'use client' (esbuild)", 'esbuild-hashbang', 'export function greet'),
  {
    name: 'CRLF, hashbang, comments and a directive (magic-string)',
    ...crlf,
    before: 'function d()',
    script: true,
  },
];

/** Composes the injection map onto the chunk's map, as the bundler chains renderChunk maps. */
function chain(injectionMap: SourceMap, map: string): string {
  return remapping([injectionMap.toString(), map], () => null).toString();
}

describe.each(cases)('injectChunk: $name', ({ code, map, before }) => {
  const result = injectChunk(code, { fileName: 'chunk.js' });
  const snippet = createSnippet(result.chunkId);
  const offset = code.indexOf(before);

  it('puts the snippet inline right before the first statement and the comment at the end', () => {
    expect(result.injected).toBe(true);
    expect(result.chunkId).toBe(computeChunkId(code));
    expect(result.code).toBe(
      code.slice(0, offset) + snippet + code.slice(offset) + createChunkIdComment(result.chunkId),
    );
  });

  it('is found again: the comment by detectChunkId, the snippet by findInjectedSnippet', () => {
    expect(detectChunkId(result.code)).toBe(result.chunkId);
    expect(findInjectedSnippet(result.code, result.chunkId)).toMatchObject({
      start: offset,
      minified: false,
    });
  });

  it('injecting twice equals injecting once', () => {
    expect(injectChunk(result.code)).toEqual({
      injected: false,
      chunkId: result.chunkId,
      code: result.code,
      map: undefined,
    });
  });

  it('keeps every original position resolving through the chained map', () => {
    const { line, column } = lineColumnOf(code, offset);
    const resolved = expectPositionsPreserved(code, map, chain(result.map!, map), {
      line,
      column,
      length: snippet.length,
    });
    expect(resolved).toBeGreaterThan(100);
    expect(result.map?.sources).toEqual(['chunk.js']);
    expect(result.map?.sourcesContent).toEqual([code]);
  });
});

describe.each(cases.filter((c) => c.script))('injectChunk runs: $name', ({ code }) => {
  it('still runs, registers the chunk id and keeps strict mode', () => {
    const result = injectChunk(code);
    const context: Record<string, unknown> = {};
    context.globalThis = context;
    runInNewContext(result.code.replace(/^#!.*/, ''), context);
    const ids = Object.values(context._posthogChunkIds as Record<string, string>);
    expect(ids).toEqual([result.chunkId]);
    expect(context.greeting ?? (context.result as { greeting: string }).greeting).toBe('Hello, Ada!');
    if (context.result) expect((context.result as { mode: string }).mode).toBe('strict');
  });
});

describe('injectChunk: already injected', () => {
  const { code } = loadFixture('esbuild-strict.min');

  it('leaves a file injected by posthog-cli (snippet at byte 0, comment at the end) alone', () => {
    const id = '0190ffff-0000-7000-8000-000000000001';
    const cli = `${createSnippet(id)}${code}\n//# sourceMappingURL=x.js.map${createChunkIdComment(id)}`;
    expect(injectChunk(cli, { chunkId: 'another' })).toEqual({
      injected: false,
      chunkId: id,
      code: cli,
      map: undefined,
    });
  });

  it('does not count a snippet without its comment as an id (posthog-cli and plugin-utils do not)', () => {
    const once = injectChunk(code, { appendComment: false, releaseId: RELEASE });
    expect(once.code).not.toContain('//# chunkId=');
    expect(once.code).toContain(`_posthogReleaseId||"${RELEASE}"`);
    const again = injectChunk(once.code);
    expect(again).toMatchObject({ injected: true, chunkId: computeChunkId(once.code) });
    expect(detectChunkId(again.code)).toBe(again.chunkId);
  });

  it.each(['rolldown-esm.min', 'rolldown-cjs.min', 'rolldown-iife.min'] as const)(
    'gives a chunk whose rewritten snippet lost its comment (%s) its own id, and leaves it alone with the comment',
    (name) => {
      const fixture = loadFixture(name);
      const fresh = injectChunk(fixture.code);
      expect(fresh).toMatchObject({ injected: true, chunkId: computeChunkId(fixture.code) });
      expect(fresh.chunkId).not.toBe(FIXTURE_CHUNK_ID);
      const withComment = appendChunkIdComment(fixture.code, FIXTURE_CHUNK_ID);
      expect(detectChunkId(withComment)).toBe(FIXTURE_CHUNK_ID);
      expect(injectChunk(withComment)).toMatchObject({ injected: false, chunkId: FIXTURE_CHUNK_ID });
      expect(injectChunk(withComment).code).toBe(withComment);
      expect(appendChunkIdComment(withComment, FIXTURE_CHUNK_ID)).toBe(withComment);
      // Appending changed no position: the map still resolves the throw to greet.js line 4.
      const { line, column } = lineColumnOf(withComment, withComment.indexOf('throw'));
      const original = originalPositionFor(new TraceMap(fixture.map), { line: line + 1, column });
      expect(original).toMatchObject({ source: expect.stringMatching(/greet\.js$/), line: 4 });
    },
  );
});

describe('injectChunk: options and edge cases', () => {
  it('uses the given chunk id, the release variant and symbol-set ids', () => {
    expect(injectChunk('f();', { chunkId: 'my-id' }).code).toBe(
      `${createSnippet('my-id')}f();\n//# chunkId=my-id`,
    );
    expect(injectChunk('f();', { releaseId: RELEASE }).code).toContain(
      createSnippet(computeChunkId('f();'), RELEASE),
    );
    expect(injectChunk('f();', { releaseHashId: 'h' }).chunkId).toBe(
      computeChunkId('f();', { releaseHashId: 'h' }),
    );
  });

  it('separates the snippet from a last line it would otherwise join', () => {
    for (const code of ['// only a comment', '"use strict"', '#!/usr/bin/env node']) {
      const result = injectChunk(code);
      expect(result.code).toBe(
        `${code}\n${createSnippet(result.chunkId)}${createChunkIdComment(result.chunkId)}`,
      );
      const context: Record<string, unknown> = {};
      context.globalThis = context;
      runInNewContext(result.code.replace(/^#!.*/, ''), context);
      expect(Object.values(context._posthogChunkIds as object)).toEqual([result.chunkId]);
    }
  });

  it('edits a bundler-provided MagicString and leaves the map to the bundler', () => {
    const original = '"use strict";\nf();\n';
    const magicString = new MagicString(original);
    magicString.prepend('/* banner from another plugin */\n');
    const code = magicString.toString();
    const result = injectChunk(code, { magicString });
    const snippet = createSnippet(computeChunkId(code));
    expect(result.map).toBeUndefined();
    expect(result.code).toBe(magicString.toString());
    expect(result.code).toBe(
      `/* banner from another plugin */\n"use strict";\n${snippet}f();\n${createChunkIdComment(result.chunkId)}`,
    );
  });

  it('rejects an id that the comment could not carry', () => {
    let caught: unknown;
    try {
      injectChunk('f();', { chunkId: 'has space' });
    } catch (error) {
      caught = error;
    }
    expect(isHogmapsError(caught) && caught.code).toBe('invalid_chunk_id');
  });
});

describe('appendChunkIdComment', () => {
  it('appends once and refuses a conflicting id', () => {
    expect(appendChunkIdComment('f();', 'a')).toBe('f();\n//# chunkId=a');
    expect(appendChunkIdComment('f();\n//# chunkId=a', 'a')).toBe('f();\n//# chunkId=a');
    expect(() => appendChunkIdComment('f();\n//# chunkId=a', 'b')).toThrow(/already carries chunk id a/);
  });
});
