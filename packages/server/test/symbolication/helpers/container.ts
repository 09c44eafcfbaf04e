/** Test-side encoder of `posthog_error_tracking` containers (posthog-protocol.md 3.2). */
export interface ContainerOptions {
  version?: 1 | 2;
  /** v2 only: 0 = none, 1 = zstd. @default 0 */
  compression?: 0 | 1;
  /** Overrides the type field (2 = SourceAndMap). */
  type?: number;
}

const MAGIC = Buffer.from('posthog_error_tracking', 'ascii');

export function encodeContainer(minified: string, map: string, options: ContainerOptions = {}): Buffer {
  const version = options.version ?? 2;
  const compression = options.compression ?? 0;
  const header = Buffer.alloc(8);
  header.writeUInt32LE(version, 0);
  header.writeUInt32LE(options.type ?? 2, 4);
  let payload = sourceAndMapPayload(minified, map);
  if (version === 1) return Buffer.concat([MAGIC, header, payload]);
  if (compression === 1) payload = zstdStoredFrame(payload);
  return Buffer.concat([MAGIC, header, Buffer.from([compression]), payload]);
}

export function sourceAndMapPayload(minified: string, map: string): Buffer {
  const parts: Buffer[] = [];
  for (const text of [minified, map]) {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(bytes.length));
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}

/**
 * A valid zstd frame made of raw (stored) blocks, written from the format spec (RFC 8878), because
 * Node 20 has no zstd compressor. Real compressed blocks are covered by a fixture made with the
 * zstd CLI (zstd-fixture.ts).
 */
export function zstdStoredFrame(data: Buffer): Buffer {
  const header = Buffer.alloc(4 + 1 + 8);
  header.writeUInt32LE(0xfd2fb528, 0);
  header[4] = 0b1110_0000; // 8-byte frame content size, single segment, no checksum, no dictionary
  header.writeBigUInt64LE(BigInt(data.length), 5);
  const blocks: Buffer[] = [header];
  const maxBlock = 128 * 1024;
  let offset = 0;
  do {
    const size = Math.min(maxBlock, data.length - offset);
    const last = offset + size >= data.length ? 1 : 0;
    const blockHeader = Buffer.alloc(3);
    blockHeader.writeUIntLE((size << 3) | last, 0, 3); // block type 0 = raw
    blocks.push(blockHeader, data.subarray(offset, offset + size));
    offset += size;
  } while (offset < data.length);
  return Buffer.concat(blocks);
}
