// Checks JSON bytes without building the value: a 250 MiB source map parsed with JSON.parse costs
// gigabytes (UTF-16 strings for every source), a scan costs nothing beyond the bytes themselves.

/** One member of the top-level object: its key and where its value lies in the bytes. */
export interface JsonMember {
  key: string;
  /** First byte of the value (the opening quote, bracket or brace, or the first digit). */
  start: number;
  /** One past its last byte. */
  end: number;
  kind: 'string' | 'array' | 'object' | 'number' | 'literal';
}

export interface JsonObjectScan {
  members: JsonMember[];
  /** Where the top-level object's closing brace is. */
  close: number;
}

/** Deeper nesting than any source map has: refused rather than recursed into. */
const MAX_DEPTH = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The bytes that may follow a backslash besides `u`: `"`, `\\`, `/`, `b`, `f`, `n`, `r`, `t`. */
const ESCAPED = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPED[c.charCodeAt(0)] = 1;

/** Non-zero when some byte of the word is below 0x20 (the "has less than" bit trick; exact for "any"). */
const below20 = (word: number) => (word - 0x20202020) & ~word;

/**
 * Positions of bytes below 0x20 (sorted). Sixteen bytes at a time (four words tested together: maps
 * have hardly any, so nearly every block is one test), then a flagged block byte by byte.
 */
function controlBytes(bytes: Uint8Array): Int32Array {
  let found = new Int32Array(16);
  let count = 0;
  const add = (at: number) => {
    if (count === found.length) {
      const grown = new Int32Array(count * 2);
      grown.set(found);
      found = grown;
    }
    found[count++] = at;
  };
  const length = bytes.length;
  const head = Math.min(length, (4 - (bytes.byteOffset & 3)) & 3);
  for (let at = 0; at < head; at++) if (bytes[at]! < 0x20) add(at);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + head, (length - head) >>> 2);
  const blocks = words.length & ~3;
  // The long loop in a function of its own, which returns right after it: V8 compiles a long loop
  // while it runs (on-stack replacement), and code after the loop, never run before, deoptimized
  // that compiled loop on each of the next calls (seen in webpack's upload).
  flagBlocks(bytes, words, head, blocks, add);
  for (let at = head + blocks * 4; at < length; at++) if (bytes[at]! < 0x20) add(at);
  return found.subarray(0, count);
}

function flagBlocks(
  bytes: Uint8Array,
  words: Uint32Array,
  head: number,
  blocks: number,
  add: (at: number) => void,
): void {
  for (let index = 0; index < blocks; index += 4) {
    const flagged =
      below20(words[index]!) |
      below20(words[index + 1]!) |
      below20(words[index + 2]!) |
      below20(words[index + 3]!);
    if ((flagged & 0x80808080) !== 0) {
      const at = head + index * 4;
      for (let k = 0; k < 16; k++) if (bytes[at + k]! < 0x20) add(at + k);
    }
  }
}

class Scanner {
  at = 0;
  /** Control bytes in the input (only blanks between tokens belong there) and the next one to pass. */
  private readonly controls: Int32Array;
  private control = 0;
  /** The next quote and backslash at or after where strings were last searched; -1: none left. */
  private quote = -2;
  private backslash = -2;
  constructor(private readonly bytes: Uint8Array) {
    this.controls = controlBytes(bytes);
  }

  fail(what: string): never {
    throw new SyntaxError(`${what} at byte ${this.at}`);
  }

  space(): void {
    const { bytes } = this;
    for (let c = bytes[this.at]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = bytes[this.at])
      this.at++;
  }

  expect(byte: number, what: string): void {
    this.space();
    if (this.bytes[this.at] !== byte) this.fail(`expected ${what}`);
    this.at++;
  }

  /**
   * Scans a string starting at its opening quote; returns whether it holds an escape. Maps are
   * mostly long strings (mappings, sourcesContent): the closing quote and any backslash are found
   * with native searches, control bytes from the list made up front, so no loop visits each byte.
   */
  string(): boolean {
    const { bytes, controls } = this;
    let escaped = false;
    let at = this.at + 1;
    for (;;) {
      if (this.quote !== -1 && this.quote < at) this.quote = bytes.indexOf(QUOTE, at);
      if (this.backslash !== -1 && this.backslash < at) this.backslash = bytes.indexOf(BACKSLASH, at);
      const quote = this.quote;
      const backslash = this.backslash;
      const stop = Math.min(quote < 0 ? bytes.length : quote, backslash < 0 ? bytes.length : backslash);
      while (this.control < controls.length && controls[this.control]! < at) this.control++;
      if (this.control < controls.length && controls[this.control]! < stop) {
        this.at = controls[this.control]!;
        this.fail('control character in a string');
      }
      this.at = stop;
      if (stop === bytes.length) this.fail('unterminated string');
      if (stop === quote) break;
      escaped = true;
      const next = bytes[++this.at];
      if (next === 0x75) {
        for (let k = 1; k <= 4; k++) if (!isHex(bytes[this.at + k])) this.fail('bad \\u escape');
        this.at += 4;
      } else if (next === undefined || ESCAPED[next] !== 1) {
        this.fail('bad escape');
      }
      at = this.at + 1;
    }
    this.at++;
    return escaped;
  }

  number(): void {
    const { bytes } = this;
    const digits = () => {
      const from = this.at;
      while (isDigit(bytes[this.at])) this.at++;
      if (this.at === from) this.fail('expected a digit');
    };
    if (bytes[this.at] === 0x2d) this.at++;
    if (bytes[this.at] === 0x30) this.at++;
    else digits();
    if (bytes[this.at] === 0x2e) {
      this.at++;
      digits();
    }
    if (bytes[this.at] === 0x65 || bytes[this.at] === 0x45) {
      this.at++;
      if (bytes[this.at] === 0x2b || bytes[this.at] === 0x2d) this.at++;
      digits();
    }
  }

  value(depth: number): JsonMember['kind'] {
    this.space();
    const c = this.bytes[this.at];
    if (c === QUOTE) {
      this.string();
      return 'string';
    }
    if (c === 0x7b || c === 0x5b) {
      if (depth >= MAX_DEPTH) this.fail('nested too deeply');
      this.container(c === 0x7b, depth + 1);
      return c === 0x7b ? 'object' : 'array';
    }
    if (c === 0x2d || isDigit(c)) {
      this.number();
      return 'number';
    }
    for (const word of ['true', 'false', 'null']) {
      if (matches(this.bytes, this.at, word)) {
        this.at += word.length;
        return 'literal';
      }
    }
    return this.fail(c === undefined ? 'unexpected end' : 'unexpected character');
  }

  /** An object or array from its opening byte; members of the top level (depth 1) are recorded. */
  container(object: boolean, depth: number, members?: JsonMember[]): void {
    const close = object ? 0x7d : 0x5d;
    this.at++;
    this.space();
    if (this.bytes[this.at] === close) {
      this.at++;
      return;
    }
    for (;;) {
      let key: string | undefined;
      if (object) {
        this.space();
        if (this.bytes[this.at] !== QUOTE) this.fail('expected a key');
        const from = this.at;
        this.string();
        if (members) key = JSON.parse(Buffer.from(this.bytes.subarray(from, this.at)).toString('utf8'));
        this.expect(0x3a, "':'");
      }
      this.space();
      const start = this.at;
      const kind = this.value(depth);
      if (members && key !== undefined) members.push({ key, start, end: this.at, kind });
      this.space();
      const c = this.bytes[this.at];
      if (c === 0x2c) {
        this.at++;
        continue;
      }
      if (c !== close) this.fail(`expected ',' or '${String.fromCharCode(close)}'`);
      this.at++;
      return;
    }
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && (isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

function matches(bytes: Uint8Array, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (bytes[at + k] !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * Checks that `bytes` hold exactly one JSON object, as JSON.parse would accept it (UTF-8 aside: check
 * that with `isUtf8`), and returns its top-level members. Throws a SyntaxError saying what is wrong
 * and where, also for a value that is not an object.
 */
export function scanJsonObject(bytes: Uint8Array): JsonObjectScan {
  const scanner = new Scanner(bytes);
  scanner.space();
  if (bytes[scanner.at] !== 0x7b) scanner.fail('expected a JSON object');
  const members: JsonMember[] = [];
  scanner.container(true, 1, members);
  const close = scanner.at - 1;
  scanner.space();
  if (scanner.at !== bytes.length) scanner.fail('unexpected data after the object');
  return { members, close };
}

const scanned = new WeakMap<Uint8Array, JsonObjectScan>();

/**
 * scanJsonObject, remembered per byte array: in event mode a map is checked when its pair is loaded
 * and scanned again to be hashed, and the second scan (a pass over every byte) is this lookup. The
 * bytes must not change after the first scan (core never writes into a loaded pair).
 */
export function scanJsonObjectOnce(bytes: Uint8Array): JsonObjectScan {
  let scan = scanned.get(bytes);
  if (scan === undefined) {
    scan = scanJsonObject(bytes);
    scanned.set(bytes, scan);
  }
  return scan;
}

/** A string member's text, when it has no escapes (a `mappings` value always qualifies). */
export function plainStringValue(bytes: Uint8Array, member: JsonMember): string | undefined {
  if (member.kind !== 'string') return undefined;
  const inner = bytes.subarray(member.start + 1, member.end - 1);
  if (inner.includes(BACKSLASH)) return undefined;
  return Buffer.from(inner.buffer, inner.byteOffset, inner.byteLength).toString('utf8');
}

/** The last member named `key` (JSON.parse keeps the last of duplicate keys). */
export function memberOf(scan: JsonObjectScan, key: string): JsonMember | undefined {
  for (let index = scan.members.length - 1; index >= 0; index--) {
    if (scan.members[index]!.key === key) return scan.members[index];
  }
  return undefined;
}
