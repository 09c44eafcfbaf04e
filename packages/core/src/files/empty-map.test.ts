import { describe, expect, it } from 'vitest';
import { isEmptySourceMap, loadedMapMapsNothing, mapsNothing } from './empty-map';

describe('isEmptySourceMap', () => {
  it.each([
    [{ version: 3 }],
    [{ version: 3, mappings: '', sources: [], names: [] }],
    [{ version: 3, mappings: null, sources: null }],
    [{ version: 3, sections: [] }],
    [
      {
        version: 3,
        sections: [{ offset: { line: 0, column: 0 }, map: { version: 3, mappings: '' } }, { offset: {} }],
      },
    ],
  ])('empty: %j', (map) => {
    expect(isEmptySourceMap(map)).toBe(true);
  });

  it.each([
    [{ version: 3, mappings: 'AAAA' }],
    [{ version: 3, mappings: '', sources: ['a.ts'] }],
    [{ version: 3, names: ['x'] }],
    [{ version: 3, sections: [{ offset: { line: 0, column: 0 }, map: { version: 3, mappings: 'AAAA' } }] }],
    [{ version: 3, sections: 'nonsense' }],
  ])('not empty: %j', (map) => {
    expect(isEmptySourceMap(map)).toBe(false);
  });

  it('does not judge values that are not objects', () => {
    expect(isEmptySourceMap(null)).toBe(false);
    expect(isEmptySourceMap('{}')).toBe(false);
    expect(isEmptySourceMap([])).toBe(false);
  });
});

describe('mapsNothing', () => {
  it.each([
    [{ version: 3, mappings: '', sources: ['../node_modules/h3/index.mjs'] }],
    [{ version: 3, mappings: ';;;,', sources: ['a.ts'], names: ['x'] }],
    [{ version: 3, sections: [{ offset: { line: 0, column: 0 }, map: { version: 3, mappings: ';' } }] }],
  ])('maps nothing: %j', (map) => {
    expect(mapsNothing(map)).toBe(true);
  });

  it.each([
    [{ version: 3, mappings: ';;AAAA' }],
    [{ version: 3, sections: [{ offset: { line: 0, column: 0 }, map: { version: 3, mappings: 'AAAA' } }] }],
    [{ version: 3 }],
    [null],
  ])('maps something, or is not judged: %j', (map) => {
    expect(mapsNothing(map)).toBe(false);
  });
});

describe('loadedMapMapsNothing', () => {
  // As the upload loads a map: bytes (from a file), or text from an input of the API.
  const judge = (text: string) => {
    const fromBytes = loadedMapMapsNothing(Buffer.from(text));
    expect(loadedMapMapsNothing(text)).toBe(fromBytes);
    return fromBytes;
  };

  it('reads the mappings of a plain map, not text in its sources that looks like them', () => {
    const source = 'const map = {"mappings":"AAAA", "sections": []};';
    expect(judge(JSON.stringify({ version: 3, sourcesContent: [source], mappings: '' }))).toBe(true);
    expect(judge(JSON.stringify({ version: 3, sourcesContent: [source], mappings: 'AAAA' }))).toBe(false);
  });

  it('finds the member whatever else is named mappings or sections', () => {
    const judged = [
      [{ version: 3, names: ['mappings', 'sections'], mappings: 'AAAA' }, false],
      [{ version: 3, names: ['mappings', 'sections'], mappings: ';;' }, true],
      [{ version: 3, x_meta: { mappings: 'AAAA' }, mappings: '' }, true],
      [{ version: 3, mappings: '', x_meta: { mappings: 'AAAA' } }, true],
      [{ version: 3, 'a"mappings': 'AAAA', mappings: ';' }, true],
      [{ version: 3, mappings: 'AAAA', sources: [] }, false],
    ] as const;
    for (const [map, nothing] of judged) expect(judge(JSON.stringify(map))).toBe(nothing);
    // The last of duplicate keys counts, as in JSON.parse; an escaped key is the same key.
    expect(judge('{"version":3,"mappings":"AAAA","mappings":";"}')).toBe(true);
    expect(judge('{"version":3,"mappings":";","\\u006dappings":"AAAA"}')).toBe(false);
  });

  it('judges index maps by their sections', () => {
    const section = (mappings: string) => ({ offset: { line: 0, column: 0 }, map: { version: 3, mappings } });
    expect(judge(JSON.stringify({ version: 3, sections: [section(';')] }))).toBe(true);
    expect(judge(JSON.stringify({ version: 3, sections: [section(';'), section('AAAA')] }))).toBe(false);
  });

  it('leaves malformed maps and values that are no maps to packing, which reports them', () => {
    for (const text of ['not json', '{"mappings":', '[]', '{"version":3}', '{"mappings":[]}'])
      expect(judge(text)).toBe(false);
  });
});
