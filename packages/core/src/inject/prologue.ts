import { continuesExpression, isLineTerminator, scanString, skipTrivia } from './js-lexer';

/**
 * Where the snippet goes: after a hashbang line and the directive prologue (`"use strict"`,
 * `'use client'`, … with or without semicolons), and after the comments and whitespace around
 * them, i.e. at the first token of the first real statement (like PostHog's rollup plugin, unlike
 * posthog-cli, which puts it at byte 0 and so breaks hashbangs and demotes directives).
 *
 * Returns a UTF-16 index that is never inside a comment, string or hashbang. When the file holds
 * nothing but a prologue, that is `code.length`; when it ends in an unterminated block comment, the
 * start of that comment. A string followed by something that would continue it as an expression
 * (`"a"\n+b`, `"a".length`) is code, not a directive, so the snippet goes before it.
 */
export function findInjectionOffset(code: string): number {
  return scanPrologue(code).offset;
}

/** One directive of a prologue: its string literal, through its `;` when it has one. */
export interface Directive {
  start: number;
  end: number;
}

/** `findInjectionOffset`, with the directives it passed on the way. */
export function scanPrologue(code: string): { offset: number; directives: Directive[] } {
  const directives: Directive[] = [];
  let pos = code.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (code.startsWith('#!', pos)) {
    while (pos < code.length && !isLineTerminator(code.charCodeAt(pos))) pos++;
  }
  for (;;) {
    const before = skipTrivia(code, pos);
    const quote = code[before.pos];
    if (before.unterminated || (quote !== '"' && quote !== "'")) return { offset: before.pos, directives };
    const end = scanString(code, before.pos);
    if (end < 0) return { offset: before.pos, directives };
    const after = skipTrivia(code, end);
    if (after.unterminated) return { offset: before.pos, directives };
    if (code[after.pos] === ';') {
      pos = after.pos + 1;
      directives.push({ start: before.pos, end: pos });
    } else if (after.pos >= code.length || (after.newline && !continuesExpression(code, after.pos))) {
      // Automatic semicolon insertion ends the directive at the line break.
      pos = end;
      directives.push({ start: before.pos, end });
    } else {
      return { offset: before.pos, directives };
    }
  }
}

export interface InjectionPoint {
  offset: number;
  /** Put before the snippet: a line break when the code ends in a line comment or an unfinished line. */
  separator: '' | '\n';
}

/** The offset plus what must separate the snippet from the code before it. */
export function findInjectionPoint(code: string): InjectionPoint {
  const offset = findInjectionOffset(code);
  // Only at the very end can a line comment, hashbang or a directive without `;` precede the offset.
  const needsBreak = offset === code.length && offset > 0 && !isLineTerminator(code.charCodeAt(offset - 1));
  return { offset, separator: needsBreak ? '\n' : '' };
}
