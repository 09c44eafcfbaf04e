// Just enough of a JavaScript lexer to find the directive prologue and the extent of the first
// statement without a parser: whitespace, comments, string, template and regex literals, brackets.
// Positions are UTF-16 indices (JS string indices), like source-map columns.

const LF = 10;
const CR = 13;
const SLASH = 47;
const STAR = 42;
const BACKSLASH = 92;

export function isLineTerminator(ch: number): boolean {
  return ch === LF || ch === CR || ch === 0x2028 || ch === 0x2029;
}

/** ECMAScript WhiteSpace: TAB, VT, FF, SP, NBSP, ZWNBSP (BOM) and the Unicode Zs category. */
function isWhitespace(ch: number): boolean {
  if (ch === 9 || ch === 11 || ch === 12 || ch === 32 || ch === 0xa0 || ch === 0xfeff) return true;
  return ch >= 0x1680 && /\p{Zs}/u.test(String.fromCharCode(ch));
}

export interface Trivia {
  /** The first position that is not whitespace or a comment (or the start of an unterminated comment). */
  pos: number;
  /** Whether a line terminator was crossed (including inside a block comment). */
  newline: boolean;
  /** `pos` is the start of a block comment that never closes. */
  unterminated: boolean;
}

/** Skips whitespace, line terminators and comments starting at `pos`. */
export function skipTrivia(code: string, pos: number): Trivia {
  let newline = false;
  while (pos < code.length) {
    const ch = code.charCodeAt(pos);
    if (isWhitespace(ch)) {
      pos++;
    } else if (isLineTerminator(ch)) {
      newline = true;
      pos++;
    } else if (ch === SLASH && code.charCodeAt(pos + 1) === SLASH) {
      pos += 2;
      while (pos < code.length && !isLineTerminator(code.charCodeAt(pos))) pos++;
    } else if (ch === SLASH && code.charCodeAt(pos + 1) === STAR) {
      const close = code.indexOf('*/', pos + 2);
      if (close < 0) return { pos, newline, unterminated: true };
      if (/[\n\r\u2028\u2029]/.test(code.slice(pos + 2, close))) newline = true;
      pos = close + 2;
    } else {
      break;
    }
  }
  return { pos, newline, unterminated: false };
}

/** The end (exclusive) of the `'` or `"` string literal at `pos`, or -1 when it never closes. */
export function scanString(code: string, pos: number): number {
  const quote = code.charCodeAt(pos);
  for (let i = pos + 1; i < code.length; i++) {
    const ch = code.charCodeAt(i);
    if (ch === quote) return i + 1;
    if (ch === BACKSLASH) {
      // An escape; `\` + CRLF is one line continuation.
      i += code.charCodeAt(i + 1) === CR && code.charCodeAt(i + 2) === LF ? 2 : 1;
    } else if (ch === LF || ch === CR) {
      return -1;
    }
  }
  return -1;
}

/** The end of the template literal at `pos` (a backtick), substitutions included, or -1. */
export function scanTemplate(code: string, pos: number): number {
  for (let i = pos + 1; i < code.length; i++) {
    const ch = code[i];
    if (ch === '`') return i + 1;
    if (ch === '\\') {
      i++;
    } else if (ch === '$' && code[i + 1] === '{') {
      const end = scanTokens(code, i + 2, code.length, 'template');
      if (end === undefined) return -1;
      i = end.end - 1;
    }
  }
  return -1;
}

/** The end of the regular expression literal at `pos` (a slash), flags included, or -1. */
function scanRegex(code: string, pos: number): number {
  let inClass = false;
  for (let i = pos + 1; i < code.length; i++) {
    const ch = code[i]!;
    if (isLineTerminator(ch.charCodeAt(0))) return -1;
    if (ch === '\\') i++;
    else if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    else if (ch === '/' && !inClass) {
      let end = i + 1;
      while (end < code.length && isWordChar(code.charCodeAt(end))) end++;
      return end;
    }
  }
  return -1;
}

function isWordChar(ch: number): boolean {
  return (
    (ch >= 48 && ch <= 57) ||
    (ch >= 65 && ch <= 90) ||
    (ch >= 97 && ch <= 122) ||
    ch === 36 ||
    ch === 95 ||
    ch > 0x7f
  );
}

// After these keywords a `/` starts a regular expression rather than a division.
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

/**
 * Whether the token at `pos`, on a new line after a complete expression, continues that expression
 * (so no semicolon is inserted): `(`, `[`, a template, `.`, `,`, `?`, or a binary operator. Unsure
 * cases count as continuing, which keeps callers conservative.
 */
export function continuesExpression(code: string, pos: number): boolean {
  const ch = code[pos];
  if (ch === undefined) return false;
  if ('([`.,?:+-*/%=<>&|^'.includes(ch)) return true;
  if (ch === '!' && code[pos + 1] === '=') return true;
  return /^(?:in|instanceof)(?![\w$\u0080-\uffff])/.test(code.slice(pos, pos + 11));
}

export interface TokenScan {
  /** Where scanning stopped: just before the stopping `,` / `;` / line break, or at `limit`. */
  end: number;
  /** Just past the stopping `,` or `;` (equal to `end` for a line break or the end of the code). */
  after: number;
}

/**
 * Scans tokens from `pos`. In `statement` mode it stops at the first top-level `,` or `;`, or at a
 * line break where a semicolon would be inserted; in `template` mode at the `}` closing a `${`.
 * Returns undefined when it passes `limit`, meets an unbalanced bracket or an unterminated literal.
 * `onLiteral` sees each string and template literal token.
 */
export function scanTokens(
  code: string,
  pos: number,
  limit: number,
  mode: 'statement' | 'template',
  onLiteral?: (start: number, end: number) => void,
): TokenScan | undefined {
  const stack: string[] = [];
  let regexAllowed = true;
  let previousEnd = -1;
  for (;;) {
    const trivia = skipTrivia(code, pos);
    if (trivia.unterminated) return undefined;
    pos = trivia.pos;
    const topLevel = mode === 'statement' && stack.length === 0;
    if (pos >= code.length) {
      return topLevel && previousEnd >= 0 ? { end: previousEnd, after: previousEnd } : undefined;
    }
    if (pos >= limit) return undefined;
    if (topLevel && trivia.newline && previousEnd >= 0 && !continuesExpression(code, pos)) {
      return { end: previousEnd, after: previousEnd };
    }
    const ch = code[pos]!;
    let end = pos + 1;
    let nextRegexAllowed = true;
    if (ch === '"' || ch === "'") {
      end = scanString(code, pos);
      nextRegexAllowed = false;
    } else if (ch === '`') {
      end = scanTemplate(code, pos);
      nextRegexAllowed = false;
    } else if (ch === '/') {
      if (regexAllowed) {
        end = scanRegex(code, pos);
        nextRegexAllowed = false;
      }
    } else if (isWordChar(ch.charCodeAt(0))) {
      while (end < code.length && isWordChar(code.charCodeAt(end))) end++;
      nextRegexAllowed = KEYWORDS_BEFORE_EXPRESSION.has(code.slice(pos, end));
    } else if (ch === '(' || ch === '[' || ch === '{') {
      stack.push(ch);
    } else if (ch === ')' || ch === ']' || ch === '}') {
      const open = stack.pop();
      if (open === undefined) {
        return mode === 'template' && ch === '}' ? { end: pos + 1, after: pos + 1 } : undefined;
      }
      if ('([{'.indexOf(open) !== ')]}'.indexOf(ch)) return undefined;
      nextRegexAllowed = false;
    } else if (mode === 'statement' && stack.length === 0 && (ch === ';' || ch === ',')) {
      return { end: pos, after: pos + 1 };
    }
    if (end < 0 || end > limit) return undefined;
    if (onLiteral && (ch === '"' || ch === "'" || ch === '`')) onLiteral(pos, end);
    regexAllowed = nextRegexAllowed;
    previousEnd = end;
    pos = end;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

/**
 * The value of a string literal (`'…'`, `"…"`) or a template without substitutions, as
 * minifiers write them (rolldown/Oxc turns `"id"` into `` `id` ``). Undefined for anything else.
 */
export function decodeStringLiteral(raw: string): string | undefined {
  const quote = raw[0];
  if ((quote !== '"' && quote !== "'" && quote !== '`') || raw.length < 2 || raw.at(-1) !== quote) {
    return undefined;
  }
  const body = raw.slice(1, -1);
  if (quote === '`' && body.includes('${')) return undefined;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next === undefined) return undefined;
    // Legacy octal escapes are not valid in templates or strict code: no id is written that way.
    if (/[1-9]/.test(next) || (next === '0' && /[0-9]/.test(body[i + 1] ?? ''))) return undefined;
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
    } else if (next === 'x' || next === 'u') {
      const braced = next === 'u' && body[i + 1] === '{';
      const hex = braced
        ? body.slice(i + 2, body.indexOf('}', i))
        : body.slice(i + 1, i + (next === 'x' ? 3 : 5));
      if (!/^[0-9a-fA-F]+$/.test(hex) || (!braced && hex.length !== (next === 'x' ? 2 : 4))) return undefined;
      const codePoint = Number.parseInt(hex, 16);
      if (codePoint > 0x10ffff) return undefined;
      out += String.fromCodePoint(codePoint);
      i += braced ? hex.length + 2 : hex.length;
    } else if (next === '\r') {
      if (body[i + 1] === '\n') i++;
    } else if (next !== '\n' && next !== '\u2028' && next !== '\u2029') {
      out += next;
    }
  }
  return out;
}
