import { describe, expect, it } from 'vitest';
import { codePoints } from './code-text';
import { ADJUST_WIDTH, type AdjustmentTokens, removalAdjustment } from './pristine-mappings';

interface AdjustmentToken {
  dstLine: number;
  dstCol: number;
  srcLine: number;
  srcCol: number;
}

/** The typed tokens as objects, to compare with the definition's. */
function asObjects(tokens: AdjustmentTokens): AdjustmentToken[] {
  return Array.from({ length: tokens.length }, (_, index) => {
    const at = index * ADJUST_WIDTH;
    const [dstLine, dstCol, srcLine, srcCol] = tokens.data.subarray(at, at + ADJUST_WIDTH);
    return { dstLine: dstLine!, dstCol: dstCol!, srcLine: srcLine!, srcCol: srcCol! };
  });
}

/** magic_string's removal map by its definition, a character and a line at a time. */
function referenceAdjustment(code: string, removals: ReadonlyArray<[number, number]>): AdjustmentToken[] {
  const tokens: AdjustmentToken[] = [];
  let dstLine = 0;
  let dstLineStart = 0;
  let prefix = '';
  let from = 0;
  const chunks: Array<[number, number]> = [];
  for (const [start, end] of removals) {
    if (start > from) chunks.push([from, start]);
    from = end;
  }
  if (from < code.length) chunks.push([from, code.length]);
  for (const [start, end] of chunks) {
    const srcLineStart = code.lastIndexOf('\n', start - 1) + 1;
    const srcLine = code.slice(0, start).split('\n').length - 1;
    const srcCol = new TextEncoder().encode(code.slice(srcLineStart, start)).length;
    tokens.push({ dstLine, dstCol: [...prefix].length, srcLine, srcCol });
    let line = srcLine;
    for (let at = start; at < end; at++) {
      if (code[at] !== '\n') continue;
      line++;
      dstLine++;
      prefix = '';
      dstLineStart = at + 1;
      if (at + 1 < end) tokens.push({ dstLine, dstCol: 0, srcLine: line, srcCol: 0 });
    }
    prefix += code.slice(Math.max(start, dstLineStart), end);
  }
  return tokens;
}

/** A deterministic generator, so a failure names its case. */
function random(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % below;
  };
}

const PIECES = ['a', 'x=1;', '\n', '\n\n', 'é', '€', '😀', '\ud83d', '\ude00', '\u2028', ' '];

describe('codePoints', () => {
  it('counts as the string iterator does: a surrogate pair is one code point, a lone surrogate one', () => {
    for (const text of [
      '',
      'abc',
      'é€',
      '😀',
      'a😀b😀',
      '\ud83d',
      '\ude00\ud83d',
      '\ud83d\ud83d\ude00',
      'x'.repeat(70_000),
    ]) {
      expect(codePoints(text), JSON.stringify(text.slice(0, 12))).toBe([...text].length);
    }
  });
});

describe('removalAdjustment', () => {
  it('agrees with the definition on 2,000 random chunks with removals', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const next = random(seed);
      const code = Array.from({ length: 1 + next(40) }, () => PIECES[next(PIECES.length)]).join('');
      const removals: Array<[number, number]> = [];
      for (let at = next(4); at < code.length; at += 1 + next(12)) {
        const end = Math.min(code.length, at + 1 + next(8));
        removals.push([at, end]);
        at = end;
      }
      expect(asObjects(removalAdjustment(code, removals)), `seed ${seed}`).toEqual(
        referenceAdjustment(code, removals),
      );
    }
  });

  it('gives a snippet line and a trailing comment removed from a one-line chunk their columns', () => {
    const snippet = '!function(){}();';
    const body = `var a="😀";${'x'.repeat(5000)}`;
    const comment = '\n//# chunkId=1';
    const code = `${snippet}\n${body}${comment}\n`;
    const removals: Array<[number, number]> = [
      [0, snippet.length],
      [code.length - comment.length - 1, code.length - 1],
    ];
    const tokens = asObjects(removalAdjustment(code, removals));
    expect(tokens).toEqual(referenceAdjustment(code, removals));
    // After the comment: the generated column is the body's length in code points (the emoji is one).
    expect(tokens.at(-1)).toEqual({ dstLine: 1, dstCol: body.length - 1, srcLine: 2, srcCol: 13 });
  });
});
