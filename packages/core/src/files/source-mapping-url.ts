const JS_REFERENCE = /^\/\/[#@] sourceMappingURL=/;
const JS_COMMENT = /^\/\/[#@]\s*sourceMappingURL=/;
const CSS_COMMENT = /^\/\*[#@]\s*sourceMappingURL=.*\*\/$/;
const SINGLE_LINE_COMMENT = /^(?:\/\/.*|\/\*.*\*\/)$/;

/**
 * The map reference of a JS file as PostHog's CLI reads it: scanning lines bottom-up, the first
 * (trimmed) line starting with `//# sourceMappingURL=` or `//@ sourceMappingURL=`. Returns the raw
 * value, not yet percent-decoded.
 */
export function findSourceMappingUrl(code: string): string | undefined {
  if (!code.includes('sourceMappingURL=')) return undefined;
  let end = code.length;
  while (end > 0) {
    const start = code.lastIndexOf('\n', end - 1) + 1;
    const line = code.slice(start, end).trim();
    if (JS_REFERENCE.test(line)) return line.slice(line.indexOf('=') + 1).trim();
    end = start - 1;
  }
  return undefined;
}

/**
 * Removes the trailing `sourceMappingURL` comments of a JS (`//# …`, `//@ …`) or CSS (`/*# … *\/`) file,
 * for `deleteAfterUpload`: once the map is gone the comment would make browsers request a 404. Only
 * the tail is touched (blank lines and single-line comments such as `//# chunkId=` are stepped over),
 * so text inside the code is never altered. Returns the input unchanged when there is nothing to strip.
 */
export function stripSourceMappingUrl(code: string): string {
  if (!code.includes('sourceMappingURL=')) return code;
  const lines = code.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const kept: string[] = [];
  let index = lines.length - 1;
  let removed = false;
  for (; index >= 0; index--) {
    const line = lines[index]!.trim();
    if (JS_COMMENT.test(line) || CSS_COMMENT.test(line)) {
      removed = true;
      continue;
    }
    if (line !== '' && !SINGLE_LINE_COMMENT.test(line)) break;
    kept.push(lines[index]!);
  }
  if (!removed) return code;
  return lines.slice(0, index + 1).join('') + kept.reverse().join('');
}
