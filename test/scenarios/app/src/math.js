/** Parses "a/b" into a number. */
export function parseRatio(text) {
  const [top, bottom] = String(text).split('/').map(Number);
  if (!bottom) {
    throw new Error('hogmaps-boom-math');
  }
  return top / bottom;
}
