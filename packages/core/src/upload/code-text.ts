// The code whose injection the event hash undoes, as the few reads the hash makes of it: a string,
// or ASCII code's bytes read in place (AsciiCode), whose indices are the string's (one byte, one
// character). Decoding each uploaded chunk into a string took 15–20% of the hash's time over
// webpack's unminified chunks (7–11% once searching bytes is paid for), and a string as large as
// the chunk: 20 MiB more peak memory for the 10× benchmark app's entry (docs/benchmarks.md).

import { isAscii } from 'node:buffer';

/** What the hash reads of the code; a string is one. */
export interface CodeText {
  readonly length: number;
  indexOf(search: string, from?: number): number;
  lastIndexOf(search: string, from?: number): number;
  slice(start?: number, end?: number): string;
  charCodeAt(index: number): number;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** ASCII bytes behind CodeText, with the string methods' semantics (negative and large indices). */
export class AsciiCode implements CodeText {
  private readonly bytes: Buffer;

  constructor(bytes: Uint8Array) {
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  indexOf(search: string, from = 0): number {
    // A buffer counts a negative start from the end, a string from 0.
    const at = Math.min(Math.max(0, Math.trunc(from) || 0), this.length);
    // One character (a line break, once per line): no pattern test.
    if (search.length === 1) {
      const char = search.charCodeAt(0);
      return char > 0x7f ? -1 : this.bytes.indexOf(char, at);
    }
    // latin1 would turn a character above U+00FF into its low byte, which could match: such text is
    // never in ASCII code.
    if (NON_ASCII.test(search)) return -1;
    return search.length === 0 ? at : this.bytes.indexOf(search, at, 'latin1');
  }

  lastIndexOf(search: string, from = Number.POSITIVE_INFINITY): number {
    if (NON_ASCII.test(search)) return -1;
    const at = Math.min(Math.max(0, Number.isNaN(from) ? this.length : Math.trunc(from)), this.length);
    if (search.length === 0) return at;
    return search.length === 1
      ? this.bytes.lastIndexOf(search.charCodeAt(0), at)
      : this.bytes.lastIndexOf(search, at, 'latin1');
  }

  slice(start = 0, end = this.length): string {
    const clamp = (index: number) => {
      const whole = Math.trunc(index) || 0;
      return whole < 0 ? Math.max(0, this.length + whole) : Math.min(whole, this.length);
    };
    const from = clamp(start);
    const to = clamp(end);
    return to > from ? this.bytes.toString('latin1', from, to) : '';
  }

  charCodeAt(index: number): number {
    const at = Math.trunc(index) || 0;
    return at >= 0 && at < this.length ? this.bytes[at]! : Number.NaN;
  }

  /** The whole code as a string, for what needs one (a snippet a minifier rewrote). */
  toString(): string {
    return this.bytes.toString('latin1');
  }
}

/** The code of UTF-8 bytes: read in place when they are ASCII, else decoded. */
export function codeTextOf(bytes: Uint8Array): CodeText {
  if (isAscii(bytes)) return new AsciiCode(bytes);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

const SURROGATE = /[\uD800-\uDFFF]/;
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/**
 * Code points in `text`, as its iterator counts them (a surrogate pair is one, a lone surrogate one):
 * its length less its surrogate pairs, found by native searches. A minified chunk's line is the whole
 * chunk, and stepping through it a code point at a time cost a build's upload tens of milliseconds.
 */
export function codePoints(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  return text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);
}

/** Code points in the code's ranges taken as one text (a surrogate pair split by a removal joins up). */
export function codePointsIn(code: CodeText, ranges: ReadonlyArray<[number, number]>): number {
  if (typeof code !== 'string')
    return ranges.reduce((sum, [start, end]) => sum + Math.max(0, end - start), 0);
  return codePoints(ranges.map(([start, end]) => code.slice(start, end)).join(''));
}

/** UTF-8 bytes of the code's characters `start` to `end` (none when `end` is not past `start`). */
export function utf8BytesIn(code: CodeText, start: number, end: number): number {
  return typeof code === 'string' ? Buffer.byteLength(code.slice(start, end)) : Math.max(0, end - start);
}
