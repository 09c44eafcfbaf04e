import { expect, test } from 'vitest';
import { parseUuid, randomToken, uuid7 } from './ids';

test('uuid7 ids are version 7 and sort in creation order, even within one millisecond', () => {
  const ids = Array.from({ length: 5000 }, () => uuid7(1_700_000_000_000));
  expect(
    ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)),
  ).toBe(true);
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
});

test('parseUuid accepts what Python UUID() accepts and normalises it', () => {
  const canonical = '0190a0a0-1234-7abc-8def-0123456789ab';
  for (const form of [
    canonical,
    canonical.toUpperCase(),
    canonical.replaceAll('-', ''),
    `{${canonical}}`,
    `urn:uuid:${canonical}`,
  ]) {
    expect(parseUuid(form), form).toBe(canonical);
  }
  for (const bad of ['', 'abc', `${canonical}0`, 'g190a0a0-1234-7abc-8def-0123456789ab']) {
    expect(parseUuid(bad), bad).toBeUndefined();
  }
});

test('tokens look like PostHog keys', () => {
  expect(randomToken('phx_')).toMatch(/^phx_[A-Za-z0-9_-]{43}$/);
  expect(randomToken('phx_')).not.toBe(randomToken('phx_'));
});
