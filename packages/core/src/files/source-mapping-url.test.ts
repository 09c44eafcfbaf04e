import { describe, expect, it } from 'vitest';
import { findSourceMappingUrl, stripSourceMappingUrl } from './source-mapping-url';

describe('findSourceMappingUrl', () => {
  it('takes the last reference, bottom-up, trimmed', () => {
    expect(
      findSourceMappingUrl(
        '//# sourceMappingURL=a.map\ncode\n  //# sourceMappingURL=b.map  \n//# chunkId=x\n',
      ),
    ).toBe('b.map');
    expect(findSourceMappingUrl('code\r\n//@ sourceMappingURL=old.map\r\n')).toBe('old.map');
  });

  it('ignores references that are not alone at the start of a line', () => {
    expect(findSourceMappingUrl('x; //# sourceMappingURL=a.map\n')).toBeUndefined();
    expect(findSourceMappingUrl('code\n')).toBeUndefined();
  });
});

describe('stripSourceMappingUrl', () => {
  it('removes a trailing JS comment and keeps the chunk id comment', () => {
    expect(stripSourceMappingUrl('code();\n//# sourceMappingURL=app.js.map\n//# chunkId=abc\n')).toBe(
      'code();\n//# chunkId=abc\n',
    );
    expect(stripSourceMappingUrl('code();\n//# sourceMappingURL=app.js.map')).toBe('code();\n');
    expect(stripSourceMappingUrl('code();\r\n//@ sourceMappingURL=app.js.map\r\n')).toBe('code();\r\n');
  });

  it('removes a trailing CSS comment', () => {
    expect(stripSourceMappingUrl('a{color:red}\n/*# sourceMappingURL=style.css.map */\n')).toBe(
      'a{color:red}\n',
    );
  });

  it('leaves references inside the code alone', () => {
    const code = 'const s = `\n//# sourceMappingURL=inside.map\n`;\nrun(s);\n';
    expect(stripSourceMappingUrl(code)).toBe(code);
    const withTail = `${code}//# sourceMappingURL=real.map\n`;
    expect(stripSourceMappingUrl(withTail)).toBe(code);
  });

  it('walks only the tail: a long one-line chunk, an inline map, many lines', () => {
    const line = `var a=${JSON.stringify('x'.repeat(100_000))};`;
    const inline = `//# sourceMappingURL=data:application/json;base64,${'A'.repeat(50_000)}`;
    expect(stripSourceMappingUrl(`${line}\n${inline}`)).toBe(`${line}\n`);
    expect(stripSourceMappingUrl(`${line}\n${inline}\n//# chunkId=abc`)).toBe(`${line}\n//# chunkId=abc`);
    expect(stripSourceMappingUrl(`${line}//# sourceMappingURL=a.js.map`)).toBe(
      `${line}//# sourceMappingURL=a.js.map`,
    );
    const lines = 'run();\n'.repeat(50_000);
    expect(stripSourceMappingUrl(`${lines}\n/*# sourceMappingURL=a.css.map */\n\n`)).toBe(`${lines}\n\n`);
    expect(stripSourceMappingUrl(`\n${inline}`)).toBe('\n');
  });

  it('returns the input unchanged when there is nothing to strip', () => {
    const code = 'code();\n//# chunkId=abc\n';
    expect(stripSourceMappingUrl(code)).toBe(code);
    expect(stripSourceMappingUrl('')).toBe('');
  });
});
