import { lineStartBefore } from '../inject/line-start';

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
  // Lines from the end, each with its line break; what comes before the tail is never split up.
  const kept: string[] = [];
  let end = code.length;
  let removed = false;
  while (end > 0) {
    const lineEnd = code[end - 1] === '\n' ? end - 1 : end;
    const start = lineStartBefore(code, lineEnd);
    const raw = code.slice(start, end);
    const line = raw.trim();
    if (JS_COMMENT.test(line) || CSS_COMMENT.test(line)) removed = true;
    else if (line === '' || SINGLE_LINE_COMMENT.test(line)) kept.push(raw);
    else break;
    end = start;
  }
  if (!removed) return code;
  return code.slice(0, end) + kept.reverse().join('');
}
