/**
 * The `posthog_error_tracking` symbol-set container (posthog-protocol.md section 3.2). All integers
 * are little-endian.
 *   v1: magic | u32 version=1 | u32 type | payload
 *   v2: magic | u32 version=2 | u32 type | u8 compression | payload (zstd-compressed when compression=1)
 *   SourceAndMap payload: u64 len | minified UTF-8 | u64 len | map UTF-8 (nothing after)
 */
export const SYMBOL_SET_MAGIC = 'posthog_error_tracking';
export const MAGIC_BYTES = Buffer.from(SYMBOL_SET_MAGIC, 'ascii');

export type SymbolSetVersion = 1 | 2;

export const SYMBOL_SET_TYPES = {
  SourceAndMap: 2,
  HermesMap: 3,
  ProguardMapping: 4,
  AppleDsym: 5,
  ElfDebugInfo: 6,
} as const;

export const COMPRESSION_NONE = 0;
export const COMPRESSION_ZSTD = 1;
export type SymbolSetCompression = typeof COMPRESSION_NONE | typeof COMPRESSION_ZSTD;

/** Header length: magic (22) + version (4) + type (4), plus the compression byte in v2. */
export function headerLength(version: SymbolSetVersion): number {
  return MAGIC_BYTES.length + 8 + (version === 2 ? 1 : 0);
}

export function writeHeader(
  target: Buffer,
  version: SymbolSetVersion,
  type: number,
  compression: SymbolSetCompression,
): number {
  let at = MAGIC_BYTES.copy(target, 0);
  at = target.writeUInt32LE(version, at);
  at = target.writeUInt32LE(type, at);
  if (version === 2) at = target.writeUInt8(compression, at);
  return at;
}

export function typeName(type: number): string | undefined {
  return Object.entries(SYMBOL_SET_TYPES).find(([, value]) => value === type)?.[0];
}
