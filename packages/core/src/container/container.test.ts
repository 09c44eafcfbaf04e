import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeSymbolSet } from './decode';
import { encodeSymbolSet, encodeSymbolSetAsync, encodeSymbolSetParts } from './encode';
import { zstdAvailable, zstdDecompressorName } from './zstd';
import { frameContentSize } from './zstd-frame';

const minified = '!function(){console.log("héllo ✓")}();\n//# chunkId=0190aaaa-0000-7000-8000-000000000001\n';
const map = JSON.stringify({ version: 3, sources: ['a.ts'], names: [], mappings: 'AAAA', chunk_id: 'x' });

describe('symbol-set container', () => {
  it('writes the v2 / SourceAndMap / uncompressed header of the protocol', () => {
    const bytes = encodeSymbolSet({ minified, map }, { compression: 'none' });
    expect(bytes.subarray(0, 31).toString('hex')).toBe(
      '706f7374686f675f6572726f725f747261636b696e67' + '02000000' + '02000000' + '00',
    );
    expect(bytes.readBigUInt64LE(31)).toBe(BigInt(Buffer.byteLength(minified)));
    expect(bytes.length).toBe(31 + 16 + Buffer.byteLength(minified) + Buffer.byteLength(map));
  });

  it('writes the v1 header without a compression byte', () => {
    const bytes = encodeSymbolSet({ minified, map }, { version: 1 });
    expect(bytes.subarray(0, 30).toString('hex')).toBe(
      '706f7374686f675f6572726f725f747261636b696e67' + '01000000' + '02000000',
    );
    expect(bytes.readBigUInt64LE(30)).toBe(BigInt(Buffer.byteLength(minified)));
  });

  it.each([
    [1, 'none'],
    [2, 'none'],
    [2, 'zstd'],
    [2, 'auto'],
  ] as const)('round-trips v%i with compression %s', (version, compression) => {
    const bytes = encodeSymbolSet({ minified, map }, { version, compression });
    const decoded = decodeSymbolSet(bytes);
    expect(decoded).toEqual({
      version,
      type: 2,
      compression: compression === 'none' || (version as number) === 1 ? 0 : 1,
      minified,
      map,
    });
  });

  it('accepts bytes as well as strings, and a Uint8Array view', () => {
    const bytes = encodeSymbolSet({ minified: Buffer.from(minified), map: new TextEncoder().encode(map) });
    const view = new Uint8Array(bytes.length + 4);
    view.set(bytes, 2);
    expect(decodeSymbolSet(view.subarray(2, 2 + bytes.length))).toMatchObject({ minified, map });
  });

  it('compresses with zstd at level 3 and pledges the content size in the frame header', () => {
    // Node >= 22.15 (and >= 23.8) has zstd in zlib, which wins; before that the prebuilt node-zstd
    // compresses and fzstd decompresses (node-zstd's decodeSync leaks its output).
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    const zlibZstd = major >= 24 || (major === 23 && minor >= 8) || (major === 22 && minor >= 15);
    expect(zstdAvailable()).toBe(zlibZstd ? 'node:zlib' : '@toondepauw/node-zstd');
    expect(zstdDecompressorName()).toBe(zlibZstd ? 'node:zlib' : 'fzstd');
    const big = map.repeat(2000);
    const bytes = encodeSymbolSet({ minified, map: big });
    expect(bytes[30]).toBe(1);
    expect(bytes.length).toBeLessThan(big.length / 10);
    expect(frameContentSize(bytes.subarray(31))).toBe(16 + Buffer.byteLength(minified) + big.length);
    expect(decodeSymbolSet(bytes).map).toBe(big);
  });

  it('packs the same bytes sync, async and as parts', async () => {
    for (const compression of ['none', 'zstd'] as const) {
      const input = { minified, map: map.repeat(300) };
      const bytes = encodeSymbolSet(input, { compression });
      expect((await encodeSymbolSetAsync(input, { compression })).equals(bytes)).toBe(true);
      const parts = await encodeSymbolSetParts(input, { compression });
      // Uncompressed, the container itself; with zstd, its header and the frame's parts, unjoined.
      if (compression === 'none') expect(parts).toHaveLength(1);
      else expect(parts.length).toBeGreaterThan(1);
      expect(Buffer.concat(parts).equals(bytes)).toBe(true);
    }
    await expect(encodeSymbolSetAsync({ minified: Buffer.from([0xc3]), map })).rejects.toThrow(
      'not valid UTF-8',
    );
  });

  it('rejects v1 with zstd and unknown options', () => {
    expect(() => encodeSymbolSet({ minified, map }, { version: 1, compression: 'zstd' })).toThrow(
      /v1 cannot be compressed/,
    );
    // @ts-expect-error an invalid version
    expect(() => encodeSymbolSet({ minified, map }, { version: 3 })).toThrow(/expected 1 or 2, got 3/);
  });

  it('rejects input that is not UTF-8', () => {
    expect(() => encodeSymbolSet({ minified: Buffer.from([0xff, 0xfe]), map })).toThrow(
      'the minified code is not valid UTF-8',
    );
  });

  describe('decode errors', () => {
    const good = () => encodeSymbolSet({ minified, map }, { compression: 'none' });
    it.each([
      ['bad magic', (b: Buffer) => b.write('P', 0), /does not start with "posthog_error_tracking"/],
      ['unknown version', (b: Buffer) => b.writeUInt32LE(3, 22), /unknown container version 3/],
      [
        'known non-JS type',
        (b: Buffer) => b.writeUInt32LE(4, 26),
        /type 4 \(ProguardMapping\) is not a JavaScript/,
      ],
      ['unknown type', (b: Buffer) => b.writeUInt32LE(9, 26), /unknown symbol set type 9/],
      ['unknown compression', (b: Buffer) => b.writeUInt8(2, 30), /unknown compression 2/],
      ['oversized length', (b: Buffer) => b.writeBigUInt64LE(10n ** 9n, 31), /claims 1000000000 bytes/],
      ['zstd flag on raw bytes', (b: Buffer) => b.writeUInt8(1, 30), /zstd payload does not decompress/],
    ])('%s', (_name, corrupt, message) => {
      const bytes = good();
      corrupt(bytes);
      expect(() => decodeSymbolSet(bytes)).toThrow(message);
    });

    it('trailing bytes', () => {
      expect(() => decodeSymbolSet(Buffer.concat([good(), Buffer.from('xx')]))).toThrow(
        /2 unexpected bytes after the source map/,
      );
    });

    it('truncated payload and header', () => {
      const bytes = good();
      expect(() => decodeSymbolSet(bytes.subarray(0, bytes.length - 1))).toThrow(/claims \d+ bytes/);
      expect(() => decodeSymbolSet(bytes.subarray(0, 30))).toThrow(/header is truncated/);
      expect(() => decodeSymbolSet(bytes.subarray(0, 35))).toThrow(/before the length of the minified code/);
    });

    it('non-UTF-8 content', () => {
      const bytes = good();
      bytes[31 + 8] = 0xff;
      expect(() => decodeSymbolSet(bytes)).toThrowError(
        expect.objectContaining({
          code: 'invalid_symbol_set',
          message: expect.stringMatching(/minified code is not valid UTF-8/),
        }),
      );
    });
  });
});
