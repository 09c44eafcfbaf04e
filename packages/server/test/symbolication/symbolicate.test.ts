import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SymbolicatedFrame } from '../../src/symbolication/resolve-frame';
import { type StoredSymbolSet, SymbolSetCache } from '../../src/symbolication/symbol-set-cache';
import { createSymbolicator } from '../../src/symbolication/symbolicate';
import {
  ZSTD_CONTAINER_BASE64,
  ZSTD_CONTAINER_CHUNK_ID,
  ZSTD_CONTAINER_MAP,
  ZSTD_CONTAINER_MINIFIED,
} from './fixtures/zstd-container';
import { APP_DIR, type AppBundle, buildAppBundle } from './helpers/bundle';
import { encodeContainer } from './helpers/container';
import { runCheckoutInVm, type SdkFrame } from './helpers/v8-frames';
import { encodeMappings } from './helpers/vlq';

const SCRIPT_URL = 'https://shop.example/assets/app-4f3a.js';
const checkoutLines = readFileSync(path.join(APP_DIR, 'checkout.ts'), 'utf8').split('\n');

let bundle: AppBundle;
let frames: SdkFrame[];

beforeAll(async () => {
  bundle = await buildAppBundle('vm-entry.js');
  // Real V8 frames, crash site last, with chunk ids found through the injected snippet.
  frames = runCheckoutInVm(bundle.code, SCRIPT_URL, -5).filter((frame) => frame.filename === SCRIPT_URL);
});

/** A stored set whose fingerprint is fixed by the caller; `reads` counts disk reads. */
function stored(bytes: () => Buffer | undefined, fingerprint = 'f1') {
  const set = {
    fingerprint,
    reads: 0,
    read() {
      set.reads += 1;
      return bytes();
    },
  };
  return set;
}

const symbolicate = (input: unknown[], bytes: () => Buffer | undefined = () => bundle.container()) =>
  createSymbolicator().symbolicateFrames(1, input, () => stored(bytes));

type Lines = number[][][];

/** A container of minified `code` and a map with these segments; sources a.js (with content) and b.js. */
function tinySet(code: string, lines: Lines) {
  const mappings = encodeMappings(lines);
  const map = {
    version: 3,
    sources: ['a.js', 'b.js'],
    sourcesContent: ['A0\nA1\nA2', null],
    names: [],
    mappings,
  };
  return encodeContainer(code, JSON.stringify(map));
}

const webFrame = (patch: Record<string, unknown>) => ({
  platform: 'web:javascript',
  filename: SCRIPT_URL,
  function: 'x',
  in_app: true,
  chunk_id: 'c1',
  ...patch,
});

describe('symbolication like cymbal, on a real esbuild bundle', () => {
  it('gets chunk ids onto the frames through the snippet', () => {
    expect(frames.length).toBeGreaterThanOrEqual(3);
    for (const frame of frames) expect(frame.chunk_id).toBe(bundle.chunkId);
  });

  it('resolves the crash site to 0-based original line and column, as PostHog stores them, with context', () => {
    const top = symbolicate(frames).at(-1) as SymbolicatedFrame;
    const line = bundle.throwLine - 1;
    expect(top).toMatchObject({
      ...frames.at(-1),
      resolved: true,
      resolve_failure: null,
      mangled_name: frames.at(-1)?.function,
      source: '../checkout.ts',
      line,
      column: (checkoutLines[line] as string).indexOf('new Error'),
      resolved_name: 'submitOrder',
      in_app: true,
      lang: 'javascript',
    });
    const numbered = (from: number, to: number) =>
      checkoutLines.slice(from, to).map((text, i) => ({ number: from + i, line: text }));
    expect(top.context).toEqual({
      before: numbered(Math.max(0, line - 6), line),
      line: { number: line, line: checkoutLines[line] },
      after: numbered(line + 1, line + 6),
    });
  });

  it('names every frame after its enclosing scope in the minified code, through the map', () => {
    const names = symbolicate(frames).map((frame) => frame.resolved_name);
    // vm-entry.js: `globalThis.runCheckout = (totalCents) => checkoutAll(…)`; checkoutAll's
    // `orders.map((order) => submitOrder(order))` is an anonymous arrow.
    expect(names).toEqual(['globalThis.runCheckout', 'checkoutAll', '<anonymous>', 'submitOrder']);
  });

  it.each([
    ['v1', { version: 1 }],
    ['v2 uncompressed', { version: 2, compression: 0 }],
    ['v2 zstd', { version: 2, compression: 1 }],
  ] as const)('resolves the same from a %s container', (_name, options) => {
    expect(symbolicate(frames, () => bundle.container(options))).toEqual(symbolicate(frames));
  });

  it('accepts the chunkId alias and node:javascript frames', () => {
    const { chunk_id, ...rest } = frames.at(-1) as SdkFrame;
    const [result] = symbolicate([{ ...rest, platform: 'node:javascript', chunkId: chunk_id }]);
    expect(result).toMatchObject({
      resolved: true,
      line: bundle.throwLine - 1,
      resolved_name: 'submitOrder',
    });
  });

  it('looks each chunk up once per call, and reads and parses it once while its fingerprint holds', () => {
    const symbolicator = createSymbolicator();
    const set = stored(() => bundle.container());
    const finds: string[] = [];
    const find = (projectId: number, chunkId: string) => {
      finds.push(`${projectId}/${chunkId}`);
      return set;
    };
    symbolicator.symbolicateFrames(7, frames, find);
    symbolicator.symbolicateFrames(7, frames, find);
    expect(finds).toEqual([`7/${bundle.chunkId}`, `7/${bundle.chunkId}`]);
    expect(set.reads).toBe(1);
  });

  it('reads and parses again when the set under a chunk id changes (a forced re-upload)', async () => {
    const other = await buildAppBundle('browser-entry.js', bundle.chunkId);
    const symbolicator = createSymbolicator();
    const first = symbolicator.symbolicateFrames(1, frames, () => stored(() => bundle.container(), 'one'));
    const second = symbolicator.symbolicateFrames(1, frames, () => stored(() => other.container(), 'two'));
    expect(first.at(-1)?.source).toBe('../checkout.ts');
    expect(second.at(-1)).not.toEqual(first.at(-1));
  });
});

describe('the lookup: (lineno - 1, colno) with the column as sent', () => {
  // `a();b();` with two segments: column 0 → a.js line 0, column 4 → a.js line 2.
  const twoSegments = () =>
    tinySet('a();b();', [
      [
        [0, 0, 0, 0],
        [4, 0, 2, 0],
      ],
    ]);

  it('takes the segment that starts at colno, one to the right of the 1-based column', () => {
    const [atBoundary, before] = symbolicate(
      [webFrame({ lineno: 1, colno: 4 }), webFrame({ lineno: 1, colno: 3 })],
      twoSegments,
    );
    expect(atBoundary).toMatchObject({ resolved: true, source: 'a.js', line: 2, column: 0 });
    expect(before).toMatchObject({ resolved: true, source: 'a.js', line: 0, column: 0 });
  });

  it('a segment without an original position resolves nothing, even after a mapped one', () => {
    const [result] = symbolicate([webFrame({ lineno: 1, colno: 4, function: 'go' })], () =>
      tinySet('a();b();', [[[0, 0, 0, 0], [4]]]),
    );
    expect(result).toMatchObject({
      resolved: false,
      resolve_failure: 'Token not found for frame: go:1:4',
      line: 1,
      column: 4,
      resolved_name: null,
      source: '/assets/app-4f3a.js',
    });
  });

  it('looks only on the frame’s own line, and a line that starts as the last one ended counts as unmapped', () => {
    // Line 2's only segment repeats line 1's: symbolic keeps the first of equal neighbours.
    const [repeated, other] = symbolicate(
      [webFrame({ lineno: 2, colno: 1 }), webFrame({ lineno: 3, colno: 1 })],
      () => tinySet('a\nb\nc', [[[0, 0, 0, 0]], [[0, 0, 0, 0]], [[0, 0, 2, 0]]]),
    );
    expect(repeated?.resolve_failure).toBe('Token not found for frame: x:2:1');
    expect(other).toMatchObject({ resolved: true, line: 2 });
  });

  it('context has up to six lines before, five after, numbered from 0; missing sources have none', () => {
    const [inA, inB] = symbolicate(
      [webFrame({ lineno: 1, colno: 1 }), webFrame({ lineno: 1, colno: 5 })],
      () =>
        tinySet('a();b();', [
          [
            [0, 0, 0, 0],
            [4, 1, 0, 0],
          ],
        ]),
    );
    expect(inA?.context).toEqual({
      before: [],
      line: { number: 0, line: 'A0' },
      after: [
        { number: 1, line: 'A1' },
        { number: 2, line: 'A2' },
      ],
    });
    expect(inB).toMatchObject({ source: 'b.js', line: 0 });
    expect(inB?.context).toBeUndefined();
  });
});

describe('names from scope analysis of the minified source', () => {
  // A hand-written "minified" file: t is the original `track`, s `save`, o `Order`.
  const code = [
    'function t(e){throw e}',
    'const s=()=>t(1);',
    'class o{m(){t(2)}get v(){t(3)}}',
    '[1].forEach(function(){t(4)});',
    'x.y.z=function(){t(5)};',
  ].join('\n');
  // The renamed identifiers map to their original names; each call `t(n)` has its own segment.
  const names = ['track', 'save', 'Order'];
  const lines: Lines = [
    [
      [0, 0, 0, 0],
      [9, 0, 0, 9, 0],
      [14, 0, 1, 2],
    ],
    [
      [0, 0, 3, 0],
      [6, 0, 3, 6, 1],
      [12, 0, 3, 12],
    ],
    [
      [0, 0, 5, 0],
      [6, 0, 5, 6, 2],
      [12, 0, 6, 4],
      [25, 0, 7, 4],
    ],
    [
      [0, 0, 9, 0],
      [23, 0, 9, 4],
    ],
    [
      [0, 0, 11, 0],
      [17, 0, 11, 4],
    ],
  ];

  it('a function declaration, a binding, class members, an anonymous callback, a member assignment', () => {
    const map = { version: 3, sources: ['src.ts'], names, mappings: encodeMappings(lines) };
    const set = () => encodeContainer(code, JSON.stringify(map));
    const at = (lineno: number, needle: string) =>
      webFrame({ lineno, colno: (code.split('\n')[lineno - 1] as string).indexOf(needle) + 1 });
    const result = symbolicate(
      [at(1, 'throw'), at(2, 't(1)'), at(3, 't(2)'), at(3, 't(3)'), at(4, 't(4)'), at(5, 't(5)')],
      set,
    );
    expect(result.map((frame) => frame.resolved_name)).toEqual([
      'track',
      'save',
      'Order.m',
      'get Order.v',
      '<anonymous>',
      'x.y.z',
    ]);
  });
});

describe('frames cymbal counts as resolved without a lookup, and failures', () => {
  it('a frame without a location is resolved as it is (probably not minified)', () => {
    const [result] = symbolicate([webFrame({ function: 'Array.map', lineno: undefined, colno: undefined })]);
    expect(result).toMatchObject({
      resolved: true,
      resolve_failure: null,
      resolved_name: 'Array.map',
      line: null,
      source: '/assets/app-4f3a.js',
    });
  });

  it('no chunk id and no URL: resolved as it is, saying why', () => {
    const [result] = symbolicate([
      webFrame({ chunk_id: undefined, filename: 'app.js', lineno: 3, colno: 9 }),
    ]);
    expect(result).toMatchObject({
      resolved: true,
      resolve_failure: 'This frame had no source url or chunk id',
      resolved_name: 'x',
      line: 3,
      column: 9,
    });
  });

  it('a URL but no chunk id: never fetched; taken as minified when its column is past 300', () => {
    const [short, long] = symbolicate([
      webFrame({ chunk_id: undefined, lineno: 1, colno: 12 }),
      webFrame({ chunk_id: undefined, lineno: 1, colno: 4000 }),
    ]);
    expect(short).toMatchObject({ resolved: true, resolved_name: 'x' });
    expect(long).toMatchObject({ resolved: false, resolved_name: null });
    expect(long?.resolve_failure).toMatch(
      /^Could not find sourcemap for source url: https:\/\/shop\.example\/assets\/app-4f3a\.js /,
    );
  });

  it('a node frame without a chunk id passes through with its own context (pre_context in reading order, as posthog-node sends it)', () => {
    const frame = {
      platform: 'node:javascript',
      filename: '/srv/app.js',
      function: 'handler',
      lineno: 10,
      colno: 5,
      context_line: 'boom()',
      pre_context: ['a', 'b'],
      post_context: ['c'],
    };
    const [result] = symbolicate([frame]);
    expect(result).toMatchObject({
      resolved: true,
      source: '/srv/app.js',
      line: 10,
      column: null,
      resolved_name: 'handler',
    });
    expect(result?.context).toEqual({
      before: [
        { number: 8, line: 'a' },
        { number: 9, line: 'b' },
      ],
      line: { number: 10, line: 'boom()' },
      after: [{ number: 11, line: 'c' }],
    });
  });

  it('a chunk id without an uploaded set', () => {
    const frame = frames.at(-1) as SdkFrame;
    const [result] = createSymbolicator().symbolicateFrames(1, [frame], () => undefined);
    expect(result).toMatchObject({
      resolved: false,
      resolve_failure: `No sourcemap uploaded for chunk id: ${bundle.chunkId}`,
      line: frame.lineno,
      column: frame.colno,
    });
  });

  it.each([
    ['a malformed container', Buffer.from('garbage'), /^JSDataError: not a posthog_error_tracking container/],
    [
      'a map that is not JSON',
      encodeContainer('a()', '{nope'),
      /^Invalid source map: holds a source map that is not JSON/,
    ],
    [
      'a JSON value that is no map',
      encodeContainer('a()', '[1,2]'),
      /^Invalid source map: holds no source map/,
    ],
    [
      'an object without mappings',
      encodeContainer('a()', '{"version":3}'),
      /holds no source map \(no "mappings"\)/,
    ],
  ])('reports %s', (_name, bytes, failure) => {
    const [result] = symbolicate([frames.at(-1)], () => bytes);
    expect(result?.resolved).toBe(false);
    expect(result?.resolve_failure).toMatch(failure);
  });

  it('reports a store that fails', () => {
    const [result] = createSymbolicator().symbolicateFrames(1, [frames.at(-1)], () => {
      throw new Error('blob missing on disk');
    });
    expect(result?.resolve_failure).toMatch(/could not read the symbol set .*blob missing on disk/);
  });

  it('explains another platform and a frame that is not an object', () => {
    const [python, text] = symbolicate([{ platform: 'python', function: 'f' }, 'at foo']);
    expect(python).toMatchObject({
      resolved: false,
      resolve_failure: 'platform "python" is not symbolicated by this server',
    });
    expect(text).toMatchObject({ resolved: false, resolve_failure: 'frame is not an object' });
  });
});

describe('other inputs', () => {
  it('resolves through a real zstd-compressed container', () => {
    const lines = ZSTD_CONTAINER_MINIFIED.split('\n');
    const lineIndex = lines.findIndex((line) => line.includes('throw new Error'));
    const frame = webFrame({
      lineno: lineIndex + 1,
      colno: (lines[lineIndex] as string).indexOf('new Error') + 1,
      chunk_id: ZSTD_CONTAINER_CHUNK_ID,
    });
    const [result] = symbolicate([frame], () => Buffer.from(ZSTD_CONTAINER_BASE64, 'base64'));
    expect(result).toMatchObject({ resolved: true, source: '../checkout.ts', line: bundle.throwLine - 1 });
  });

  it('marks node_modules sources as not in app and resolves index maps', () => {
    const map = {
      version: 3,
      sections: [
        {
          offset: { line: 0, column: 0 },
          map: { version: 3, sources: ['../node_modules/lib/index.js'], names: [], mappings: 'AAAA' },
        },
      ],
    };
    const [result] = symbolicate([webFrame({ lineno: 1, colno: 1 })], () =>
      encodeContainer('lib();', JSON.stringify(map)),
    );
    expect(result).toMatchObject({
      source: '../node_modules/lib/index.js',
      line: 0,
      column: 0,
      in_app: false,
      resolved_name: null,
    });
    expect(result?.context).toBeUndefined();
  });
});

describe('SymbolSetCache', () => {
  const container = (n: number) =>
    encodeContainer(
      `f${n}()`,
      JSON.stringify({ version: 3, sources: ['a.js'], names: [], mappings: 'AAAA' }),
    );
  const storedSet = (n: number): StoredSymbolSet => ({ fingerprint: `f${n}`, read: () => container(n) });

  it('keeps at most maxEntries parsed sets, dropping the least recently used', () => {
    const cache = new SymbolSetCache({ maxEntries: 2 });
    cache.get(1, 'a', storedSet(1));
    cache.get(1, 'b', storedSet(2));
    cache.get(1, 'a', storedSet(1)); // a is now the most recent
    cache.get(1, 'c', storedSet(3));
    expect(cache.keys()).toEqual(['1\u0000a', '1\u0000c']);
  });

  it('counts decompressed bytes, not the size of the (compressed) container', () => {
    const cache = new SymbolSetCache();
    const bytes = Buffer.from(ZSTD_CONTAINER_BASE64, 'base64');
    cache.get(1, 'z', { fingerprint: 'z', read: () => bytes });
    const decompressed = Buffer.byteLength(ZSTD_CONTAINER_MINIFIED) + Buffer.byteLength(ZSTD_CONTAINER_MAP);
    expect(cache.bytes).toBe(decompressed);
    expect(decompressed).toBeGreaterThan(bytes.length);
  });

  it('does not keep a set larger than maxBytes, and drops older ones to fit a new one', () => {
    const cache = new SymbolSetCache({ maxBytes: 100 });
    expect(cache.get(1, 'a', storedSet(1)).ok).toBe(true);
    cache.get(1, 'b', storedSet(2));
    expect(cache.keys()).toEqual(['1\u0000b']);
    const big = encodeContainer('x'.repeat(200), '{"version":3,"sources":[],"names":[],"mappings":""}');
    expect(cache.get(1, 'big', { fingerprint: 'big', read: () => big }).ok).toBe(true);
    expect(cache.keys()).toEqual(['1\u0000b']);
  });
});
