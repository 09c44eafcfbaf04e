import { describe, expect, it } from 'vitest';
import { FIXTURE_CHUNK_ID, FIXTURE_RELEASE_ID, loadFixture } from '../inject/fixtures/harness';
import { createChunkIdComment, createSnippet } from '../inject/snippet';
import { detectChunkId, findInjectedSnippet, readInjectedChunkId } from './detect';

const ID = '58a7864c-f7b3-5a2e-ba91-18655350fd89';
const RELEASE = '0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee';

describe('detectChunkId', () => {
  it('reads the trailing comment', () => {
    expect(detectChunkId(`f();${createChunkIdComment(ID)}`)).toBe(ID);
    expect(detectChunkId(`//# chunkId=${ID}`)).toBe(ID);
  });

  it('reads it before a sourceMappingURL or debugId line and through CRLF', () => {
    expect(detectChunkId(`f();\n//# chunkId=${ID}\n//# sourceMappingURL=a.js.map\n`)).toBe(ID);
    expect(detectChunkId(`f();\r\n//# chunkId=${ID}\r\n//# debugId=x\r\n\r\n`)).toBe(ID);
    expect(detectChunkId(`f();\n//# chunkId=${ID}\n/*# sourceMappingURL=a.css.map */`)).toBe(ID);
    expect(detectChunkId(`f();\n//# chunkId=${ID}   `)).toBe(ID);
  });

  it('takes the last one, like posthog-cli scanning bottom-up', () => {
    expect(detectChunkId(`f();\n//# chunkId=first\n//# chunkId=second`)).toBe('second');
  });

  it('reads a minified chunk (one long line) with or without a marker anywhere in it', () => {
    const line = `var a=${JSON.stringify('x'.repeat(200_000))};`;
    expect(detectChunkId(line)).toBeUndefined();
    expect(detectChunkId(`${line}\n//# sourceMappingURL=a.js.map`)).toBeUndefined();
    expect(detectChunkId(`${line}${createChunkIdComment(ID)}\n//# sourceMappingURL=a.js.map`)).toBe(ID);
    // In a string on the code's line, and in a comment ahead of the code: neither is the trailing block.
    expect(detectChunkId(`${line}var b="\\n//# chunkId=${ID}";`)).toBeUndefined();
    expect(detectChunkId(`//# chunkId=${ID}\n${line}`)).toBeUndefined();
  });

  it('ignores the marker when it does not start a line', () => {
    expect(detectChunkId(`f(); //# chunkId=${ID}`)).toBeUndefined();
    expect(detectChunkId(`f();\n  //# chunkId=${ID}`)).toBeUndefined();
    expect(detectChunkId(`f();\n// # chunkId=${ID}`)).toBeUndefined();
  });

  it('ignores the marker inside string literals', () => {
    expect(detectChunkId(`const s = "\\n//# chunkId=${ID}";`)).toBeUndefined();
    expect(detectChunkId(`const prefix = '\\n//# chunkId=__POSTHOG_CHUNK_ID__';\nf();`)).toBeUndefined();
    // A template literal can hold a real line break; the line is not in the trailing comments.
    expect(detectChunkId(`const t = \`\n//# chunkId=${ID}\n\`;\nf();`)).toBeUndefined();
  });

  it('ignores a marker in the middle of the chunk (an inlined, prebuilt library)', () => {
    expect(detectChunkId(`lib();\n//# chunkId=${ID}\napp();\n`)).toBeUndefined();
  });

  it('requires 1 to 128 characters on the line', () => {
    expect(detectChunkId('f();\n//# chunkId=')).toBeUndefined();
    expect(detectChunkId(`f();\n//# chunkId=${'a'.repeat(129)}`)).toBeUndefined();
    expect(detectChunkId(`f();\n//# chunkId=${'a'.repeat(128)}`)).toBe('a'.repeat(128));
    expect(detectChunkId('f();\n//# chunkId=two words')).toBeUndefined();
  });

  it('ignores a comment whose value is no chunk id, such as a path from a dependency', () => {
    expect(detectChunkId('dep();\n//# chunkId=../../../../escaped')).toBeUndefined();
    expect(detectChunkId('dep();\n//# chunkId=/etc/passwd\n//# sourceMappingURL=a.js.map')).toBeUndefined();
    expect(readInjectedChunkId('dep();\n//# chunkId=..')).toBeUndefined();
  });

  it('does not count the snippet alone', () => {
    expect(detectChunkId(`${createSnippet(ID)}f();`)).toBeUndefined();
    expect(readInjectedChunkId(`${createSnippet(ID)}f();`)).toBe(ID);
  });
});

describe('findInjectedSnippet: exact template', () => {
  it('finds either variant after the prologue, with the id and the release', () => {
    const plain = createSnippet(ID);
    const code = `#!/usr/bin/env node\n"use strict";${plain}f();`;
    const start = code.indexOf(plain);
    expect(findInjectedSnippet(code)).toEqual({
      start,
      end: start + plain.length,
      minified: false,
      chunkId: ID,
      releaseId: undefined,
    });
    const withRelease = createSnippet(ID, RELEASE);
    expect(findInjectedSnippet(`${withRelease}f();`)).toMatchObject({
      start: 0,
      chunkId: ID,
      releaseId: RELEASE,
    });
  });

  it("finds posthog-cli's snippet at byte 0, before a directive", () => {
    const code = `${createSnippet(ID)}"use strict";f();${createChunkIdComment(ID)}`;
    expect(findInjectedSnippet(code)).toMatchObject({ start: 0, minified: false, chunkId: ID });
  });

  it('checks the id when one is given', () => {
    const code = `${createSnippet(ID)}f();`;
    expect(findInjectedSnippet(code, ID)?.chunkId).toBe(ID);
    expect(findInjectedSnippet(code, 'other')).toBeUndefined();
  });

  it("tolerates the old constant's literal backslash-n", () => {
    const snippet = `${createSnippet(ID)}\\n`;
    expect(findInjectedSnippet(`${snippet}f();`)?.end).toBe(snippet.length);
  });

  it('only looks at the first statement', () => {
    expect(findInjectedSnippet(`f();${createSnippet(ID)}`)).toBeUndefined();
    expect(findInjectedSnippet(`const s = ${JSON.stringify(createSnippet(ID))};`)).toBeUndefined();
  });
});

describe('findInjectedSnippet: rewritten by a minifier', () => {
  // Real outputs: esbuild 0.28 transformSync(snippet + code, { minify: true }).
  const esbuildMinified = `"use strict";(function(){try{var o=typeof window<"u"?window:typeof global<"u"?global:typeof globalThis<"u"?globalThis:typeof self<"u"?self:{},n=new o.Error().stack;n&&(o._posthogChunkIds=o._posthogChunkIds||{},o._posthogChunkIds[n]="${ID}")}catch{}})();function e(o,n){return o+n}console.log(e(1,2));`;
  // terser keeps the `!function` form but renames and reorders.
  const terserStyle = `!function(){try{var o="undefined"!=typeof window?window:"undefined"!=typeof global?global:"undefined"!=typeof globalThis?globalThis:"undefined"!=typeof self?self:{};o._posthogReleaseId=o._posthogReleaseId||'${RELEASE}';var t=(new o.Error).stack;t&&(o._posthogChunkIds=o._posthogChunkIds||{},o._posthogChunkIds[t]='${ID}')}catch(o){}}()\nconsole.log(1)`;

  it('finds the esbuild form after "use strict", with or without the id given', () => {
    const start = '"use strict";'.length;
    const end = esbuildMinified.indexOf('function e(');
    expect(findInjectedSnippet(esbuildMinified)).toEqual({
      start,
      end,
      minified: true,
      chunkId: ID,
      releaseId: undefined,
    });
    expect(findInjectedSnippet(esbuildMinified, ID)?.start).toBe(start);
    expect(findInjectedSnippet(esbuildMinified, 'other')).toBeUndefined();
  });

  it('finds a terser-style form ended by a line break, with its release id', () => {
    expect(findInjectedSnippet(terserStyle)).toMatchObject({
      start: 0,
      end: terserStyle.indexOf('\n'),
      minified: true,
      chunkId: ID,
      releaseId: RELEASE,
    });
  });

  it.each(['rolldown-esm.min', 'rolldown-cjs.min', 'rolldown-iife.min'] as const)(
    'finds the snippet rolldown minified after renderChunk (%s)',
    (name) => {
      const { code } = loadFixture(name);
      expect(detectChunkId(code)).toBeUndefined(); // the minifier stripped the comment
      const found = findInjectedSnippet(code);
      expect(found).toMatchObject({ start: 0, minified: true, chunkId: FIXTURE_CHUNK_ID });
      expect(found?.releaseId).toBe(name === 'rolldown-iife.min' ? FIXTURE_RELEASE_ID : undefined);
      // Cutting the range out leaves the rest of the program, which still parses.
      const rest = code.slice(0, found!.start) + code.slice(found!.end);
      expect(rest).not.toContain('_posthogChunkIds');
      if (name !== 'rolldown-esm.min') expect(() => new Function(rest)).not.toThrow();
      expect(readInjectedChunkId(code)).toBe(FIXTURE_CHUNK_ID);
    },
  );

  it('ends at the comma when rolldown merged the snippet into a sequence', () => {
    const { code } = loadFixture('rolldown-cjs.min');
    const found = findInjectedSnippet(code)!;
    expect(code[found.end - 1]).toBe(',');
    expect(code.slice(found.end)).toMatch(/^Object\.defineProperty\(exports/);
  });

  it('rejects statements over 4096 bytes, without the marker, or without the id', () => {
    const padded = esbuildMinified.replace('catch{}', `catch{${'x;'.repeat(2100)}}`);
    expect(findInjectedSnippet(padded)).toBeUndefined();
    expect(findInjectedSnippet(esbuildMinified.replaceAll('_posthogChunkIds', '_other'))).toBeUndefined();
    expect(findInjectedSnippet(esbuildMinified.replace(`"${ID}"`, 'someVariable'))).toBeUndefined();
  });

  it('is not fooled by regex literals, templates and comments inside the statement', () => {
    const code = `(function(){var r=/[)}\\]"'\`]/g,s=\`a\${"}"}b\`;/* ) */e._posthogChunkIds[n]='${ID}'})();rest()`;
    expect(findInjectedSnippet(code)).toMatchObject({ start: 0, end: code.indexOf('rest'), chunkId: ID });
  });
});
