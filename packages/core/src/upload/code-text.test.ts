// ASCII code read as bytes must answer every read the event hash makes exactly as the same code as a
// string does, including the string methods' edge cases (negative, fractional, NaN and past-the-end
// indices, empty and non-ASCII searches).
import { describe, expect, it } from 'vitest';
import { AsciiCode, type CodeText, codePointsIn, codeTextOf, utf8BytesIn } from './code-text';
import { removalAdjustment } from './pristine-mappings';

function random(seed: number) {
  let state = Math.imul(seed, 0x9e3779b1) >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { int, pick: <T>(items: readonly T[]): T => items[int(items.length)]! };
}

const PIECES = ['a', 'b', '\n', '\n', ' ', 'x=1;', '"q"', '\\', '\r\n', '\t', '//# chunkId=', '!function(){'];
const SEARCHES = ['\n', 'a', 'x=1;', '"q"', '', 'zz', 'é', '\u0141', '😀', '\u0000'];
const INDICES = [0, 1, 2, 5, 17, -1, -3, 0.5, 2.7, Number.NaN, 1e9, -1e9, Number.POSITIVE_INFINITY];

const asciiCode = (text: string) => new AsciiCode(Buffer.from(text, 'latin1'));

/** Up to `pieces` random pieces of ASCII code. */
function randomText(r: ReturnType<typeof random>, pieces: number): string {
  let text = '';
  for (let i = r.int(pieces); i > 0; i--) text += r.pick(PIECES);
  return text;
}

describe('AsciiCode', () => {
  it('answers indexOf, lastIndexOf, slice, charCodeAt and length as the string does', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = randomText(random(seed), 40);
      const code = asciiCode(text);
      expect(code.length).toBe(text.length);
      expect(String(code)).toBe(text);
      for (const search of SEARCHES) {
        expect(code.indexOf(search), `${seed} indexOf ${JSON.stringify(search)}`).toBe(text.indexOf(search));
        expect(code.lastIndexOf(search)).toBe(text.lastIndexOf(search));
        for (const at of INDICES) {
          const what = `${seed} ${JSON.stringify(search)} at ${at}`;
          expect(code.indexOf(search, at), what).toBe(text.indexOf(search, at));
          expect(code.lastIndexOf(search, at), what).toBe(text.lastIndexOf(search, at));
        }
      }
      for (const start of INDICES) {
        expect(code.charCodeAt(start)).toBe(text.charCodeAt(start));
        expect(code.slice(start)).toBe(text.slice(start));
        for (const end of INDICES)
          expect(code.slice(start, end), `${seed} ${start}..${end}`).toBe(text.slice(start, end));
      }
    }
  });

  it('is what UTF-8 bytes read as when they are ASCII, and a decoded string when not', () => {
    expect(codeTextOf(Buffer.from('a\nb'))).toBeInstanceOf(AsciiCode);
    const decoded = codeTextOf(Buffer.from('é\n€ 😀'));
    expect(decoded).toBe('é\n€ 😀');
    // Lengths as the hash counts them: code points (a pair split by a removal joins up) and bytes.
    expect(
      codePointsIn(decoded, [
        [0, 2],
        [4, 6],
      ]),
    ).toBe(3);
    expect(utf8BytesIn(decoded, 0, 3)).toBe(6);
    const ascii = codeTextOf(Buffer.from('abc\ndef'));
    expect(
      codePointsIn(ascii, [
        [0, 2],
        [4, 7],
      ]),
    ).toBe(5);
    expect(utf8BytesIn(ascii, 1, 6)).toBe(5);
  });
});

describe('removalAdjustment over ASCII code read as bytes', () => {
  it('makes the tokens the same code as a string makes, for 500 random codes and removals', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const r = random(seed);
      const text = randomText(r, 60);
      // Sorted, disjoint removals, now and then at the very start or running to the end.
      const removals: Array<[number, number]> = [];
      let at = r.int(2) === 0 ? 0 : r.int(8);
      while (at < text.length && removals.length < 3) {
        const end = Math.min(text.length, at + 1 + r.int(12));
        removals.push([at, end]);
        at = end + 1 + r.int(15);
      }
      const tokens = (code: CodeText) => {
        const made = removalAdjustment(code, removals);
        return Array.from(made.data.subarray(0, made.length * 4));
      };
      expect(tokens(asciiCode(text)), `seed ${seed}`).toEqual(tokens(text));
    }
  });
});
