import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isReallyInside } from './inside';
import { findSourceMappingUrl } from './source-mapping-url';

/**
 * Why a JS file has no map to upload. None is fatal, as in PostHog's CLI: the file is skipped and
 * reported.
 * - `no-map`: no referenced map and no sibling `<file>.map` exists.
 * - `inline-map`: the map is inline (`sourceMappingURL=data:…`) and no sibling `.map` exists. Inline
 *   maps are not supported (PostHog's CLI does not upload them either): emit external maps instead.
 * - `not-utf8`: the JS is not valid UTF-8.
 * - `unreadable`: the JS could not be read.
 * - `map-outside`: the only map found lies outside the folder given (`../`, an absolute path or a
 *   symlink leading out): it is neither read nor rewritten.
 */
export type SourcePairProblem = 'no-map' | 'inline-map' | 'not-utf8' | 'unreadable' | 'map-outside';

export interface SourcePairCandidate {
  /** Absolute path of the JS file. */
  jsPath: string;
  /** Absolute path of its source map, when one was found. */
  mapPath?: string;
  /** The file's `sourceMappingURL`, percent-decoded (a `data:` URL is cut after its media type). */
  mapReference?: string;
  problem?: SourcePairProblem;
}

export interface PairOptions {
  /** The bundler's public path (`publicPath`, `base`), stripped from references that include it. */
  publicPathPrefix?: string;
  /**
   * The folder maps must be inside (symlinks resolved): a `sourceMappingURL` leading elsewhere is
   * untrusted input and is ignored. Unset: anywhere.
   */
  within?: string;
}

// A URL scheme (`https:`, `data:`); one letter would be a Windows drive.
const HAS_SCHEME = /^[a-z][a-z0-9+.-]+:/i;

function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Paths to try, in PostHog's order: the reference, the reference without the public path, then the sibling. */
export function mapPathCandidates(
  jsPath: string,
  reference: string | undefined,
  options: PairOptions = {},
): string[] {
  const dir = dirname(jsPath);
  const candidates: string[] = [];
  if (reference !== undefined) {
    const values = [reference];
    const prefix = options.publicPathPrefix;
    if (prefix) {
      if (reference.startsWith(prefix)) values.push(reference.slice(prefix.length));
      if (reference.startsWith(`${prefix}/`)) values.push(reference.slice(prefix.length + 1));
    }
    for (const value of values) {
      // Query strings are kept, as PostHog's CLI does; a URL simply is not a file here.
      if (value && !HAS_SCHEME.test(value)) candidates.push(resolve(dir, value));
    }
  }
  candidates.push(`${jsPath}.map`);
  return [...new Set(candidates)];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function describeReference(reference: string): string {
  if (!reference.startsWith('data:')) return reference;
  const comma = reference.indexOf(',');
  return comma < 0 ? reference.slice(0, 64) : `${reference.slice(0, comma + 1)}…`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads one JS file and finds its map on disk; the map itself is not read. */
export async function pairSourceMap(jsPath: string, options: PairOptions = {}): Promise<SourcePairCandidate> {
  let code: string;
  try {
    code = utf8.decode(await readFile(jsPath));
  } catch (error) {
    return { jsPath, problem: error instanceof TypeError ? 'not-utf8' : 'unreadable' };
  }
  const raw = findSourceMappingUrl(code);
  const reference = raw === undefined ? undefined : percentDecode(raw);
  const mapReference = reference === undefined ? {} : { mapReference: describeReference(reference) };
  let outside = false;
  for (const candidate of mapPathCandidates(jsPath, reference, options)) {
    if (!(await isFile(candidate))) continue;
    if (options.within === undefined || (await isReallyInside(options.within, candidate))) {
      return { jsPath, mapPath: candidate, ...mapReference };
    }
    outside = true;
  }
  const problem = outside ? 'map-outside' : reference?.startsWith('data:') ? 'inline-map' : 'no-map';
  return { jsPath, ...mapReference, problem };
}

/** A one-line explanation of a candidate's problem, for logs; undefined when it has none. */
export function describeSourcePairProblem(candidate: SourcePairCandidate): string | undefined {
  const { jsPath, mapReference } = candidate;
  switch (candidate.problem) {
    case undefined:
      return undefined;
    case 'no-map':
      return mapReference === undefined
        ? `${jsPath}: no sourceMappingURL comment and no ${jsPath}.map; skipped`
        : `${jsPath}: source map "${mapReference}" not found (nor ${jsPath}.map); skipped`;
    case 'inline-map':
      return `${jsPath}: inline (data: URL) source maps are not supported; emit external .map files (for example 'hidden' source maps); skipped`;
    case 'not-utf8':
      return `${jsPath}: not valid UTF-8; skipped`;
    case 'unreadable':
      return `${jsPath}: cannot be read; skipped`;
    case 'map-outside':
      return `${jsPath}: source map "${mapReference ?? `${jsPath}.map`}" is outside the folder given; it is neither read nor changed; skipped`;
  }
}
