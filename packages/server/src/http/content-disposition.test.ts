import { expect, test } from 'vitest';
import { parseContentDisposition } from './content-disposition';

test.each([
  ['form-data; name="file"; filename="chunk.js"', 'form-data', { name: 'file', filename: 'chunk.js' }],
  ["attachment; filename='chunk'", 'attachment', { filename: 'chunk' }],
  ['attachment; filename=plain.map', 'attachment', { filename: 'plain.map' }],
  ['form-data; name="a\\"b;c"; filename=""', 'form-data', { name: 'a"b;c', filename: '' }],
  [
    'attachment; filename*=UTF-8\'\'na%C3%AFve.js; filename="naive.js"',
    'attachment',
    { filename: 'naïve.js' },
  ],
  ['Form-Data; NAME=x', 'form-data', { name: 'x' }],
])('%s', (header, type, params) => {
  const parsed = parseContentDisposition(header);
  expect(parsed.type).toBe(type);
  expect(Object.fromEntries(parsed.params)).toEqual(params);
});
