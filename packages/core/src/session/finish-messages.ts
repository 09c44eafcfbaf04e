import path from 'node:path';
import { errorMessage, HogmapsError } from '../errors';
import { displayPath, listNames } from '../folder/display';
import type { Logger } from '../logger';
import type { DisposalProblem, MapDisposal } from './map-policy';

function listed(problems: readonly DisposalProblem[], cwd: string): string {
  const reasons = [...new Set(problems.map((problem) => problem.reason))].join(', ');
  const files = problems.map((problem) => displayPath(cwd, problem.file));
  return `${listNames(files)} (${reasons})`;
}

/**
 * Says loudly what the map policy could not do: maps deleted instead of kept for a retry (their
 * symbol sets are lost until a rebuild) and maps that could not be removed (they would ship).
 * Returns one line per problem for an error under `failOnError`, none when all went well.
 */
export function reportDisposalProblems(
  logger: Logger,
  disposal: MapDisposal,
  cwd: string,
  pendingDir: string,
): string[] {
  const problems: string[] = [];
  if (disposal.lost.length > 0) {
    const count = disposal.lost.length;
    problems.push(
      `${count} source map${count === 1 ? '' : 's'} could not be kept for a retry in ${displayPath(cwd, pendingDir)} ` +
        `and ${count === 1 ? 'was' : 'were'} deleted so ${count === 1 ? 'it does' : 'they do'} not ship: ` +
        `${listed(disposal.lost, cwd)}. Their symbol sets are not on PostHog: make that folder writable and rebuild`,
    );
  }
  if (disposal.stuck.length > 0) {
    problems.push(
      `could not delete source maps hogmaps generated, which would ship with your code: ` +
        `${listed(disposal.stuck, cwd)}. Delete them before deploying`,
    );
  }
  for (const problem of problems) logger.error(problem);
  return problems;
}

/** The one line telling how to finish an upload that did not complete, without rebuilding. */
export function retryHint(cwd: string, manifestPath: string | undefined, notUploaded: number): string {
  const what = `${notUploaded} symbol set${notUploaded === 1 ? ' was' : 's were'} not uploaded`;
  if (!manifestPath) return `${what}: rebuild to try again`;
  const relative = displayPath(cwd, manifestPath);
  const shown = relative.includes(' ') || path.isAbsolute(relative) ? JSON.stringify(relative) : relative;
  return `${what}: to finish without rebuilding, run \`hogmaps upload --manifest ${shown}\` (before deploying)`;
}

/** The error a finish throws under `failOnError`: what failed, what was lost, what to run. */
export function finishFailure(input: {
  fatal: unknown;
  notUploaded: number;
  disposalProblems: readonly string[];
  hint: string | undefined;
}): HogmapsError | undefined {
  const { fatal, notUploaded, disposalProblems, hint } = input;
  if (notUploaded === 0 && disposalProblems.length === 0) return undefined;
  const what = fatal
    ? `hogmaps upload failed: ${errorMessage(fatal)}`
    : notUploaded > 0
      ? `hogmaps upload failed for ${notUploaded} symbol sets`
      : 'hogmaps could not dispose of its source maps';
  const message = [what, ...disposalProblems, ...(hint ? [hint] : [])].join('. ');
  return new HogmapsError('upload_failed', message, { cause: fatal });
}
