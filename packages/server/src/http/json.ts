/**
 * How deeply request JSON may nest: serde_json's default recursion limit, which PostHog's Rust
 * capture and cymbal apply. Deeper values would overflow the stack when stored or sent back
 * (`JSON.stringify` recurses), so they are refused up front as bad input.
 */
export const MAX_JSON_DEPTH = 128;

/** The request's JSON is malformed or nests deeper than allowed; callers answer 400. */
export class JsonInputError extends Error {
  override name = 'JsonInputError';
}

/** The deepest nesting of arrays and objects in `text`, found without recursion (strings skipped). */
export function jsonDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** `JSON.parse` that refuses nesting deeper than `maxDepth` (JsonInputError, message says why). */
export function parseJsonBounded(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JsonInputError((error as Error).message);
  }
  if (jsonDepth(text, maxDepth) > maxDepth) {
    throw new JsonInputError(`JSON nested more than ${maxDepth} levels deep`);
  }
  return value;
}
