import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeChunkId } from '../chunk-id/compute';
import { injectFinalCode } from '../inject/inject-final';
import { shiftMappings } from '../inject/shift-map-text';
import { createChunkIdComment, createSnippet } from '../inject/snippet';
import { eventContentHash, findSnippetForHash, pristineMapJson } from './event-hash';
import { decodeMappings, encodeMappings } from './mappings-codec';

const ID = '58a7864c-f7b3-5a2e-ba91-18655350fd89';
const RELEASE_A = '0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee';
const RELEASE_B = '0190ffff-0000-7111-8222-333333333333';

/** A chunk as the bundler made it (before injection) and its map. */
const ORIGINAL = '"use strict";code();\n//# sourceMappingURL=a.js.map';
const ORIGINAL_MAP = {
  version: 3,
  file: 'a.js',
  sources: ['src/a.ts', null],
  sourcesContent: ['code();\n', null],
  names: ['code'],
  mappings: 'AAAA,aACAA;;',
  x_google_ignoreList: [1],
};

/** Injects like the rollup family (after the prologue, comment before the map reference). */
function inject(releaseId: string | undefined, code = ORIGINAL, map: object = ORIGINAL_MAP) {
  const result = injectFinalCode(code, { chunkIdFor: () => ID, releaseId });
  const mappings = (map as { mappings: string }).mappings;
  const shifted = result.shift ? shiftMappings(mappings, result.shift) : mappings;
  return { code: result.code, map: JSON.stringify({ ...map, mappings: shifted }) };
}

describe('eventContentHash: golden vector (posthog-cli into_upload, event mode, as read)', () => {
  // By posthog-cli's algorithm, by hand: the snippet and `\n//# chunkId=` removed from the code; the
  // map's adjustment reversed (same tokens), re-encoded by the sourcemap crate (no trailing `;`), null
  // sources as "", keys in byte order (the x_ key re-added), `file` dropped.
  const PRISTINE_CODE = '"use strict";code();\n//# sourceMappingURL=a.js.map';
  const PRISTINE_MAP =
    '{"mappings":"AAAA,aACAA","names":["code"],"sources":["src/a.ts",""],"sourcesContent":["code();\\n",null],"version":3,"x_google_ignoreList":[1]}';
  const WITH_RELEASE =
    'd0d594258da78cbd020c00dc49841a50a70909a44207e4a545ff1d7abfef61dbf96084b73072910245f60735f5dc6de26caed64dfa60110cf1056d3e92356220';
  const CHUNK_ID_ONLY =
    'd278c424dc608f90e1fe48ce446a8d1828e420553a4c2eade07e1a26e53f4ee61558e1aa0ae04d7b81a18fb6cd8066ce98fb35b879c6fb38910ed7fbe203d10f';

  it('the vector is SHA-512 of pristine code ‖ NUL ‖ pristine map ‖ NUL ‖ variant', () => {
    const sha = (variant: string) =>
      createHash('sha512').update(`${PRISTINE_CODE}\0${PRISTINE_MAP}\0${variant}`).digest('hex');
    expect(sha('with-release')).toBe(WITH_RELEASE);
    expect(sha('chunk-id-only')).toBe(CHUNK_ID_ONLY);
  });

  it('reproduces it from the injected pair, for either release', () => {
    const a = inject(RELEASE_A);
    expect(a.code).toBe(
      `"use strict";${createSnippet(ID, RELEASE_A)}code();${createChunkIdComment(ID)}\n//# sourceMappingURL=a.js.map`,
    );
    expect(
      pristineMapJson(a.map, a.code, [
        [13, 13 + createSnippet(ID, RELEASE_A).length],
        [
          a.code.indexOf('\n//# chunkId='),
          a.code.indexOf('\n//# chunkId=') + createChunkIdComment(ID).length,
        ],
      ]),
    ).toBe(PRISTINE_MAP);
    expect(eventContentHash(a.code, a.map, ID)).toBe(WITH_RELEASE);
    const b = inject(RELEASE_B);
    expect(b.code).not.toBe(a.code);
    expect(eventContentHash(b.code, b.map, ID)).toBe(WITH_RELEASE);
    const plain = inject(undefined);
    expect(eventContentHash(plain.code, plain.map, ID)).toBe(CHUNK_ID_ONLY);
  });
});

describe('eventContentHash', () => {
  it('changes with the code or the map, not with the release id', () => {
    const base = eventContentHash(inject(RELEASE_A).code, inject(RELEASE_A).map, ID);
    const edited = inject(RELEASE_A, ORIGINAL.replace('code()', 'code(1)'));
    expect(eventContentHash(edited.code, edited.map, ID)).not.toBe(base);
    const newMap = inject(RELEASE_A, ORIGINAL, {
      ...ORIGINAL_MAP,
      sourcesContent: ['code(); // v2\n', null],
    });
    expect(eventContentHash(newMap.code, newMap.map, ID)).not.toBe(base);
    // The map's own file name is not part of it (a content-hashed name moves with dependencies).
    const renamed = inject(RELEASE_B, ORIGINAL, { ...ORIGINAL_MAP, file: 'a-X1y2.js' });
    expect(eventContentHash(renamed.code, renamed.map, ID)).toBe(base);
  });

  it('is the hash of the code alone plus the map for a file that carries no snippet', () => {
    const map = JSON.stringify({ version: 3, sources: [], names: [], mappings: '' });
    const expected = createHash('sha512')
      .update('f();\0{"mappings":"","names":[],"sources":[],"version":3}\0chunk-id-only')
      .digest('hex');
    expect(eventContentHash('f();', map, ID)).toBe(expected);
  });

  it('falls back to the sorted JSON for an index map, still free of the release', () => {
    const sections = { version: 3, sections: [{ offset: { line: 0, column: 0 }, map: ORIGINAL_MAP }] };
    const a = inject(RELEASE_A);
    const b = inject(RELEASE_B);
    expect(eventContentHash(a.code, JSON.stringify(sections), ID)).toBe(
      eventContentHash(b.code, JSON.stringify(sections), ID),
    );
    expect(a.code).toContain(RELEASE_A);
  });
});

describe('pristineMapJson: the sourcemap crate composition, quirks included', () => {
  it('cuts a token whose range the snippet was inserted into (adjust_mappings)', () => {
    // The token at column 0 runs to column 10; the snippet goes in at 6 (after the comment).
    const code = '/*!c*/code();';
    const map = { version: 3, sources: ['a.ts'], names: [], mappings: 'AAAA,UAAE' };
    const injected = inject(undefined, code, map);
    const snippet = createSnippet(ID);
    expect(injected.code.startsWith(`/*!c*/${snippet}code();`)).toBe(true);
    const json = JSON.parse(
      pristineMapJson(injected.map, injected.code, [
        [6, 6 + snippet.length],
        [injected.code.length - createChunkIdComment(ID).length, injected.code.length],
      ]),
    );
    expect(json.mappings).toBe('AAAA,MAAA,IAAE');
  });

  it('columns the removal with the byte-based locator, as magic_string 0.3.4 does', () => {
    // "©" is 2 bytes in UTF-8 and one UTF-16 unit: posthog-cli moves what follows one column too far
    // (the token at column 9 comes back at 8, `E`, where undoing the injection exactly gives 9, `G`).
    const code = '/*!©*/code();';
    const map = { version: 3, sources: ['a.ts'], names: [], mappings: 'AAAA,SAAE' };
    const injected = inject(undefined, code, map);
    const snippet = createSnippet(ID);
    const json = JSON.parse(
      pristineMapJson(injected.map, injected.code, [
        [6, 6 + snippet.length],
        [injected.code.length - createChunkIdComment(ID).length, injected.code.length],
      ]),
    );
    expect(json.mappings).toBe('AAAA,MAAA,EAAE');
  });

  it('keeps extension keys, debugId and release_id in the struct order, drops chunk_id and file', () => {
    const map = {
      x_custom: { b: 1, a: [2] },
      chunk_id: ID,
      release_id: 'r',
      debugId: 'd',
      file: 'a.js',
      mappings: 'AAAA',
      sources: ['a.ts'],
    };
    expect(pristineMapJson(JSON.stringify(map), 'x', [])).toBe(
      '{"release_id":"r","debugId":"d","mappings":"AAAA","names":[],"sources":["a.ts"],"version":3,"x_custom":{"a":[2],"b":1}}',
    );
  });
});

describe('mappings codec (sourcemap crate)', () => {
  it('round-trips, dropping trailing semicolons and repeated tokens', () => {
    const tokens = decodeMappings('AAAA,CAAC;;AACA,AAAA;', 1, 0);
    expect(encodeMappings(tokens)).toBe('AAAA,CAAC;;AACA');
  });

  it('refuses segments of 2 or 3 fields and references past the lists', () => {
    expect(() => decodeMappings('AA', 1, 0)).toThrow(/2 fields/);
    expect(() => decodeMappings('AAAAC', 1, 0)).toThrow(/name/);
    expect(() => decodeMappings('ACAA', 1, 0)).toThrow(/source/);
  });
});

describe('findSnippetForHash', () => {
  it('finds either template anywhere, and reads the release id', () => {
    const code = `a();${createSnippet(ID, RELEASE_A)}b();`;
    expect(findSnippetForHash(code, ID)).toEqual({
      start: 4,
      end: 4 + createSnippet(ID, RELEASE_A).length,
      releaseId: RELEASE_A,
    });
    expect(findSnippetForHash(`${createSnippet(ID)}b();`, ID)?.releaseId).toBeUndefined();
    expect(findSnippetForHash(`${createSnippet(computeChunkId('x'))}b();`, ID)).toBeUndefined();
  });
});
