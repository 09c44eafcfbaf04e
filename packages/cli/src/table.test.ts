import { describe, expect, it } from 'vitest';
import { renderFields, renderTable, shortDate } from './table';

describe('renderTable', () => {
  it('aligns columns under their headers and marks empty cells', () => {
    const rows = [
      { id: 'a1', name: 'checkout', count: 3 },
      { id: 'b22', name: null, count: 12 },
    ];
    const text = renderTable(
      [
        { header: 'ID', value: (row) => row.id },
        { header: 'COUNT', value: (row) => row.count, align: 'right' },
        { header: 'NAME', value: (row) => row.name },
      ],
      rows,
    );
    expect(text).toBe(['ID   COUNT  NAME', 'a1       3  checkout', 'b22     12  -', ''].join('\n'));
  });

  it('renders fields and short dates', () => {
    expect(
      renderFields([
        ['id', 'x'],
        ['release id', undefined],
      ]),
    ).toBe('id:         x\nrelease id: -\n');
    expect(shortDate('2026-01-02T03:04:05.678Z')).toBe('2026-01-02 03:04:05');
    expect(shortDate(null)).toBeUndefined();
  });
});
