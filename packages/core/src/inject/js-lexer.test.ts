import { describe, expect, it } from 'vitest';
import { decodeStringLiteral, scanTemplate, scanTokens, skipTrivia } from './js-lexer';

describe('decodeStringLiteral', () => {
  it('decodes the quote styles minifiers write', () => {
    expect(decodeStringLiteral('"a\\"b"')).toBe('a"b');
    expect(decodeStringLiteral("'a\\'b'")).toBe("a'b");
    expect(decodeStringLiteral('`3b0e1a52-6d7f`')).toBe('3b0e1a52-6d7f');
    expect(decodeStringLiteral('"\\x41\\u0042\\u{1F44B}\\n\\\\"')).toBe('AB👋\n\\');
    expect(decodeStringLiteral('"a\\\r\nb"')).toBe('ab');
  });

  it('rejects what is not a plain literal', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source text
    expect(decodeStringLiteral('`a${b}c`')).toBeUndefined();
    expect(decodeStringLiteral('x')).toBeUndefined();
    expect(decodeStringLiteral('"\\1"')).toBeUndefined();
    expect(decodeStringLiteral('"\\xZZ"')).toBeUndefined();
  });
});

describe('scanning', () => {
  it('skips comments and reports line breaks inside block comments', () => {
    expect(skipTrivia('  /* a\n b */ // c\n  x', 0)).toEqual({ pos: 20, newline: true, unterminated: false });
    expect(skipTrivia('/* open', 0)).toEqual({ pos: 0, newline: false, unterminated: true });
  });

  it('scans templates with nested substitutions', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source text
    const code = '`a${ {b: `c${"}"}`} }d` + 1';
    expect(scanTemplate(code, 0)).toBe(code.indexOf(' + 1'));
  });

  it('tells regex literals from divisions', () => {
    const code = 'a = b / c / d, r = /,;/g; next';
    expect(scanTokens(code, 0, code.length, 'statement')).toEqual({ end: 13, after: 14 });
    const rest = 'r = /,;/g; next';
    expect(scanTokens(rest, 0, rest.length, 'statement')).toEqual({ end: 9, after: 10 });
    const keyword = 'return /;/.test(x); y';
    expect(scanTokens(keyword, 0, keyword.length, 'statement')?.end).toBe(18);
  });

  it('ends a statement at a line break only where a semicolon would be inserted', () => {
    expect(scanTokens('f()\ng()', 0, 7, 'statement')).toEqual({ end: 3, after: 3 });
    expect(scanTokens('f()\n(g)()', 0, 9, 'statement')).toEqual({ end: 9, after: 9 });
    expect(scanTokens('f(\n)', 0, 4, 'statement')).toEqual({ end: 4, after: 4 });
  });

  it('gives up on unbalanced brackets, unterminated literals and the limit', () => {
    expect(scanTokens('f())', 0, 4, 'statement')).toBeUndefined();
    expect(scanTokens('f("x', 0, 4, 'statement')).toBeUndefined();
    expect(scanTokens('aaaa;', 0, 3, 'statement')).toBeUndefined();
  });
});
