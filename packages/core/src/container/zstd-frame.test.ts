import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { frameContentSize, withContentSize } from './zstd-frame';

const require = createRequire(import.meta.url);
const { Encoder, Decoder } = require('@toondepauw/node-zstd') as typeof import('@toondepauw/node-zstd');
const fzstd = require('fzstd') as typeof import('fzstd');

describe('withContentSize', () => {
  const data = Buffer.from('a source map, a source map, a source map '.repeat(5000));

  it('adds Frame_Content_Size to a streaming frame; two decoders read it back', () => {
    const frame = new Encoder(3).encodeSync(data);
    expect(frameContentSize(frame)).toBeUndefined();
    const pledged = Buffer.concat(withContentSize(frame, data.length));
    expect(pledged.length).toBe(frame.length + 4);
    expect(frameContentSize(pledged)).toBe(data.length);
    expect(new Decoder().decodeSync(pledged).equals(data)).toBe(true);
    expect(Buffer.from(fzstd.decompress(pledged)).equals(data)).toBe(true);
  });

  it('a wrong pledge is caught by the decoder, so the size really is checked', () => {
    const frame = new Encoder(3).encodeSync(data);
    const lying = Buffer.concat(withContentSize(frame, data.length - 1));
    expect(() => new Decoder().decodeSync(lying)).toThrow();
  });

  it('handles empty input and leaves non-frames and two frames alone', () => {
    const empty = new Encoder(3).encodeSync(Buffer.alloc(0));
    const pledged = Buffer.concat(withContentSize(empty, 0));
    expect(frameContentSize(pledged)).toBe(0);
    expect(new Decoder().decodeSync(pledged).length).toBe(0);
    const junk = Buffer.from('not zstd at all');
    expect(withContentSize(junk, 3)).toEqual([junk]);
    const two = Buffer.concat([new Encoder(3).encodeSync(data), new Encoder(3).encodeSync(data)]);
    expect(withContentSize(two, data.length * 2)).toEqual([two]);
  });
});
