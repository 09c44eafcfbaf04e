import { describe, expect, it } from 'vitest';
import { findInjectionOffset, findInjectionPoint } from './prologue';

// [description, text before the injection offset, text from the offset on]
const cases: Array<[string, string, string]> = [
  ['plain code', '', 'console.log(1);'],
  ['empty file', '', ''],
  ['hashbang', '#!/usr/bin/env node\n', 'run();'],
  ['hashbang with CRLF', '#!/usr/bin/env node\r\n', 'run();\r\n'],
  ['BOM and hashbang', '\uFEFF#!/usr/bin/env node\n', 'run();'],
  ['"use strict" with semicolon', '"use strict";', 'var a = 1;'],
  ['"use strict" with semicolon and newline', '"use strict";\n', 'var a = 1;'],
  ["'use client' without semicolon", "'use client'\n", 'export default 1;'],
  ['several directives, mixed', '"use strict";\'use client\'\r\n"use server"\n', 'f();'],
  ['directive then comments', '"use strict"; // why\n/* more */\n', 'f();'],
  ['leading line and block comments', '// a\n/* b\n c */\n/*! license */  ', 'import x from "x";'],
  ['hashbang, comments and directive', '#!/usr/bin/env node\n// cli\n"use strict";\n', 'main();'],
  ['directive with a comment before its semicolon', '"use strict" /* c */ ;', 'f()'],
  ['directive terminated by a line comment', '"use strict" // c\n', 'f()'],
  ['only directives, no semicolon, at end of file', '"use strict"', ''],
  ['only a line comment', '// nothing here', ''],
  ['a string that is an expression (member)', '', '"use strict".length;'],
  ['a string continued on the next line', '', '"use strict"\n+ x;'],
  ['a string called on the next line', '', '"use strict"\n(x);'],
  ['a string with a template tag on the next line', '', "'a'\n`b`;"],
  ['a string before a comparison', '', '"a"\n!= b;'],
  ['a directive before a negation (ASI)', '"use strict"\n', '!function(){}();'],
  ['a string with escaped quotes', '"use \\"strict\\"";', 'f();'],
  ['a string containing //', '"use // not a comment";', 'f();'],
  ['marker-like text inside a comment', '/* "use strict"; */\n', 'f();'],
  ['an unterminated block comment', '"use strict";', '/* never closed'],
  ['an unterminated string', '', '"use strict\nf();'],
  ['U+2028 as a line terminator', '"use strict"\u2028', 'f();'],
];

describe('findInjectionOffset', () => {
  it.each(cases)('%s', (_name, before, after) => {
    expect(findInjectionOffset(before + after)).toBe(before.length);
  });

  it('never lands inside a comment, string or hashbang', () => {
    for (const [, before, after] of cases) {
      const code = before + after;
      const offset = findInjectionOffset(code);
      // Code in front of the offset parses as a complete prologue: appending a statement is valid.
      const prefix = code.slice(0, offset);
      if (!prefix.startsWith('#!') && !prefix.startsWith('\uFEFF#!')) {
        expect(() => new Function(`${prefix}\n;0`)).not.toThrow();
      }
    }
  });
});

describe('findInjectionPoint', () => {
  it('asks for a line break only when the snippet would otherwise join an unfinished last line', () => {
    expect(findInjectionPoint('// c')).toEqual({ offset: 4, separator: '\n' });
    expect(findInjectionPoint('#!/usr/bin/env node')).toEqual({ offset: 19, separator: '\n' });
    expect(findInjectionPoint('"use strict"')).toEqual({ offset: 12, separator: '\n' });
    expect(findInjectionPoint('"use strict";\n')).toEqual({ offset: 14, separator: '' });
    expect(findInjectionPoint('')).toEqual({ offset: 0, separator: '' });
    expect(findInjectionPoint('"use strict";f()')).toEqual({ offset: 13, separator: '' });
  });
});
