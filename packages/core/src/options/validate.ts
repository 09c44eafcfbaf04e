import type { OptionIssue } from '../errors';

/** Collects every problem so resolveOptions can report them all in one OptionsError. */
export interface Issues {
  readonly list: OptionIssue[];
  add(path: string, message: string): void;
  /** `expected …, got …`, with the value described safely. */
  expected(path: string, expected: string, value: unknown): void;
}

export function createIssues(): Issues {
  const list: OptionIssue[] = [];
  return {
    list,
    add: (path, message) => list.push({ path, message }),
    expected: (path, expected, value) =>
      list.push({ path, message: `expected ${expected}, got ${describeValue(value)}` }),
  };
}

// PostHog keys look like `phx_…` (personal), `phc_…` (project), `phs_…`; never echo one.
const POSTHOG_KEY = /\bph[a-z]_[A-Za-z0-9]/;

export function looksLikePostHogKey(value: string): boolean {
  return POSTHOG_KEY.test(value);
}

/** A short, secret-free description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof RegExp) return String(value);
  switch (typeof value) {
    case 'string': {
      if (looksLikePostHogKey(value)) return 'a string that looks like a PostHog API key (not shown)';
      if (value.trim() === '') return value === '' ? 'an empty string' : 'a blank string';
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    }
    case 'function':
      return 'a function';
    case 'object':
      return 'an object';
    case 'undefined':
      return 'undefined';
    default:
      return String(value);
  }
}

/** An object literal (also from another realm, e.g. a config loaded in a vm context). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

/** A string option: blank counts as unset; trimmed. Reports non-strings. */
export function readString(issues: Issues, path: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    issues.expected(path, 'a string', value);
    return undefined;
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function readBoolean(issues: Issues, path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  issues.expected(path, 'true or false', value);
  return fallback;
}

export function readInteger(
  issues: Issues,
  path: string,
  value: unknown,
  range: { min: number; max: number; fallback: number },
): number {
  if (value === undefined) return range.fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max) {
    return value;
  }
  issues.expected(path, `an integer from ${range.min} to ${range.max}`, value);
  return range.fallback;
}

export function readEnum<T extends string>(
  issues: Issues,
  path: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
  origin = '',
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const hint = typeof value === 'string' ? suggest(value, allowed) : undefined;
  const choices = allowed.map((choice) => `'${choice}'`).join(', ');
  const didYouMean = hint ? ` (did you mean '${hint}'?)` : '';
  issues.add(path, `expected one of ${choices}${origin}, got ${describeValue(value)}${didYouMean}`);
  return fallback;
}

/** The closest candidate, if close enough to be a plausible typo. */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  const exact = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (exact) return exact;
  // `warning` → `warn`, `deleteAfter` → `deleteAfterUpload`: one is a prefix of the other.
  const prefixed = candidates.find((candidate) => {
    const other = candidate.toLowerCase();
    return Math.min(other.length, lower.length) >= 3 && (other.startsWith(lower) || lower.startsWith(other));
  });
  if (prefixed) return prefixed;
  const limit = Math.min(3, Math.max(1, Math.floor(input.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions (common typos). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]!.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]!.push(value);
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * Reports keys that are not options, with a hint: a typo of a known key, an option that lives
 * at another level, or another tool's spelling. Values are never printed.
 */
export function checkUnknownKeys(
  issues: Issues,
  object: Record<string, unknown>,
  known: readonly string[],
  prefix: string,
  hints: Readonly<Record<string, string>>,
): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    const typo = suggest(key, known);
    const hint = Object.hasOwn(hints, key) ? hints[key] : typo ? `${prefix}${typo}` : undefined;
    issues.add(`${prefix}${key}`, `unknown option${hint ? `; did you mean ${hint}?` : ''}`);
  }
}
