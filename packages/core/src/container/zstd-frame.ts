/**
 * Zstandard frame-header surgery (RFC 8878, section 3.1.1). PostHog's CLI pledges the source size,
 * so its frames carry Frame_Content_Size and readers can size their output buffer up front.
 * Streaming encoders (such as @toondepauw/node-zstd) leave the field out; we add it back to the
 * header without touching the compressed blocks.
 */

const MAGIC = 0xfd2fb528;
const DICT_ID_BYTES = [0, 1, 2, 4] as const;
const FCS_BYTES = [0, 2, 4, 8] as const;

interface FrameLayout {
  descriptor: number;
  /** Offset of the first byte after the frame header, where Frame_Content_Size goes. */
  headerEnd: number;
  hasContentSize: boolean;
}

function readLayout(frame: Uint8Array): FrameLayout | undefined {
  if (frame.length < 6) return undefined;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint32(0, true) !== MAGIC) return undefined;
  const descriptor = frame[4]!;
  if (descriptor & 0x08) return undefined; // reserved bit must be zero
  const singleSegment = (descriptor >> 5) & 1;
  const fcsFlag = descriptor >> 6;
  const fcsBytes = fcsFlag === 0 ? singleSegment : FCS_BYTES[fcsFlag]!;
  const headerEnd = 5 + (singleSegment ? 0 : 1) + DICT_ID_BYTES[descriptor & 3]!;
  return { descriptor, headerEnd: headerEnd + fcsBytes, hasContentSize: fcsBytes > 0 };
}

/** The end offset of the frame's blocks (and checksum), or undefined when they do not parse. */
function frameEnd(frame: Uint8Array, layout: FrameLayout): number | undefined {
  let pos = layout.headerEnd;
  for (;;) {
    if (pos + 3 > frame.length) return undefined;
    const header = frame[pos]! | (frame[pos + 1]! << 8) | (frame[pos + 2]! << 16);
    const type = (header >> 1) & 3;
    if (type === 3) return undefined; // reserved block type
    pos += 3 + (type === 1 ? 1 : header >>> 3); // an RLE block stores one byte
    if (header & 1) break;
  }
  if (layout.descriptor & 0x04) pos += 4; // content checksum
  return pos <= frame.length ? pos : undefined;
}

/** The frame's declared decompressed size, or undefined when the header has none. */
export function frameContentSize(frame: Uint8Array): number | undefined {
  const layout = readLayout(frame);
  if (!layout?.hasContentSize) return undefined;
  const fcsFlag = layout.descriptor >> 6;
  const size = fcsFlag === 0 ? 1 : FCS_BYTES[fcsFlag]!;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const at = layout.headerEnd - size;
  if (size === 1) return frame[at]!;
  if (size === 2) return view.getUint16(at, true) + 256;
  if (size === 4) return view.getUint32(at, true);
  return Number(view.getBigUint64(at, true));
}

/**
 * The frame as parts to concatenate, with a 4- or 8-byte Frame_Content_Size added when the header
 * lacks one. Returns the frame unchanged when it already has a size or is not exactly one frame
 * (we only rewrite what we fully understand).
 */
export function withContentSize(frame: Uint8Array, contentSize: number): Uint8Array[] {
  const layout = readLayout(frame);
  if (!layout || layout.hasContentSize || frameEnd(frame, layout) !== frame.length) return [frame];
  const wide = contentSize > 0xffffffff;
  const fcs = new Uint8Array(wide ? 8 : 4);
  const view = new DataView(fcs.buffer);
  if (wide) view.setBigUint64(0, BigInt(contentSize), true);
  else view.setUint32(0, contentSize, true);
  const head = frame.slice(0, layout.headerEnd);
  head[4] = layout.descriptor | ((wide ? 3 : 2) << 6);
  return [head, fcs, frame.subarray(layout.headerEnd)];
}
