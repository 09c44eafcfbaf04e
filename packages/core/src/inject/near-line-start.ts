/** How far back a line start is looked for first: the comment lines at a chunk's end are short. */
const NEAR = 1024;

/**
 * Where the line that ends at `end` starts, when that is within 1024 characters; -1 when the line is
 * longer. Searching back for a line break from the end of a minified chunk would pass over its whole
 * (single) line, so callers decide about long lines another way.
 */
export function nearLineStart(code: string, end: number): number {
  const from = Math.max(0, end - NEAR);
  const newline = code.slice(from, end).lastIndexOf('\n');
  if (newline >= 0) return from + newline + 1;
  return from === 0 ? 0 : -1;
}
