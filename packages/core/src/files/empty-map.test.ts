import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEmptySourceMap, mapFileMapsNothing, mapsNothing } from './empty-map';

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

describe('mapFileMapsNothing', () => {
  async function withMap(text: string, check: (file: string) => Promise<void>) {
    const dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-maps-nothing-'));
    try {
      const file = path.join(dir, 'a.js.map');
      await writeFile(file, text);
      await check(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('reads the mappings of a plain map, not text in its sources that looks like them', async () => {
    const source = 'const map = {"mappings":"AAAA", "sections": []};';
    await withMap(JSON.stringify({ version: 3, sourcesContent: [source], mappings: '' }), async (file) => {
      expect(await mapFileMapsNothing(file)).toBe(true);
    });
    await withMap(
      JSON.stringify({ version: 3, sourcesContent: [source], mappings: 'AAAA' }),
      async (file) => {
        expect(await mapFileMapsNothing(file)).toBe(false);
      },
    );
  });

  it('finds the member whatever else is named mappings or sections', async () => {
    const judged = [
      [{ version: 3, names: ['mappings', 'sections'], mappings: 'AAAA' }, false],
      [{ version: 3, names: ['mappings', 'sections'], mappings: ';;' }, true],
      [{ version: 3, x_meta: { mappings: 'AAAA' }, mappings: '' }, true],
      [{ version: 3, mappings: '', x_meta: { mappings: 'AAAA' } }, true],
      [{ version: 3, 'a"mappings': 'AAAA', mappings: ';' }, true],
    ] as const;
    for (const [map, nothing] of judged) {
      await withMap(JSON.stringify(map), async (file) => {
        expect(await mapFileMapsNothing(file)).toBe(nothing);
      });
    }
    await withMap('{"version":3,"\\u006dappings":";","mappings2":"AAAA"}', async (file) => {
      expect(await mapFileMapsNothing(file)).toBe(true);
    });
  });

  it('judges index maps by their sections', async () => {
    const section = (mappings: string) => ({ offset: { line: 0, column: 0 }, map: { version: 3, mappings } });
    await withMap(JSON.stringify({ version: 3, sections: [section(';')] }), async (file) => {
      expect(await mapFileMapsNothing(file)).toBe(true);
    });
    await withMap(JSON.stringify({ version: 3, sections: [section(';'), section('AAAA')] }), async (file) => {
      expect(await mapFileMapsNothing(file)).toBe(false);
    });
  });

  it('leaves missing and malformed maps to the upload, which reports them', async () => {
    await withMap('not json', async (file) => {
      expect(await mapFileMapsNothing(file)).toBe(false);
      expect(await mapFileMapsNothing(`${file}.missing`)).toBe(false);
    });
  });
});
