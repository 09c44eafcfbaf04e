import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { isHogmapsError } from '../errors';
import {
  createChunkIdComment,
  createReleaseScript,
  createSnippet,
  isValidChunkId,
  SNIPPET_TEMPLATE,
  SNIPPET_WITH_RELEASE_TEMPLATE,
} from './snippet';

// Copied verbatim from posthog-protocol.md 1.3 (posthog-cli constant.rs).
const DOC_TEMPLATE =
  '!function(){try{var e="undefined"!=typeof window?window:"undefined"!=typeof global?global:"undefined"!=typeof globalThis?globalThis:"undefined"!=typeof self?self:{},n=(new e.Error).stack;n&&(e._posthogChunkIds=e._posthogChunkIds||{},e._posthogChunkIds[n]="__POSTHOG_CHUNK_ID__")}catch(e){}}();';
const DOC_RELEASE_TEMPLATE =
  '!function(){try{var e="undefined"!=typeof window?window:"undefined"!=typeof global?global:"undefined"!=typeof globalThis?globalThis:"undefined"!=typeof self?self:{};e._posthogReleaseId=e._posthogReleaseId||__POSTHOG_RELEASE_ID__;var n=(new e.Error).stack;n&&(e._posthogChunkIds=e._posthogChunkIds||{},e._posthogChunkIds[n]="__POSTHOG_CHUNK_ID__")}catch(e){}}();';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isHogmapsError(error) ? error.code : 'not a HogmapsError';
  }
  return undefined;
}

describe('snippet templates', () => {
  it("are byte-identical to PostHog's", () => {
    expect(SNIPPET_TEMPLATE).toBe(DOC_TEMPLATE);
    expect(SNIPPET_WITH_RELEASE_TEMPLATE).toBe(DOC_RELEASE_TEMPLATE);
    expect(Buffer.byteLength(SNIPPET_TEMPLATE)).toBe(293);
  });
});

describe('createSnippet', () => {
  const id = '58a7864c-f7b3-5a2e-ba91-18655350fd89';

  it('replaces the quoted chunk-id placeholder with JSON.stringify(chunkId)', () => {
    expect(createSnippet(id)).toBe(DOC_TEMPLATE.replace('"__POSTHOG_CHUNK_ID__"', `"${id}"`));
  });

  it('uses the release variant with the unquoted placeholder replaced by JSON.stringify(releaseId)', () => {
    const release = '0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee';
    expect(createSnippet(id, release)).toBe(
      DOC_RELEASE_TEMPLATE.replace('__POSTHOG_RELEASE_ID__', `"${release}"`).replace(
        '"__POSTHOG_CHUNK_ID__"',
        `"${id}"`,
      ),
    );
  });

  it('JSON-encodes release ids with quotes, backslashes and replacement patterns', () => {
    const snippet = createSnippet('a-b_c', 'r"$1\'\\');
    expect(snippet).toContain('e._posthogChunkIds[n]="a-b_c")}');
    expect(snippet).toContain(`||${JSON.stringify('r"$1\'\\')};var n=`);
    expect(codeOf(() => createSnippet('a"b\\c$&'))).toBe('invalid_chunk_id');
  });

  it('substitutes each placeholder once, even when a value spells the other placeholder', () => {
    const snippet = createSnippet('__POSTHOG_RELEASE_ID__', '__POSTHOG_CHUNK_ID__');
    expect(snippet).toContain('||"__POSTHOG_CHUNK_ID__";var n=');
    expect(snippet).toContain('[n]="__POSTHOG_RELEASE_ID__")}');
  });

  it('rejects ids the trailing comment could not carry, and empty release ids', () => {
    expect(codeOf(() => createSnippet(''))).toBe('invalid_chunk_id');
    expect(codeOf(() => createSnippet('has space'))).toBe('invalid_chunk_id');
    expect(codeOf(() => createSnippet('x'.repeat(129)))).toBe('invalid_chunk_id');
    expect(codeOf(() => createSnippet(id, ''))).toBe('invalid_release_id');
    expect(isValidChunkId('x'.repeat(128))).toBe(true);
  });

  it('accepts UUIDs and refuses anything that could name a path', () => {
    expect(isValidChunkId('58a7864c-f7b3-5a2e-ba91-18655350fd89')).toBe(true);
    expect(isValidChunkId('0190AAAA-0000-7000-8000-000000000000')).toBe(true);
    for (const bad of ['../../..', '..', '.', 'a/b', 'a\\b', '/etc/passwd', 'C:x', 'a.map', '%2e%2e']) {
      expect(isValidChunkId(bad), bad).toBe(false);
    }
  });
});

describe('createChunkIdComment', () => {
  it('is a newline plus the marker plus the raw (not JSON-encoded) id', () => {
    expect(createChunkIdComment('abc')).toBe('\n//# chunkId=abc');
    expect(createChunkIdComment('0c7f7d5e-9f0a-4c43')).toBe('\n//# chunkId=0c7f7d5e-9f0a-4c43');
    expect(codeOf(() => createChunkIdComment('a"b'))).toBe('invalid_chunk_id');
    expect(codeOf(() => createChunkIdComment('a\nb'))).toBe('invalid_chunk_id');
  });
});

describe('createReleaseScript', () => {
  it("is the release snippet's statement alone: it sets _posthogReleaseId, and the first value stays", () => {
    const script = createReleaseScript('0192f6a4-7c1e-7d3b-9a55-2f1c9e0b7a11');
    const head = DOC_RELEASE_TEMPLATE.slice(0, DOC_RELEASE_TEMPLATE.indexOf('__POSTHOG_RELEASE_ID__'));
    expect(script).toBe(`${head}"0192f6a4-7c1e-7d3b-9a55-2f1c9e0b7a11"}catch(e){}}();\n`);
    const page: { window?: unknown; _posthogReleaseId?: string; _posthogChunkIds?: unknown } = {};
    page.window = page;
    runInNewContext(script, page);
    expect(page._posthogReleaseId).toBe('0192f6a4-7c1e-7d3b-9a55-2f1c9e0b7a11');
    expect(page._posthogChunkIds).toBeUndefined();
    runInNewContext(createReleaseScript('later'), page);
    expect(page._posthogReleaseId).toBe('0192f6a4-7c1e-7d3b-9a55-2f1c9e0b7a11');
  });

  it('quotes any release id as a JS string and refuses an empty one', () => {
    const page: { window?: unknown; _posthogReleaseId?: string } = {};
    page.window = page;
    runInNewContext(createReleaseScript('r"});alert(1)//\u2028'), page);
    expect(page._posthogReleaseId).toBe('r"});alert(1)//\u2028');
    expect(codeOf(() => createReleaseScript(''))).toBe('invalid_release_id');
  });
});
