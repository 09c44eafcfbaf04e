import { describe, expect, it } from 'vitest';
import { ContainerError, decodeContainer } from '../../src/symbolication/container';
import {
  ZSTD_CONTAINER_BASE64,
  ZSTD_CONTAINER_CHUNK_ID,
  ZSTD_CONTAINER_MAP,
  ZSTD_CONTAINER_MINIFIED,
} from './fixtures/zstd-container';
import { encodeContainer, sourceAndMapPayload } from './helpers/container';

const MINIFIED = 'function a(){throw new Error("x")}a();\n//# chunkId=abc';
const MAP = '{"version":3,"sources":["in.ts"],"names":[],"mappings":"AAAA"}';

/** The decoded parts (views of the payload) as text. */
function text(decoded: ReturnType<typeof decodeContainer>) {
  return {
    minifiedSource: decoded.minifiedSource.toString('utf8'),
    sourceMap: decoded.sourceMap.toString('utf8'),
  };
}

describe('decodeContainer', () => {
  it.each([
    ['v1', { version: 1 }],
    ['v2, uncompressed', { version: 2, compression: 0 }],
    ['v2, zstd (stored blocks)', { version: 2, compression: 1 }],
  ] as const)('decodes %s', (_name, options) => {
    expect(text(decodeContainer(encodeContainer(MINIFIED, MAP, options)))).toEqual({
      minifiedSource: MINIFIED,
      sourceMap: MAP,
    });
  });

  it('decodes the v2 header bytes PostHog documents', () => {
    const bytes = encodeContainer(MINIFIED, MAP);
    expect(bytes.subarray(0, 31).toString('hex')).toBe(
      '706f7374686f675f6572726f725f747261636b696e67' + '02000000' + '02000000' + '00',
    );
  });

  it('decodes real zstd-compressed payloads made by the zstd CLI', () => {
    const decoded = text(decodeContainer(Buffer.from(ZSTD_CONTAINER_BASE64, 'base64')));
    expect(decoded.minifiedSource).toBe(ZSTD_CONTAINER_MINIFIED);
    expect(decoded.sourceMap).toBe(ZSTD_CONTAINER_MAP);
    expect(decoded.minifiedSource.endsWith(`//# chunkId=${ZSTD_CONTAINER_CHUNK_ID}`)).toBe(true);
  });

  it('decodes multi-byte UTF-8 and payloads larger than one zstd block', () => {
    const big = `// ünïcødé ✓\n${'x'.repeat(300_000)}`;
    expect(text(decodeContainer(encodeContainer(big, MAP, { compression: 1 }))).minifiedSource).toBe(big);
  });

  const header = (version: number, type: number) => {
    const fields = Buffer.alloc(8);
    fields.writeUInt32LE(version, 0);
    fields.writeUInt32LE(type, 4);
    return Buffer.concat([Buffer.from('posthog_error_tracking'), fields]);
  };
  const payload = sourceAndMapPayload(MINIFIED, MAP);

  it.each([
    ['bad magic', Buffer.from('not a container at all, clearly'), /bad magic/],
    ['too short', Buffer.from('posthog_error'), /bad magic/],
    ['unknown version', Buffer.concat([header(3, 2), Buffer.from([0]), payload]), /version 3/],
    ['another data type', Buffer.concat([header(2, 3), Buffer.from([0]), payload]), /HermesMap/],
    ['unknown data type', Buffer.concat([header(1, 9), payload]), /data type 9/],
    ['unknown compression', Buffer.concat([header(2, 2), Buffer.from([7]), payload]), /compression 7/],
    ['missing compression byte', header(2, 2), /compression byte/],
    ['truncated payload', Buffer.concat([header(1, 2), payload.subarray(0, 20)]), /truncated/],
    ['trailing bytes', Buffer.concat([header(1, 2), payload, Buffer.from('!!')]), /2 unexpected trailing/],
    [
      'corrupt zstd',
      Buffer.concat([header(2, 2), Buffer.from([1]), Buffer.from('garbage!')]),
      /invalid zstd/,
    ],
  ])('rejects %s with a ContainerError', (_name, bytes, message) => {
    expect(() => decodeContainer(bytes)).toThrow(ContainerError);
    expect(() => decodeContainer(bytes)).toThrow(message);
  });
});
