const UNITS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const PART = /(\d+(?:\.\d+)?)(ms|d|h|m|s)/g;

/**
 * `"1h30m"` → 5400000. Throws on anything it cannot read.
 * @param {string} text
 */
export function parseDuration(text) {
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(PART)) {
    if (match.index !== consumed) break;
    total += Number(match[1]) * UNITS[match[2]];
    consumed += match[0].length;
  }
  if (consumed === 0 || consumed !== text.length) {
    throw new SyntaxError(`Cannot parse duration "${text}" at offset ${consumed}`);
  }
  return total;
}
