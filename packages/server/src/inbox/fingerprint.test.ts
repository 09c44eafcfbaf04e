import { describe, expect, it } from 'vitest';
import type { SymbolicatedFrame } from '../symbolication/resolve-frame';
import { computeFingerprint, normalizeMessage, normalizeSource } from './fingerprint';

/** A frame as posthog-js sends it for a minified chunk. */
const SHIPPED = {
  platform: 'web:javascript',
  filename: 'http://127.0.0.1:5173/assets/checkout-DNeXpiJ_.js',
  function: 't',
  lineno: 1,
  colno: 463,
  chunk_id: 'chunk-a',
  in_app: true,
  mangled_name: 't',
  lang: 'javascript',
};

/** A frame the server mapped (0-based original line and column, as PostHog's cymbal gives them). */
function resolvedFrame(overrides: Partial<SymbolicatedFrame> = {}): SymbolicatedFrame {
  return {
    ...SHIPPED,
    resolved: true,
    resolve_failure: null,
    source: '../src/features/cart/pricing.ts',
    line: 15,
    column: 12,
    resolved_name: 'priceCart',
    context: { before: [], line: { number: 15, line: '      throw new RangeError(`…`);' }, after: [] },
    ...overrides,
  } as SymbolicatedFrame;
}

function shippedFrame(overrides: Record<string, unknown> = {}): SymbolicatedFrame {
  return {
    ...SHIPPED,
    resolved: false,
    resolve_failure: 'No sourcemap uploaded for chunk id: chunk-a',
    resolved_name: null,
    source: null,
    line: 1,
    column: 463,
    ...overrides,
  } as SymbolicatedFrame;
}

const none = (_chunkId: string) => false;
const fingerprint = (frames: SymbolicatedFrame[], value = 'boom', type = 'Error', missing = none) =>
  computeFingerprint({ type, value, frames }, missing);

describe('normalizeMessage', () => {
  it('replaces numbers, UUIDs, hex ids and e-mail addresses, keeping quoted names', () => {
    expect(normalizeMessage('Cart cart-1042: quantity of TEE-07 must be positive, got -1')).toBe(
      'Cart cart-<n>: quantity of TEE-<n> must be positive, got -<n>',
    );
    expect(normalizeMessage('user 0190a0a0-1234-7abc-8def-0123456789ab (a.b+c@example.com) failed')).toBe(
      'user <uuid> (<email>) failed',
    );
    expect(normalizeMessage('object 5f3e9a1bc0d4 not found after 2.5 s')).toBe(
      'object <hex> not found after <n> s',
    );
    expect(normalizeMessage("Cannot read properties of undefined (reading 'id')")).not.toBe(
      normalizeMessage("Cannot read properties of undefined (reading 'name')"),
    );
    expect(normalizeMessage('  many\n\tspaces  ')).toBe('many spaces');
    expect(normalizeMessage(undefined)).toBe('');
    expect(normalizeMessage(42)).toBe('<n>');
  });
});

describe('normalizeSource', () => {
  it('drops bundler schemes, relative prefixes and queries', () => {
    expect(normalizeSource('webpack://@acme/worker/./src/jobs.ts')).toBe('src/jobs.ts');
    expect(normalizeSource('../../src/x.ts?v=3')).toBe('src/x.ts');
    expect(normalizeSource('src/x.ts')).toBe('src/x.ts');
  });
});

describe('computeFingerprint', () => {
  it('is stable across builds: minified names, positions, file names and ports do not matter', () => {
    const a = fingerprint([resolvedFrame()], 'Cart cart-1: quantity of A must be positive, got -1');
    const b = fingerprint(
      [
        resolvedFrame({
          filename: 'http://localhost:4000/assets/checkout-Zz9.js',
          function: 'q',
          colno: 900,
          line: 40,
          column: 3,
          chunk_id: 'chunk-b',
        }),
      ],
      'Cart cart-2: quantity of A must be positive, got -7',
    );
    expect(a.id).toMatch(/^[0-9a-f]{32}$/);
    expect(b.id).toBe(a.id);
    expect(a.frame).toEqual({
      name: 'priceCart',
      file: 'src/features/cart/pricing.ts',
      line: 16,
      resolved: true,
    });
    expect(a.pendingChunk).toBeNull();
  });

  it('separates a different type, message or top in-app frame', () => {
    const base = fingerprint([resolvedFrame()]).id;
    expect(fingerprint([resolvedFrame()], 'boom', 'TypeError').id).not.toBe(base);
    expect(fingerprint([resolvedFrame()], 'other').id).not.toBe(base);
    expect(fingerprint([resolvedFrame({ resolved_name: 'submitOrder' })]).id).not.toBe(base);
    expect(fingerprint([resolvedFrame({ source: '../src/other.ts' })]).id).not.toBe(base);
  });

  it('skips library frames: the top in-app frame is the one nearest the crash outside node_modules', () => {
    const library = resolvedFrame({
      source: '../node_modules/lib/index.js',
      resolved_name: 'assert',
      in_app: false,
    });
    const withLibrary = fingerprint([resolvedFrame(), library]);
    expect(withLibrary.frame?.name).toBe('priceCart');
    expect(withLibrary.id).toBe(fingerprint([resolvedFrame()]).id);
  });

  it('identifies an anonymous function by its source line, not its line number', () => {
    const anon = (line: number, text: string) =>
      resolvedFrame({
        resolved_name: 'HTMLButtonElement.<anonymous>',
        line,
        context: { before: [], line: { number: line, line: text }, after: [] },
      });
    expect(fingerprint([anon(30, '  submitOrder(cart);')]).id).toBe(
      fingerprint([anon(34, 'submitOrder(cart);')]).id,
    );
    expect(fingerprint([anon(30, 'submitOrder(cart);')]).id).not.toBe(
      fingerprint([anon(30, 'pay(cart);')]).id,
    );
  });

  it('uses a frame whose symbol set is missing as shipped and says which chunk it waits for', () => {
    const missing = (chunkId: string) => chunkId === 'chunk-a';
    const before = fingerprint(
      [resolvedFrame({ resolved_name: 'caller' }), shippedFrame()],
      'boom',
      'Error',
      missing,
    );
    expect(before.pendingChunk).toBe('chunk-a');
    expect(before.frame).toEqual({
      name: 't',
      file: '/assets/checkout-DNeXpiJ_.js',
      line: 1,
      resolved: false,
    });
    // Once the set is there the frame resolves and the grouping is the final one.
    const after = fingerprint([resolvedFrame({ resolved_name: 'caller' }), resolvedFrame()]);
    expect(after.pendingChunk).toBeNull();
    expect(after.id).not.toBe(before.id);
  });

  it('falls back to the shipped frame for frames that will never resolve, skipping ones the SDK marked not in-app', () => {
    const noChunk = shippedFrame({
      chunk_id: undefined,
      function: 'onClick',
      resolve_failure: 'frame has no chunk_id',
    });
    const outside = shippedFrame({ chunk_id: undefined, function: 'ext', in_app: false });
    const result = fingerprint([noChunk, outside]);
    expect(result.frame).toMatchObject({ name: 'onClick', resolved: false });
    expect(result.pendingChunk).toBeNull();
  });

  it('does not take a frame the symbolicator judged not minified (kept as sent) for a mapped one', () => {
    const asSent = shippedFrame({
      chunk_id: undefined,
      function: 'handler',
      resolved: true,
      resolve_failure: null,
      resolved_name: 'handler',
      source: '/assets/checkout-DNeXpiJ_.js',
    });
    expect(fingerprint([asSent]).frame).toEqual({
      name: 'handler',
      file: '/assets/checkout-DNeXpiJ_.js',
      line: 1,
      resolved: false,
    });
  });

  it('groups by type and message alone without frames, and honours $exception_fingerprint', () => {
    expect(fingerprint([], 'Order 1 failed').id).toBe(fingerprint([], 'Order 2 failed').id);
    expect(fingerprint([]).frame).toBeNull();
    const custom = (value: string, frames: SymbolicatedFrame[]) =>
      computeFingerprint({ type: 'Error', value, frames, custom: 'checkout-failures' }, none).id;
    expect(custom('a', [resolvedFrame()])).toBe(custom('b', []));
    expect(custom('a', [])).not.toBe(fingerprint([], 'a').id);
  });
});
