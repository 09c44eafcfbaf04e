// The fast path of the event-mode hash (raw JSON copies, spliced mappings, hashing byte views) must
// give the general path's bytes for every pair; where it cannot vouch for them it must step aside.
// Random pairs cover what real maps do and what they should not: non-canonical VLQ, unsorted and
// repeated segments, 1/4/5-field segments, empty segments, snippets inline / on their own line /
// after a prologue / rewritten, the comment present or not, unicode and escapes, extra and repeated
// keys, pretty-printed JSON, index maps.
import { describe, expect, it } from 'vitest';
import { createChunkIdComment, createSnippet } from '../inject/snippet';
import { writeVlq } from '../inject/vlq';
import { eventContentHash, injectedRanges, pristineMapJson, pristineMapPieces } from './event-hash';

const ID = '58a7864c-f7b3-5a2e-ba91-18655350fd89';

/** A linear congruential generator: reproducible pairs (the seed is in the failure message). */
function random(seed: number) {
  let state = Math.imul(seed, 0x9e3779b1) >>> 0; // spread consecutive seeds apart
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  for (let warm = 0; warm < 4; warm++) next();
  const int = (n: number) => Math.floor(next() * n);
  const chance = (p: number) => next() < p;
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { int, chance, pick };
}
type Random = ReturnType<typeof random>;

const TEXT = ['a', 'b', ' ', 'x=1;', '"q"', '\\', '/', '\t', 'é', '€', '😀', '\u2028', '\u0001', '</script>'];
/** ASCII only: such code is hashed from its bytes, never decoded (code-text.ts). */
const ASCII_TEXT = TEXT.filter((piece) => /^[\x20-\x7e\t]*$/.test(piece));

function text(r: Random, length: number, alphabet: readonly string[] = TEXT): string {
  let out = '';
  for (let i = 0; i < length; i++) out += r.pick(alphabet);
  return out;
}

/** A VLQ, now and then in a longer form than needed or as `-0`. */
function vlq(r: Random, value: number, sloppy: boolean): string {
  if (sloppy && value === 0 && r.chance(0.1)) return 'B';
  const canonical = writeVlq(value);
  if (!sloppy || !r.chance(0.05)) return canonical;
  // Same value, one more digit: set the last digit's continuation bit and append a zero digit.
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const last = digits.indexOf(canonical[canonical.length - 1]!);
  return `${canonical.slice(0, -1)}${digits[last | 32]}A`;
}

/** `skip`: where line 0's tokens start (past an inline snippet, as a shifted map has them). */
function mappings(
  r: Random,
  lines: number,
  sources: number,
  names: number,
  sloppy: boolean,
  skip: number,
): string {
  const out: string[] = [];
  const state = { srcId: 0, srcLine: 0, srcCol: 0, name: 0 };
  for (let line = 0; line < lines; line++) {
    const segments: string[] = [];
    const count = r.chance(0.2) ? 0 : r.int(12);
    for (let s = 0; s < count; s++) {
      const step = sloppy && r.chance(0.05) ? -r.int(5) : r.chance(0.1) ? 0 : r.int(40);
      let segment = vlq(r, s === 0 ? r.int(5) + (line === 0 ? skip : 0) : step, sloppy);
      const fields = sources === 0 ? 1 : r.pick([1, 4, 4, 5, 5]);
      if (fields >= 4) {
        const srcId = r.int(sources);
        const srcLine = Math.max(0, state.srcLine + r.int(7) - 2);
        const srcCol = r.int(50);
        segment += vlq(r, srcId - state.srcId, sloppy) + vlq(r, srcLine - state.srcLine, sloppy);
        segment += vlq(r, srcCol - state.srcCol, sloppy);
        Object.assign(state, { srcId, srcLine, srcCol });
        if (fields === 5 && names > 0) {
          const name = r.int(names);
          segment += vlq(r, name - state.name, sloppy);
          state.name = name;
        }
      }
      segments.push(segment);
      if (sloppy && r.chance(0.05)) segments.push(segment.slice(0, 1) === 'A' ? segment : 'A');
      if (sloppy && r.chance(0.02)) segments.push('');
    }
    out.push(segments.join(','));
  }
  return out.join(';') + (r.chance(0.3) ? ';;' : '');
}

const ESCAPES: Array<[string, string]> = [
  ['\\/', '/'],
  ['\\u0041', 'A'],
  ['\\u001F', '\u001f'],
  ['\\ud83d\\ude00', '😀'],
];

/** JSON text for `value`, now and then with escapes JSON.stringify would not write. */
function json(r: Random, value: unknown, sloppy: boolean): string {
  let out = JSON.stringify(value, null, sloppy && r.chance(0.3) ? 2 : undefined);
  if (sloppy && r.chance(0.2)) {
    const [raw, char] = r.pick(ESCAPES);
    out = out.replace(char === '/' ? '/' : char, raw);
  }
  return out;
}

function pair(
  seed: number,
  codeAlphabet: readonly string[] = TEXT,
): { code: string; map: string; sloppy: boolean } {
  const r = random(seed);
  const sloppy = r.chance(0.5);
  const lines = 1 + r.int(6);
  const codeLines = Array.from({ length: lines }, () => text(r, r.int(30), codeAlphabet));
  let code = codeLines.join('\n');
  const snippet = createSnippet(ID, r.chance(0.5) ? '0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee' : undefined);
  const where = r.pick(['inline', 'own-line', 'prologue', 'none', 'rewritten'] as const);
  const skip = where === 'inline' && r.chance(0.7) ? snippet.length : 0;
  if (where === 'inline') code = snippet + code;
  else if (where === 'own-line') code = `${snippet}\n${code}`;
  else if (where === 'prologue') code = `"use strict";${snippet}${code}`;
  else if (where === 'rewritten')
    code = `${snippet.replace('!function(){', '(function(){').replace('}();', '})();')}\n${code}`;
  if (r.chance(0.8)) code += createChunkIdComment(ID);
  if (r.chance(0.3)) code += '\n//# sourceMappingURL=a.js.map';
  if (r.chance(0.1)) code += '\n';

  const sources = r.int(4);
  const names = r.int(4);
  const members: Array<[string, unknown]> = [
    ['version', 3],
    [
      'sources',
      Array.from({ length: sources }, (_, i) => (r.chance(0.1) ? null : `src/${i}-${text(r, 3)}.ts`)),
    ],
    ['names', Array.from({ length: names }, (_, i) => (r.chance(0.1) ? i : `n${text(r, 2)}`))],
    ['mappings', mappings(r, lines + 2 + r.int(2), sources, names, sloppy, skip)],
  ];
  if (r.chance(0.8))
    members.push([
      'sourcesContent',
      Array.from({ length: sources }, () => (r.chance(0.1) ? null : text(r, 40))),
    ]);
  if (r.chance(0.3)) members.push(['file', 'a.js']);
  if (r.chance(0.2)) members.push(['x_google_ignoreList', [0]]);
  if (r.chance(0.2)) members.push(['ignoreList', [1, 0, 1]]);
  if (r.chance(0.2)) members.push(['x_custom', { b: [1.5, 'é'], a: null }]);
  if (r.chance(0.2)) members.push(['debugId', 'd']);
  if (r.chance(0.1)) members.push(['release_id', 'r']);
  if (r.chance(0.1)) members.push(['chunk_id', ID]);
  if (r.chance(0.1)) members.push(['sourceRoot', r.chance(0.5) ? '/root' : null]);
  if (r.chance(0.05)) members.push(['sections', []]);
  if (r.chance(0.05)) members.push(['sourcesContent', 'not a list']);
  if (r.chance(0.05)) members.push(['mappings', 'AAAA']);
  if (r.chance(0.03)) members.push(['__proto__', { a: 1 }]);
  for (let i = members.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [members[i], members[j]] = [members[j]!, members[i]!];
  }
  const gap = sloppy && r.chance(0.3) ? ' \n' : '';
  const map = `{${gap}${members.map(([key, value]) => `${JSON.stringify(key)}:${gap}${json(r, value, sloppy)}`).join(`,${gap}`)}}`;
  return { code, map, sloppy };
}

describe('event-mode hash: fast path against the general path', () => {
  it('gives the same hash for 4,000 random pairs, and takes the fast path for most canonical ones', () => {
    let fast = 0;
    let canonical = 0;
    for (let seed = 1; seed <= 4000; seed++) {
      const { code, map, sloppy } = pair(seed);
      const expected = eventContentHash(code, map, ID, { general: true });
      const bytes = Buffer.from(map);
      expect(eventContentHash(Buffer.from(code), bytes, ID), `seed ${seed}`).toBe(expected);
      const { removals } = injectedRanges(code, ID);
      const pieces = pristineMapPieces(bytes, code, removals);
      if (!sloppy) canonical++;
      if (pieces) {
        fast++;
        const joined = Buffer.concat(pieces.map((piece) => Buffer.from(piece))).toString('utf8');
        expect(joined, `seed ${seed}`).toBe(pristineMapJson(map, code, removals));
      }
    }
    // Not vacuous: the fast path answers for most pairs a bundler would write.
    expect(fast).toBeGreaterThan(canonical * 0.5);
  });
});

describe('event-mode hash: ASCII code read as bytes', () => {
  it('gives the hash of the same code as a string, for 2,000 random pairs', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const { code, map } = pair(seed, ASCII_TEXT);
      expect(Buffer.from(code).length, `seed ${seed}`).toBe(code.length);
      const expected = eventContentHash(code, map, ID, { general: true });
      expect(eventContentHash(Buffer.from(code), Buffer.from(map), ID), `seed ${seed}`).toBe(expected);
      expect(eventContentHash(Buffer.from(code), map, ID), `seed ${seed}`).toBe(expected);
    }
  });
});

describe('event-mode hash: the splice steps aside where copied bytes would differ', () => {
  const snippet = createSnippet(ID);
  const at = (col: number) => writeVlq(col);
  const check = (code: string, mappings: string) => {
    const map = JSON.stringify({ version: 3, sources: ['a.ts'], names: ['x', 'y'], mappings });
    const expected = eventContentHash(code, map, ID, { general: true });
    expect(eventContentHash(Buffer.from(code), Buffer.from(map), ID)).toBe(expected);
  };

  it('a named token dropped with the snippet changes how the next name is written', () => {
    // Col 0 names `y` and lies inside the snippet (dropped); col 1 is cut to the snippet's end; the
    // token after it names `y` again, relative to a name the pristine map no longer has.
    const F = snippet.length;
    check(`${snippet}abcdef`, `AAAAC,${at(1)}AAA,${at(F - 1)}AAA,CAAAA`);
  });

  it('a token inside the snippet that moves past the tail', () => {
    // With a prologue, tokens inside the snippet keep their column offset and can land after the
    // first token past it: the sort then reorders them.
    const code = `"use strict";${snippet}abcdef`;
    check(code, `AAAA,${at(20)}AAC,${at(snippet.length - 7)}AAA,CAAC`);
  });
});

describe('event-mode hash: memory', () => {
  it('hashes an unminified chunk again without allocating in proportion to its lines', () => {
    // A token per line, as webpack's unminified chunks have: the removal's adjustment and the line
    // plan are per line, in typed arrays V8 counts as external memory (64 MB of it sets off marking
    // the whole heap, which at the end of a build is the bundler's).
    const lines = 100_000;
    const code = `${createSnippet(ID)}\n${'x();\n'.repeat(lines)}${createChunkIdComment(ID)}`;
    const map = Buffer.from(
      JSON.stringify({
        version: 3,
        sources: ['a.ts'],
        names: [],
        mappings: `;AAAA${';AACA'.repeat(lines - 1)}`,
      }),
    );
    const first = eventContentHash(Buffer.from(code), map, ID);
    expect(pristineMapPieces(map, code, injectedRanges(code, ID).removals)).toBeDefined();
    const before = process.memoryUsage().external;
    expect(eventContentHash(Buffer.from(code), map, ID)).toBe(first);
    // About 60 bytes a line (5.9 MB here) before this memory was reused.
    expect(process.memoryUsage().external - before).toBeLessThan(1024 * 1024);
  });
});
