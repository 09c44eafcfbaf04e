import { GREATEST_LOWER_BOUND, originalPositionFor } from '@jridgewell/trace-mapping';
import type { ParsedSymbolSet } from './symbol-set-cache';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
// How far back (in generated lines) to look for the declaration of the frame's function.
const MAX_LINES_BACK = 500;

/**
 * The original name of the function a frame ran in, found cheaply without parsing: take the
 * engine's (minified) function name, find its nearest declaration before the frame's position in
 * the minified code, and read the map's `names` entry there (minifiers map renamed identifiers to
 * their original name). The map's name at the frame's own position is not used: for a call frame
 * that position is the call expression, whose name is the callee, not the enclosing function.
 */
export function findOriginalFunctionName(
  set: ParsedSymbolSet,
  rawFunction: unknown,
  line: number,
  column: number,
): string | undefined {
  const name = minifiedFunctionName(rawFunction);
  if (!name) return undefined;
  const firstLine = Math.max(0, line - MAX_LINES_BACK);
  for (let l = line; l >= firstLine; l--) {
    const text = set.minifiedLines[l];
    if (text === undefined) continue;
    const end = l === line ? column : text.length;
    const at = lastDeclaration(text, name, end);
    if (at === undefined) continue;
    const mapped = originalPositionFor(set.map, { line: l + 1, column: at, bias: GREATEST_LOWER_BOUND });
    if (mapped.name) return mapped.name;
    // Not renamed by the minifier: the generated name is the original one.
    return mapped.source ? name : undefined;
  }
  return undefined;
}

/** `Object.submitOrder [as x]` → `submitOrder`; `new Foo` → `Foo`; `?` / `<anonymous>` → undefined. */
function minifiedFunctionName(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const cleaned = raw
    .replace(/\s*\[as [^\]]*\]$/, '')
    .replace(/^(new|async)\s+/, '')
    .trim();
  const last = cleaned.slice(cleaned.lastIndexOf('.') + 1);
  return IDENTIFIER.test(last) ? last : undefined;
}

/** The column of the last declaration-like occurrence of `name` before `end`, if any. */
function lastDeclaration(text: string, name: string, end: number): number | undefined {
  const escaped = name.replace(/\$/g, '\\$');
  const occurrence = new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`, 'g');
  let found: number | undefined;
  for (const match of text.slice(0, end).matchAll(occurrence)) {
    const at = match.index;
    if (isDeclaration(text, at, name.length)) found = at;
  }
  return found;
}

function isDeclaration(text: string, at: number, length: number): boolean {
  const before = text.slice(Math.max(0, at - 24), at);
  const after = text.slice(at + length, at + length + 200);
  // function name(  /  function* name(
  if (/\bfunction\s*\*?\s*$/.test(before)) return true;
  // name = function / name = (...) => / name = async x =>  (also `name: function` in objects)
  if (/^\s*[=:](?!=)\s*(async\b\s*)?(function\b|\([^()]*\)\s*=>|[\w$]+\s*=>)/.test(after)) return true;
  // class or object method shorthand: `}name(a){`, `static name(){`
  return /(^|[{};,]|\b(static|async|get|set)\s)\s*$/.test(before) && /^\s*\([^()]*\)\s*\{/.test(after);
}
