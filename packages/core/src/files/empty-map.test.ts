import { describe, expect, it } from 'vitest';
import { isEmptySourceMap } from './empty-map';

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
