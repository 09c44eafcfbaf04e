import { decodedMappings, TraceMap } from '@jridgewell/trace-mapping';
import { describe, expect, it } from 'vitest';
import { shiftGeneratedColumns } from './shift-mappings';

const decode = (mappings: string) =>
  decodedMappings(new TraceMap({ version: 3, sources: ['a.js'], names: ['n'], mappings }));

describe('shiftGeneratedColumns', () => {
  // Line 0: columns 0, 5 (named), 37; line 1: columns 2, 3.
  const mappings = 'AAAA,KAAKA,gCAAE;EACA,CAAC';

  it('moves columns at or after fromColumn on one line only, keeping the other fields', () => {
    const shifted = shiftGeneratedColumns(mappings, 0, 5, 1000);
    const [line0, line1] = decode(shifted);
    expect(line0).toEqual([
      [0, 0, 0, 0],
      [1005, 0, 0, 5, 0],
      [1037, 0, 0, 7],
    ]);
    expect(line1).toEqual(decode(mappings)[1]);
  });

  it('shifts a later line, and leaves the string alone when there is nothing to move', () => {
    expect(decode(shiftGeneratedColumns(mappings, 1, 3, 7))[1]).toEqual([
      [2, 0, 1, 7],
      [10, 0, 1, 8],
    ]);
    expect(shiftGeneratedColumns(mappings, 5, 0, 7)).toBe(mappings);
    expect(shiftGeneratedColumns(';;', 1, 0, 7)).toBe(';;');
    expect(shiftGeneratedColumns(mappings, 0, 38, 7)).toBe(mappings);
  });

  it('copes with segments out of column order', () => {
    // Columns 10 then 2 (a negative delta), as some tools write them.
    const unsorted = 'UAAA,RAAC';
    const columns = (text: string) => {
      const out: number[] = [];
      let column = 0;
      for (const segment of text.split(',')) {
        const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
        const value = digits.indexOf(segment[0]!);
        column += value & 1 ? -(value >> 1) : value >> 1;
        out.push(column);
      }
      return out;
    };
    expect(columns(unsorted)).toEqual([10, 2]);
    expect(columns(shiftGeneratedColumns(unsorted, 0, 5, 3))).toEqual([13, 2]);
  });

  it('throws on malformed VLQ', () => {
    expect(() => shiftGeneratedColumns('!AAA', 0, 0, 1)).toThrow(/invalid VLQ/);
  });
});
