import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedFrame, SymbolicatedFrame } from '../../src/symbolication/resolve-frame';
import { SymbolSetCache } from '../../src/symbolication/symbol-set-cache';
import { createSymbolicator } from '../../src/symbolication/symbolicate';
import {
  ZSTD_CONTAINER_BASE64,
  ZSTD_CONTAINER_CHUNK_ID,
  ZSTD_CONTAINER_MINIFIED,
} from './fixtures/zstd-container';
import { APP_DIR, type AppBundle, buildAppBundle } from './helpers/bundle';
import { encodeContainer } from './helpers/container';
import { runCheckoutInVm, type SdkFrame } from './helpers/v8-frames';

const SCRIPT_URL = 'https://shop.example/assets/app-4f3a.js';
const checkoutLines = readFileSync(path.join(APP_DIR, 'checkout.ts'), 'utf8').split('\n');

let bundle: AppBundle;
let frames: SdkFrame[];

beforeAll(async () => {
  bundle = await buildAppBundle('vm-entry.js');
  // Real V8 frames, crash site last, with chunk ids found through the injected snippet.
  frames = runCheckoutInVm(bundle.code, SCRIPT_URL, -5).filter((frame) => frame.filename === SCRIPT_URL);
});

function resolved(frame: SymbolicatedFrame | undefined): ResolvedFrame {
  if (!frame?.resolved) throw new Error(`frame not resolved: ${JSON.stringify(frame)}`);
  return frame;
}

describe('symbolicateFrames on a real esbuild bundle', () => {
  it('gets chunk ids onto the frames through the snippet', () => {
    expect(frames.length).toBeGreaterThanOrEqual(3);
    for (const frame of frames) expect(frame.chunk_id).toBe(bundle.chunkId);
  });

  it('resolves the crash site to the original file, line and column of the throw, with context', () => {
    const result = createSymbolicator().symbolicateFrames(1, frames, () => bundle.container());
    const top = resolved(result.at(-1));
    const throwColumn = (checkoutLines[bundle.throwLine - 1] as string).indexOf('new Error') + 1;
    expect(top).toMatchObject({
      ...frames.at(-1),
      resolved: true,
      source: '../checkout.ts',
      line: bundle.throwLine,
      column: throwColumn,
      resolved_name: 'submitOrder',
      in_app: true,
    });
    expect(top.context).toEqual({
      pre: checkoutLines.slice(bundle.throwLine - 6, bundle.throwLine - 1),
      line: checkoutLines[bundle.throwLine - 1],
      post: checkoutLines.slice(bundle.throwLine, bundle.throwLine + 5),
    });
    expect(top.context?.line).toContain('throw new Error');
  });

  it('names caller frames after their enclosing function, not the callee at the call site', () => {
    const result = createSymbolicator().symbolicateFrames(1, frames, () => bundle.container());
    const names = result.map((frame) => resolved(frame).resolved_name);
    // runCheckout → checkoutAll → (arrow in map) → submitOrder; the anonymous arrow keeps "?".
    expect(names).toEqual(['runCheckout', 'checkoutAll', '?', 'submitOrder']);
    expect(resolved(result[1]).source).toBe('../checkout.ts');
    expect(resolved(result[0]).source).toBe('../vm-entry.js');
  });

  it.each([
    ['v1', { version: 1 }],
    ['v2 uncompressed', { version: 2, compression: 0 }],
    ['v2 zstd', { version: 2, compression: 1 }],
  ] as const)('resolves the same from a %s container', (_name, options) => {
    const expected = createSymbolicator().symbolicateFrames(1, frames, () => bundle.container());
    const actual = createSymbolicator().symbolicateFrames(1, frames, () => bundle.container(options));
    expect(actual).toEqual(expected);
  });

  it('accepts the chunkId alias and node:javascript frames', () => {
    const { chunk_id, ...rest } = frames.at(-1) as SdkFrame;
    const frame = { ...rest, platform: 'node:javascript', chunkId: chunk_id };
    const [result] = createSymbolicator().symbolicateFrames(1, [frame], () => bundle.container());
    expect(resolved(result).line).toBe(bundle.throwLine);
  });

  it('loads each chunk once per call and reuses the parsed map across calls', () => {
    const loads: string[] = [];
    const symbolicator = createSymbolicator();
    const load = (projectId: number, chunkId: string) => {
      loads.push(`${projectId}/${chunkId}`);
      return bundle.container();
    };
    symbolicator.symbolicateFrames(7, frames, load);
    symbolicator.symbolicateFrames(7, frames, load);
    expect(loads).toEqual([`7/${bundle.chunkId}`, `7/${bundle.chunkId}`]);
  });

  it('re-parses when the set under a chunk id changes (a forced re-upload)', async () => {
    const other = await buildAppBundle('browser-entry.js', bundle.chunkId);
    const symbolicator = createSymbolicator();
    let current = bundle.container();
    const first = symbolicator.symbolicateFrames(1, frames, () => current);
    current = other.container();
    const second = symbolicator.symbolicateFrames(1, frames, () => current);
    expect(resolved(first.at(-1)).source).toBe('../checkout.ts');
    expect(second.at(-1)).not.toEqual(first.at(-1));
  });
});

describe('symbolicateFrames failures', () => {
  const symbolicator = createSymbolicator();
  const frame = () => frames.at(-1) as SdkFrame;

  it('reports a chunk id with no uploaded set', () => {
    const [result] = symbolicator.symbolicateFrames(1, [frame()], () => undefined);
    expect(result).toEqual({
      ...frame(),
      resolved: false,
      resolve_failure: `no symbol set uploaded for chunk id ${bundle.chunkId} (none uploaded, or its upload was not finished)`,
    });
  });

  it.each([
    ['a malformed container', Buffer.from('garbage'), /malformed symbol set for chunk id .*bad magic/],
    ['a map that is not JSON', encodeContainer('a()', '{nope'), /source map that is not JSON/],
    ['a JSON value that is no map', encodeContainer('a()', '[1,2]'), /holds no source map/],
  ])('reports %s', (_name, bytes, failure) => {
    const [result] = createSymbolicator().symbolicateFrames(1, [frame()], () => bytes);
    expect(result?.resolved).toBe(false);
    expect(result?.resolve_failure).toMatch(failure);
  });

  it('reports a loader that throws', () => {
    const [result] = symbolicator.symbolicateFrames(1, [frame()], () => {
      throw new Error('blob missing on disk');
    });
    expect(result?.resolve_failure).toMatch(/could not read the symbol set .*blob missing on disk/);
  });

  it.each([
    ['no line and column', { lineno: undefined, colno: undefined }, 'frame has no line and column'],
    ['no chunk id', { chunk_id: undefined }, /no chunk_id/],
    [
      'another platform',
      { platform: 'python' },
      'platform "python" is not symbolicated (only JavaScript frames are)',
    ],
  ])('explains a frame with %s', (_name, patch, failure) => {
    const [result] = symbolicator.symbolicateFrames(1, [{ ...frame(), ...patch }], () => bundle.container());
    expect(result?.resolved).toBe(false);
    if (typeof failure === 'string') expect(result?.resolve_failure).toBe(failure);
    else expect(result?.resolve_failure).toMatch(failure);
  });

  it('explains a position with no mapping (the injected snippet line)', () => {
    const [result] = symbolicator.symbolicateFrames(1, [{ ...frame(), lineno: 1, colno: 30 }], () =>
      bundle.container(),
    );
    expect(result?.resolve_failure).toBe(
      `no mapping for 1:30 in the source map of chunk id ${bundle.chunkId}`,
    );
  });

  it('explains a frame that is not an object', () => {
    expect(symbolicator.symbolicateFrames(1, ['at foo'], () => undefined)).toEqual([
      { resolved: false, resolve_failure: 'frame is not an object' },
    ]);
  });
});

describe('symbolicateFrames on other inputs', () => {
  it('resolves through a real zstd-compressed container', () => {
    const lines = ZSTD_CONTAINER_MINIFIED.split('\n');
    const lineIndex = lines.findIndex((line) => line.includes('throw new Error'));
    const colno = (lines[lineIndex] as string).indexOf('new Error') + 1;
    const frame = {
      platform: 'web:javascript',
      lineno: lineIndex + 1,
      colno,
      chunk_id: ZSTD_CONTAINER_CHUNK_ID,
    };
    const [result] = createSymbolicator().symbolicateFrames(1, [frame], () =>
      Buffer.from(ZSTD_CONTAINER_BASE64, 'base64'),
    );
    expect(resolved(result)).toMatchObject({ source: '../checkout.ts', line: bundle.throwLine });
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
    const frame = { platform: 'javascript', lineno: 1, colno: 1, chunk_id: 'c1', function: 'x' };
    const [result] = createSymbolicator().symbolicateFrames(1, [frame], () =>
      encodeContainer('lib();', JSON.stringify(map)),
    );
    expect(resolved(result)).toMatchObject({
      source: '../node_modules/lib/index.js',
      line: 1,
      column: 1,
      in_app: false,
      resolved_name: 'x',
    });
    expect(resolved(result).context).toBeUndefined();
  });
});

describe('SymbolSetCache', () => {
  it('keeps at most maxEntries parsed sets, dropping the least recently used', () => {
    const cache = new SymbolSetCache({ maxEntries: 2 });
    const container = (n: number) =>
      encodeContainer(
        `f${n}()`,
        JSON.stringify({ version: 3, sources: ['a.js'], names: [], mappings: 'AAAA' }),
      );
    cache.get(1, 'a', container(1));
    cache.get(1, 'b', container(2));
    cache.get(1, 'a', container(1)); // a is now the most recent
    cache.get(1, 'c', container(3));
    expect(cache.size).toBe(2);
    expect(cache.keys()).toEqual(['1\u0000a', '1\u0000c']);
  });

  it('keeps the newest set even when it alone exceeds maxBytes', () => {
    const cache = new SymbolSetCache({ maxBytes: 10 });
    cache.get(1, 'a', encodeContainer('a()', '{}'));
    cache.get(1, 'b', encodeContainer('b()', '{}'));
    expect(cache.keys()).toEqual(['1\u0000b']);
  });
});
