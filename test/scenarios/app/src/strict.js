export function strictTotal(values) {
  let total = 0;
  for (const value of values) {
    if (typeof value !== 'number') throw new TypeError('hogmaps-boom-strict');
    total += value;
  }
  return total;
}
