/**
 * A file name built from a value that came from outside (a symbol set's `ref` from a server, an id
 * read from a file): letters, digits, `.`, `_` and `-` only, never starting with a dot, at most 128
 * characters, so it can never name a path, a parent folder or a hidden file. `fallback` when nothing
 * is left.
 */
export function toSafeFileName(value: string, fallback: string): string {
  const cleaned = value
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 128);
  return cleaned || fallback;
}
