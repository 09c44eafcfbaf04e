/** How far back a line start is looked for first: the comment lines at a chunk's end are short. */
const NEAR = 1024;

/**
 * Where the line that ends at `end` starts. Searching back for a line break from the end of a
 * minified chunk would pass over its whole (single) line, so a line longer than 1024 characters is
 * searched only when `worthSearching` (asked once per such line) says the answer can matter: else -1.
 */
export function lineStartBefore(
  code: string,
  end: number,
  worthSearching: () => boolean = () => true,
): number {
  const from = Math.max(0, end - NEAR);
  const newline = code.slice(from, end).lastIndexOf('\n');
  if (newline >= 0) return from + newline + 1;
  if (from === 0) return 0;
  return worthSearching() ? code.lastIndexOf('\n', end - 1) + 1 : -1;
}
