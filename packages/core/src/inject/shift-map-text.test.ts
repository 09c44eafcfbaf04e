import { describe, expect, it } from 'vitest';
import { FileError } from '../errors';
import { type FixtureName, loadFixture } from './fixtures/harness';
import { shiftInlineSourceMapUrl, shiftMappings, shiftSourceMapText } from './shift-map-text';
import { shiftGeneratedColumns } from './shift-mappings';

// Line 0: columns 0, 5 (named), 37; line 1: columns 2, 3.
const MAPPINGS = 'AAAA,KAAKA,gCAAE;EACA,CAAC';

describe('shiftMappings', () => {
  it.each([
    [0, 0, 400],
    [0, 5, 1000],
    [0, 6, 13],
    [1, 3, 7],
    [1, 0, 64],
  ])('line %i from column %i by %i: the same text as re-encoding the whole line', (line, column, delta) => {
    expect(shiftMappings(MAPPINGS, { line, column, delta })).toBe(
      shiftGeneratedColumns(MAPPINGS, line, column, delta),
    );
  });

  it('changes one VLQ value of a long line', () => {
    const long = `AAAA${',CAAC'.repeat(10_000)}`;
    const shifted = shiftMappings(long, { line: 0, column: 0, delta: 400 });
    expect(shifted).toBe(shiftGeneratedColumns(long, 0, 0, 400));
    expect(shifted.slice(shifted.indexOf(','))).toBe(long.slice(long.indexOf(',')));
  });

  it.each<FixtureName>(['rolldown-esm.min', 'rolldown-cjs.min', 'esbuild-strict.min', 'esbuild-bundle'])(
    'agrees with the line re-encoding on a real map (%s)',
    (fixture) => {
      const { mappings } = JSON.parse(loadFixture(fixture).map) as { mappings: string };
      for (const [line, column] of [
        [0, 0],
        [0, 13],
        [2, 4],
      ] as const) {
        expect(shiftMappings(mappings, { line, column, delta: 417 })).toBe(
          shiftGeneratedColumns(mappings, line, column, 417),
        );
      }
    },
  );

  it('leaves the text alone when nothing is at or after the column, or the line does not exist', () => {
    expect(shiftMappings(MAPPINGS, { line: 0, column: 38, delta: 7 })).toBe(MAPPINGS);
    expect(shiftMappings(MAPPINGS, { line: 5, column: 0, delta: 7 })).toBe(MAPPINGS);
    expect(shiftMappings(';;', { line: 1, column: 0, delta: 7 })).toBe(';;');
    expect(shiftMappings('', { line: 0, column: 0, delta: 7 })).toBe('');
  });

  it('throws on malformed VLQ before the insertion point', () => {
    expect(() => shiftMappings('CAAC,!A', { line: 0, column: 5, delta: 1 })).toThrow(/invalid VLQ/);
  });
});

describe('shiftSourceMapText', () => {
  const shift = { line: 0, column: 0, delta: 100 };

  it('edits the mappings value in the text and keeps every other byte', () => {
    // "mappings" is also a name here: only the key is taken.
    const json = `{"version":3,"names":["mappings"],"sources":["a.js"],"sourcesContent":["const s = '\\"mappings\\":\\"AAAA\\"';"],"mappings":"${MAPPINGS}","x_extra":1}\n`;
    const shifted = shiftSourceMapText(json, shift, 'a.js.map');
    const expected = shiftGeneratedColumns(MAPPINGS, 0, 0, 100);
    expect(shifted).toBe(json.replace(`"mappings":"${MAPPINGS}"`, `"mappings":"${expected}"`));
  });

  it('handles pretty-printed JSON, and returns the same text when nothing moves', () => {
    const json = JSON.stringify({ version: 3, sources: ['a.js'], mappings: MAPPINGS }, null, 2);
    expect(JSON.parse(shiftSourceMapText(json, shift, 'a.js.map')).mappings).toBe(
      shiftGeneratedColumns(MAPPINGS, 0, 0, 100),
    );
    expect(shiftSourceMapText(json, { line: 9, column: 0, delta: 1 }, 'a.js.map')).toBe(json);
  });

  it('names the file for a map it cannot adjust', () => {
    const sections = JSON.stringify({
      version: 3,
      sections: [
        { offset: { line: 0, column: 0 }, map: { version: 3, sources: [], mappings: 'AAAA' } },
        { offset: { line: 1, column: 0 }, map: { version: 3, sources: [], mappings: 'AAAA' } },
      ],
    });
    for (const bad of ['{"version":3,', sections, '{"version":3,"mappings":"!A"}']) {
      const error = (() => {
        try {
          shiftSourceMapText(bad, shift, 'dist/a.js.map');
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(FileError);
      expect((error as FileError).message).toMatch(/dist\/a\.js\.map.*cannot move the source map's columns/);
    }
  });
});

describe('shiftInlineSourceMapUrl', () => {
  const map = { version: 3, sources: ['a.js'], mappings: MAPPINGS };
  const url = `data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;

  it('adjusts the map inside a base64 data URL', () => {
    const shifted = shiftInlineSourceMapUrl(url, { line: 1, column: 0, delta: 9 }, 'a.js');
    const [prefix, data] = shifted!.split('base64,');
    expect(prefix).toBe('data:application/json;charset=utf-8;');
    expect(JSON.parse(Buffer.from(data!, 'base64').toString('utf8')).mappings).toBe(
      shiftGeneratedColumns(MAPPINGS, 1, 0, 9),
    );
  });

  it('returns undefined for a map file URL', () => {
    expect(shiftInlineSourceMapUrl('main.js.map', { line: 0, column: 0, delta: 9 }, 'a.js')).toBeUndefined();
  });
});
