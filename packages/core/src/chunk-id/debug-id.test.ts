import { describe, expect, it } from 'vitest';
import {
  findDebugId,
  isAdoptableDebugId,
  readDebugIdComment,
  readMapBytesDebugId,
  readMapDebugId,
} from './debug-id';

const ID = '85314830-023f-4cf1-a267-535f4e37bb17';
const OTHER = 'a5e0b5f6-7f0b-4b64-8a0e-0f5c3c0a9c11';

describe('readDebugIdComment (posthog-cli get_comment_value)', () => {
  it('reads the last line that starts with //# debugId=, through CRLF', () => {
    expect(readDebugIdComment(`f();\n//# debugId=${ID}\n//# sourceMappingURL=a.js.map\n`)).toBe(ID);
    expect(readDebugIdComment(`f();\r\n//# debugId=${ID}\r\n`)).toBe(ID);
    expect(readDebugIdComment(`//# debugId=${OTHER}\nf();\n//# debugId=${ID}`)).toBe(ID);
    expect(readDebugIdComment(`//# debugId=${ID}`)).toBe(ID);
  });

  it('reads a minified chunk (one long line) with the marker on any line, or none', () => {
    const line = `var a=${JSON.stringify('x'.repeat(200_000))};`;
    expect(readDebugIdComment(line)).toBeUndefined();
    expect(readDebugIdComment(`${line}var b="//# debugId=${ID}";`)).toBeUndefined();
    expect(readDebugIdComment(`${line}\n//# debugId=${ID}\n//# sourceMappingURL=a.js.map`)).toBe(ID);
    // posthog-cli reads the last such line wherever it is, not only in a trailing block.
    expect(readDebugIdComment(`//# debugId=${ID}\n${line}`)).toBe(ID);
  });

  it('needs the marker at the start of a line', () => {
    expect(readDebugIdComment(`f(); //# debugId=${ID}`)).toBeUndefined();
    expect(readDebugIdComment(` //# debugId=${ID}`)).toBeUndefined();
    expect(readDebugIdComment('f();')).toBeUndefined();
    expect(readDebugIdComment('')).toBeUndefined();
    // Leading and repeated line breaks end the scan too.
    expect(readDebugIdComment('\n')).toBeUndefined();
    expect(readDebugIdComment('\n\nf();\n')).toBeUndefined();
    expect(readDebugIdComment(`\n//# debugId=${ID}\n\n`)).toBe(ID);
  });
});

describe('readMapDebugId', () => {
  it('reads the debugId field, and nothing from other keys or broken JSON', () => {
    expect(readMapDebugId(JSON.stringify({ version: 3, mappings: '', debugId: ID }))).toBe(ID);
    expect(readMapDebugId(JSON.stringify({ version: 3, mappings: '', debug_id: ID }))).toBeUndefined();
    expect(readMapDebugId('{"debugId": ')).toBeUndefined();
    expect(readMapDebugId(undefined)).toBeUndefined();
  });
});

describe('readMapBytesDebugId', () => {
  const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
  it('scans the bytes for the field, and describes a value that is not a string', () => {
    expect(readMapBytesDebugId(bytes({ version: 3, mappings: '', debugId: ID }))).toBe(ID);
    expect(readMapBytesDebugId(bytes({ version: 3, mappings: '' }))).toBeUndefined();
    expect(readMapBytesDebugId(bytes({ debugId: { id: ID } }))).toBe('<a JSON object>');
    expect(readMapBytesDebugId(Buffer.from('{"debugId": '))).toBeUndefined();
    expect(readMapBytesDebugId(undefined)).toBeUndefined();
  });
});

describe('isAdoptableDebugId: UUIDs in the forms that are also valid chunk ids', () => {
  it.each([ID, ID.toUpperCase(), ID.replaceAll('-', '')])('accepts %s', (value) =>
    expect(isAdoptableDebugId(value)).toBe(true),
  );

  it.each([
    '',
    'not-a-uuid',
    `${ID}0`,
    `${ID} `,
    `${ID}\n//# chunkId=x`,
    ID.replace('8', 'g'),
    `"${ID}"`,
    '../../etc/passwd',
    // uuid::Uuid::parse_str reads these, but `{`, `}` and `:` cannot be in a chunk id.
    `{${ID}}`,
    `urn:uuid:${ID}`,
  ])('refuses %j', (value) => expect(isAdoptableDebugId(value)).toBe(false));

  it('refuses non-strings', () => {
    expect(isAdoptableDebugId(42)).toBe(false);
    expect(isAdoptableDebugId({ id: ID })).toBe(false);
  });
});

describe('findDebugId', () => {
  it("prefers the file's comment over the map's field, as posthog-cli does", () => {
    const map = JSON.stringify({ mappings: '', debugId: OTHER });
    expect(findDebugId(`f();\n//# debugId=${ID}`, () => map)).toEqual({ adopted: ID, refused: undefined });
    expect(findDebugId('f();', () => map)).toEqual({ adopted: OTHER, refused: undefined });
  });

  it('reads the map only when the code has no comment', () => {
    let reads = 0;
    findDebugId(`f();\n//# debugId=${ID}`, () => {
      reads += 1;
      return undefined;
    });
    expect(reads).toBe(0);
  });

  it('refuses a malformed id (then nothing is adopted, not even the map one), with a printable value', () => {
    const map = JSON.stringify({ mappings: '', debugId: OTHER });
    expect(findDebugId('f();\n//# debugId=oops"\u0007', () => map)).toEqual({
      adopted: undefined,
      refused: JSON.stringify('oops"\u0007'),
    });
    expect(findDebugId('f();', () => JSON.stringify({ debugId: 7 }))).toEqual({
      adopted: undefined,
      refused: '"7"',
    });
    expect(findDebugId('f();', () => undefined)).toEqual({ adopted: undefined, refused: undefined });
  });
});
