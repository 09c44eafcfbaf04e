import { decodeStringLiteral, scanString, scanTokens } from '../inject/js-lexer';
import { lineStartBefore } from '../inject/line-start';
import { findInjectionOffset } from '../inject/prologue';
import { CHUNK_ID_COMMENT_PREFIX, isValidChunkId, SNIPPET_PARTS } from '../inject/snippet';

const CHUNK_ID_LINE = /^\/\/# chunkId=(\S{1,128})[ \t]*$/;
/** Lines allowed after the chunk-id comment: blank, `// …` (sourceMappingURL, debugId) or `/* … *\/`. */
const TRAILING_COMMENT_LINE = /^\s*(?:\/\/.*|\/\*.*\*\/\s*)?$/;

/**
 * The chunk id from a `//# chunkId=<id>` comment, by PostHog's rules: the line starts with the marker
 * (not trimmed), and the id is 1–128 non-whitespace characters (the rest of the line, trailing spaces
 * and CR ignored). Lines are scanned from the end and the last one wins, as posthog-cli reads them.
 *
 * Stricter than PostHog in two ways: the id must be a valid chunk id (a UUID, or letters, digits, `-`
 * and `_`: it is untrusted and later names files), and only the trailing block of comment lines counts (ours and
 * PostHog's are appended at the very end, followed at most by `//# sourceMappingURL=` or
 * `//# debugId=`). So a marker inside a template literal, or inside a prebuilt, already-injected
 * library that a bundler inlined mid-chunk, is not mistaken for this chunk's id.
 */
export function detectChunkId(code: string): string | undefined {
  let end = code.length;
  let hasMarker: boolean | undefined;
  while (end > 0) {
    // A long line is the code's own (a minified chunk is one line) or an inline map's comment: one
    // search for the marker usually settles it without searching back over all of it.
    const start = lineStartBefore(code, end, () => (hasMarker ??= code.includes(CHUNK_ID_COMMENT_PREFIX)));
    if (start < 0) return undefined;
    const line = code.slice(start, code[end - 1] === '\r' ? end - 1 : end);
    if (line.startsWith(CHUNK_ID_COMMENT_PREFIX)) {
      const match = CHUNK_ID_LINE.exec(line);
      // A value that is no chunk id (`../../x` in a dependency's comment) is not this chunk's id.
      if (match) return isValidChunkId(match[1]) ? match[1] : undefined;
    }
    if (!TRAILING_COMMENT_LINE.test(line)) return undefined;
    end = start - 1;
  }
  return undefined;
}

/** The location of an injected snippet. `end` includes the `;` or `,` that ends it, so cutting
 * `[start, end)` out leaves valid code. */
export interface InjectedSnippet {
  start: number;
  end: number;
  /** False for a byte-exact template match, true for a minifier-rewritten snippet. */
  minified: boolean;
  /** The chunk id the snippet registers. */
  chunkId: string;
  /** The release id it sets (release variant only). */
  releaseId: string | undefined;
}

/** At most this many bytes for a rewritten snippet (posthog-cli's structural limit). */
export const MAX_SNIPPET_BYTES = 4096;
/** At most this many bytes for the release id JSON in an exact release-variant match. */
const MAX_RELEASE_JSON_BYTES = 256;

/**
 * Finds an injected snippet where injection puts it: the first statement after any hashbang,
 * directive prologue and comments (which is byte 0 for posthog-cli's files). First by exact match of
 * either template, else structurally, for a snippet a minifier rewrote after injection (Vite 8,
 * rolldown/Oxc, esbuild, terser): a statement (or the first expression of a comma sequence, which
 * rolldown makes of it) of at most 4096 bytes that mentions `_posthogChunkIds` and holds a string
 * literal equal to `chunkId` (when given) or assigned to `_posthogChunkIds[…]` (when not).
 */
export function findInjectedSnippet(code: string, chunkId?: string): InjectedSnippet | undefined {
  const start = findInjectionOffset(code);
  return findExactSnippet(code, start, chunkId) ?? findRewrittenSnippet(code, start, chunkId);
}

/**
 * The id the SDK reports for frames of this code: its `//# chunkId=` comment (the source of truth, as
 * for PostHog), else the id registered by an injected snippet (a minifier may have stripped the
 * comment). For reading ids back (`hogmaps resolve`), not for deciding whether code is already
 * injected: that is `detectChunkId` alone, so a snippet that came with a prebuilt dependency never
 * hands its id to the chunk it ended up in.
 */
export function readInjectedChunkId(code: string): string | undefined {
  return detectChunkId(code) ?? findInjectedSnippet(code)?.chunkId;
}

/** A JSON string literal at `pos`, decoded, with the position after it. */
function readJsonString(code: string, pos: number): { value: string; end: number } | undefined {
  if (code[pos] !== '"') return undefined;
  const end = scanString(code, pos);
  if (end < 0) return undefined;
  try {
    const value: unknown = JSON.parse(code.slice(pos, end));
    return typeof value === 'string' ? { value, end } : undefined;
  } catch {
    return undefined;
  }
}

function findExactSnippet(
  code: string,
  start: number,
  chunkId: string | undefined,
): InjectedSnippet | undefined {
  const { plain, release } = SNIPPET_PARTS;
  let pos: number;
  let releaseId: string | undefined;
  if (code.startsWith(plain.head, start)) {
    pos = start + plain.head.length;
  } else if (code.startsWith(release.head, start)) {
    const value = readJsonString(code, start + release.head.length);
    if (
      !value ||
      Buffer.byteLength(code.slice(start + release.head.length, value.end)) > MAX_RELEASE_JSON_BYTES
    ) {
      return undefined;
    }
    if (!code.startsWith(release.middle, value.end)) return undefined;
    releaseId = value.value;
    pos = value.end + release.middle.length;
  } else {
    return undefined;
  }
  const id = readJsonString(code, pos);
  const tail = releaseId === undefined ? plain.tail : release.tail;
  if (!id || !code.startsWith(tail, id.end)) return undefined;
  if (!isValidChunkId(id.value) || (chunkId !== undefined && id.value !== chunkId)) return undefined;
  let end = id.end + tail.length;
  // An old posthog-cli constant ended in a literal backslash-n; drop it together with the snippet.
  if (code.startsWith('\\n', end)) end += 2;
  return { start, end, minified: false, chunkId: id.value, releaseId };
}

function findRewrittenSnippet(
  code: string,
  start: number,
  chunkId: string | undefined,
): InjectedSnippet | undefined {
  const literals: Literal[] = [];
  const scan = scanTokens(code, start, start + MAX_SNIPPET_BYTES, 'statement', (from, to) => {
    const value = decodeStringLiteral(code.slice(from, to));
    if (value !== undefined) literals.push({ value, before: code.slice(Math.max(start, from - 64), from) });
  });
  if (!scan) return undefined;
  const text = code.slice(start, scan.end);
  if (!text.includes('_posthogChunkIds') || Buffer.byteLength(text) > MAX_SNIPPET_BYTES) return undefined;
  const found =
    chunkId === undefined
      ? literals.find((literal) => /_posthogChunkIds\s*\[[^\]]*\]\s*=\s*$/.test(literal.before))
      : literals.find((literal) => literal.value === chunkId);
  if (!found || !isValidChunkId(found.value)) return undefined;
  const release = literals.find((literal) => /_posthogReleaseId\s*\|\|\s*$/.test(literal.before));
  return { start, end: scan.after, minified: true, chunkId: found.value, releaseId: release?.value };
}

interface Literal {
  value: string;
  /** Up to 64 characters of code before the literal, to see what it is assigned to. */
  before: string;
}
