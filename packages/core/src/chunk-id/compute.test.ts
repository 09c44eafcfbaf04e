import { describe, expect, it } from 'vitest';
import { isHogmapsError } from '../errors';
import { CHUNK_ID_NAMESPACE, computeChunkId } from './compute';
import { uuidV5 } from './uuid-v5';

describe('uuidV5', () => {
  it('matches the RFC 4122 vector for the DNS namespace', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com')
    expect(uuidV5(Buffer.from('www.example.com'), '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('rejects a namespace that is not a UUID', () => {
    expect(() => uuidV5(Buffer.from('x'), 'not-a-uuid')).toThrow(/Not a UUID/);
  });
});

describe('computeChunkId', () => {
  it("reproduces PostHog's golden vector (createStableChunkId)", () => {
    expect(CHUNK_ID_NAMESPACE).toBe('0e9b3c7a-5d1f-42a8-b6c4-e2d0f8a17593');
    expect(computeChunkId('code();\n')).toBe('58a7864c-f7b3-5a2e-ba91-18655350fd89');
    expect(computeChunkId(new TextEncoder().encode('code();\n'))).toBe(
      '58a7864c-f7b3-5a2e-ba91-18655350fd89',
    );
  });

  it('hashes strings as UTF-8, so text and its bytes give the same id', () => {
    const code = '\uFEFFconst s = "héllo 👋";\n';
    expect(computeChunkId(code)).toBe(computeChunkId(Buffer.from(code, 'utf8')));
  });

  it('hashes a string longer than its encoding buffer as its UTF-8 bytes, split characters included', () => {
    // 256 KiB buffer: surrogate pairs, 3-byte characters and a lone surrogate across its boundaries.
    const unit = `${'x'.repeat(262_141)}👋€\uD800${'é'.repeat(1000)}`;
    const code = unit.repeat(3);
    expect(computeChunkId(code)).toBe(computeChunkId(Buffer.from(code, 'utf8')));
    expect(computeChunkId(code, { releaseHashId: 'h' })).toBe(
      computeChunkId(Buffer.from(code, 'utf8'), { releaseHashId: 'h' }),
    );
  });

  it('is deterministic and content-sensitive', () => {
    expect(computeChunkId('a();')).toBe(computeChunkId('a();'));
    expect(computeChunkId('a();')).not.toBe(computeChunkId('a(); '));
    expect(computeChunkId('')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('symbol-set mode hashes code ‖ 0x00 ‖ hash_id', () => {
    const hashId = 'a'.repeat(128);
    // Python: uuid.uuid5(uuid.UUID(CHUNK_ID_NAMESPACE), 'code();\n\0' + 'a' * 128)
    expect(computeChunkId('code();\n', { releaseHashId: hashId })).toBe(
      '67e96a3f-1c9d-53b1-9741-84cfe55a51e5',
    );
    expect(computeChunkId('code();\n', { releaseHashId: hashId })).toBe(
      uuidV5(Buffer.from(`code();\n\0${hashId}`), CHUNK_ID_NAMESPACE),
    );
  });

  it('gives one chunk a different id in each release', () => {
    const event = computeChunkId('code();\n');
    const first = computeChunkId('code();\n', { releaseHashId: 'hash-1' });
    const second = computeChunkId('code();\n', { releaseHashId: 'hash-2' });
    expect(new Set([event, first, second]).size).toBe(3);
    expect(computeChunkId('code();\n', { releaseHashId: 'hash-1' })).toBe(first);
  });

  it('rejects an empty or NUL-containing releaseHashId', () => {
    for (const releaseHashId of ['', 'a\0b']) {
      let caught: unknown;
      try {
        computeChunkId('x', { releaseHashId });
      } catch (error) {
        caught = error;
      }
      expect(isHogmapsError(caught) && caught.code).toBe('invalid_release_hash_id');
    }
  });
});
