import { describe, expect, it } from 'vitest';
import { chunkIdForFile } from './chunk-ids';

const ids = new Map([
  ['main.js', 'id-main'],
  ['assets/index-abc.js', 'id-index'],
  ['legacy/assets/index-abc.js', 'id-legacy'],
  ['chunks/only-here.mjs', 'id-only'],
]);

describe('chunkIdForFile', () => {
  it('matches the longest relative path a URL or path ends with', () => {
    expect(chunkIdForFile('https://shop.example/assets/index-abc.js', ids)).toBe('id-index');
    expect(chunkIdForFile('https://shop.example/legacy/assets/index-abc.js?v=1#x', ids)).toBe('id-legacy');
    expect(chunkIdForFile('file:///srv/app/dist/main.js', ids)).toBe('id-main');
    expect(chunkIdForFile('/srv/app/dist/main.js', ids)).toBe('id-main');
    expect(chunkIdForFile('C:\\app\\dist\\main.js', ids)).toBe('id-main');
  });

  it('falls back to a unique file name, and gives up when it is ambiguous or unknown', () => {
    expect(chunkIdForFile('https://cdn.example/v2/only-here.mjs', ids)).toBe('id-only');
    expect(chunkIdForFile('https://cdn.example/index-abc.js', ids)).toBeUndefined();
    expect(chunkIdForFile('https://cdn.example/unknown.js', ids)).toBeUndefined();
    expect(chunkIdForFile('node:internal/modules/run_main', ids)).toBeUndefined();
  });
});
