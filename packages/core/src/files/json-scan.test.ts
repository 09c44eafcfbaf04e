import { describe, expect, it } from 'vitest';
import { isEmptySourceMap } from './empty-map';
import { memberOf, plainStringValue, scanJsonObject, scanJsonObjectOnce } from './json-scan';
import { checkSourceMapBytes, isEmptySourceMapBytes } from './source-map-bytes';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('scanJsonObject', () => {
  // What JSON.parse accepts as an object, the scan accepts; what it refuses, the scan refuses.
  const texts = [
    '{}',
    ' {\n\t"a" : 1 , "b":[1,-2.5e+3,0.1E-2,true,false,null,{"c":{}}], "d":"x\\"y\\\\z\\u00e9\\n"}\r\n',
    '{"version":3,"sources":["a.ts"],"names":[],"mappings":"AAAA;CAAC","sourcesContent":["é ü \\u2028"]}',
    '{"a":1,"a":2}',
    '{"a":"\u00e9\u4e2d\ud83d\ude00"}',
    '{',
    '{"a":1,}',
    '{"a" 1}',
    '{a:1}',
    "{'a':1}",
    '{"a":01}',
    '{"a":1.}',
    '{"a":-}',
    '{"a":.5}',
    '{"a":"\t"}',
    '{"a":"\\x"}',
    '{"a":"\\u12G4"}',
    '{"a":"x',
    '{"a":"x\\',
    '{"a":"\\"}',
    '{"a":"\\u00"}',
    '{"a":"x\\\\"}',
    '{"a":tru}',
    '{"a":1} x',
    '{"a":[1,2}',
    '{"a":[1 2]}',
    '[]',
    '"a"',
    '',
    '\ufeff{}',
  ];
  it.each(texts)('agrees with JSON.parse on %j', (text) => {
    let parsed: unknown;
    let parses = true;
    try {
      parsed = JSON.parse(text);
    } catch {
      parses = false;
    }
    const isObject = parses && typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    if (isObject) {
      const scan = scanJsonObject(bytes(text));
      const keys = [...new Set(scan.members.map((member) => member.key))];
      expect(keys).toEqual(Object.keys(parsed as object));
      for (const key of keys) {
        const member = memberOf(scan, key)!;
        const value = JSON.parse(bytes(text).subarray(member.start, member.end).toString('utf8'));
        expect(value).toEqual((parsed as Record<string, unknown>)[key]);
      }
      expect(bytes(text)[scan.close]).toBe(0x7d);
      expect(
        bytes(text)
          .subarray(scan.close + 1)
          .toString()
          .trim(),
      ).toBe('');
    } else {
      expect(() => scanJsonObject(bytes(text))).toThrow(SyntaxError);
    }
  });

  it('agrees with JSON.parse on long strings at any byte alignment', () => {
    const long = 'x'.repeat(1000);
    const texts = [
      `{"a":"${long}\\"${long}\\\\${long}\\u00e9","b":\n\t["${long}"]\r\n}`,
      `{"a":"${long}\\"${long}\u0001${long}"}`,
      `{"a":"${long}","b":"${long}\u001f"}`,
      `{"a":"${long}\\`,
      `{"a":"${long}\\"${long}`,
    ];
    for (const text of texts) {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      for (let offset = 0; offset < 4; offset++) {
        const view = Buffer.concat([Buffer.alloc(offset), bytes(text)]).subarray(offset);
        if (parses)
          expect(scanJsonObject(view).members.map((member) => member.key)).toEqual(
            Object.keys(JSON.parse(text)),
          );
        else expect(() => scanJsonObject(view)).toThrow(SyntaxError);
      }
    }
  });

  it('finds a control character wherever it lies in a long string, at any byte alignment', () => {
    const text = 'x'.repeat(70);
    for (let offset = 0; offset < 4; offset++) {
      for (let at = 0; at < text.length; at++) {
        const json = `{"a":"${text.slice(0, at)}\u0001${text.slice(at + 1)}","b":\n\t1}`;
        const view = Buffer.concat([Buffer.alloc(offset), bytes(json)]).subarray(offset);
        expect(() => scanJsonObject(view), `${offset}:${at}`).toThrow(
          new RegExp(`control character in a string at byte ${6 + at}$`),
        );
      }
      // Blanks between tokens are control bytes too, and allowed there.
      const blanks = `{"a":"${text}",\n\t\r"b":\n${' \n'.repeat(20)}1}`;
      const view = Buffer.concat([Buffer.alloc(offset), bytes(blanks)]).subarray(offset);
      expect(scanJsonObject(view).members.map((member) => member.key)).toEqual(['a', 'b']);
    }
  });

  it('says what is wrong and where', () => {
    expect(() => scanJsonObject(bytes('{"a":1,}'))).toThrow(/expected a key at byte 7/);
    expect(() => scanJsonObject(bytes('[1]'))).toThrow(/expected a JSON object at byte 0/);
    expect(() => scanJsonObject(bytes(`{"a":${'['.repeat(10_000)}`))).toThrow(/nested too deeply/);
  });

  it('gives a string value without escapes as text, and refuses one with escapes', () => {
    const map = bytes('{"mappings":"AAAA;CAAC","file":"a\\"b.js"}');
    const scan = scanJsonObject(map);
    expect(plainStringValue(map, memberOf(scan, 'mappings')!)).toBe('AAAA;CAAC');
    expect(plainStringValue(map, memberOf(scan, 'file')!)).toBeUndefined();
  });
});

describe('source maps as bytes', () => {
  it('refuses what is not a source map, naming the file', () => {
    expect(() => checkSourceMapBytes(bytes('{"version":3,'), 'a.js.map')).toThrow(
      /^a\.js\.map: is not valid JSON \(expected a key at byte 13\)/,
    );
    expect(() => checkSourceMapBytes(bytes('{"version":3}'), 'a.js.map')).toThrow(
      /a\.js\.map: is not a source map \(no `mappings` or `sections`\)/,
    );
    expect(() => checkSourceMapBytes(Buffer.from([0x7b, 0xff, 0x7d]), 'a.js.map')).toThrow(/not valid UTF-8/);
    expect(checkSourceMapBytes(bytes('{"sections":[]}'), 'a.js.map').members).toHaveLength(1);
  });

  it.each([
    '{"version":3,"mappings":"","sources":[],"names":[ ]}',
    '{"version":3,"mappings":"AAAA","sources":[],"names":[]}',
    '{"version":3,"mappings":"","sources":["a.ts"]}',
    '{"version":3,"mappings":null,"sources":null}',
    '{"version":3,"mappings":"","sections":[]}',
    '{"version":3,"mappings":"","sections":""}',
    '{"version":3,"mappings":"","sections":null}',
  ])('judges emptiness as isEmptySourceMap does: %s', (text) => {
    expect(isEmptySourceMapBytes(bytes(text), scanJsonObject(bytes(text)))).toBe(
      isEmptySourceMap(JSON.parse(text)),
    );
  });
});

describe('scanJsonObjectOnce', () => {
  it('scans a byte array once: the same array gives the same scan, another one is scanned on its own', () => {
    const text = '{"version":3,"mappings":"AAAA","sources":["a.ts"]}';
    const map = bytes(text);
    const first = scanJsonObjectOnce(map);
    expect(first).toEqual(scanJsonObject(map));
    expect(scanJsonObjectOnce(map)).toBe(first);
    const other = bytes(text);
    expect(scanJsonObjectOnce(other)).not.toBe(first);
    expect(scanJsonObjectOnce(other)).toEqual(first);
  });

  it('remembers no failure: bad bytes throw every time', () => {
    const bad = bytes('{"mappings":"AAAA",}');
    expect(() => scanJsonObjectOnce(bad)).toThrow(SyntaxError);
    expect(() => scanJsonObjectOnce(bad)).toThrow(SyntaxError);
  });
});
