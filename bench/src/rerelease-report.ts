// The re-release table: per bundler and mode, release A beside each one-module change, with what the
// second upload sent and cost against the first.
import { formatMs, formatRatio, MB, median, medianRatio } from './measure/stats';
import type { ReleaseSample, ReleaseStep, RereleaseResult } from './rerelease';

const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;

function bytes(value: number): string {
  return value >= MB ? `${(value / MB).toFixed(1)} MB` : `${(value / 1000).toFixed(0)} kB`;
}

/** Median, with the minimum beside it when there are several rounds (the least noisy figure here). */
function timed(samples: readonly ReleaseSample[], pick: (sample: ReleaseSample) => number): string {
  const values = samples.map(pick);
  const med = formatMs(median(values));
  return values.length > 1 ? `${med} (min ${formatMs(Math.min(...values))})` : med;
}

/** A few names, then how many more. */
function names(list: readonly string[], shown = 3): string {
  if (list.length === 0) return '';
  const more = list.length > shown ? ` +${list.length - shown} more` : '';
  return `: ${list.slice(0, shown).join(', ')}${more}`;
}

/** Median over rounds of `pick(B) / pick(A)`, A and B of the same round. */
function againstA(step: ReleaseStep, first: ReleaseStep, pick: (sample: ReleaseSample) => number) {
  const byRound = new Map(first.samples.map((sample) => [sample.round, pick(sample)]));
  const mine = step.samples.filter((sample) => byRound.has(sample.round));
  return medianRatio(
    mine.map(pick),
    mine.map((sample) => byRound.get(sample.round)!),
  );
}

export function rereleaseTable(result: RereleaseResult): string[] {
  const lines = [
    row([
      'bundler',
      'mode',
      'release',
      'sets uploaded / present',
      'bytes sent',
      '÷ A',
      'upload time',
      'upload CPU',
      '÷ A',
      'server CPU',
      'JS files changed (vs A)',
    ]),
    row(Array(11).fill('---')),
  ];
  for (const step of result.steps) {
    const first = result.steps.find(
      (other) => other.bundler === step.bundler && other.mode === step.mode && other.step === 'A',
    );
    const last = step.samples.at(-1)!;
    const isA = step.step === 'A';
    const ratio = (pick: (sample: ReleaseSample) => number) =>
      isA || !first ? '' : formatRatio(againstA(step, first, pick));
    const again = last.uploadedAgain ? ` (${last.uploadedAgain} again)` : '';
    lines.push(
      row([
        step.bundler,
        step.mode,
        isA
          ? 'A (fresh project)'
          : step.changed
            ? `B: ${step.step} module \`${step.changed}\` (in ${last.holding} chunk${last.holding === 1 ? '' : 's'})`
            : 'B: no change, new release only',
        `${last.uploaded}${again} / ${last.alreadyPresent} of ${last.jsFiles} JS files`,
        bytes(median(step.samples.map((sample) => sample.bytesSent))),
        ratio((sample) => sample.bytesSent),
        timed(step.samples, (sample) => sample.uploadMs),
        timed(step.samples, (sample) => sample.uploadCpuMs),
        ratio((sample) => sample.uploadCpuMs),
        timed(step.samples, (sample) => sample.serverCpuMs),
        isA
          ? '–'
          : `${last.changedInPlace.length} in place${names(last.changedInPlace)}; ${last.renamed.length} renamed${names(last.renamed)}`,
      ]),
    );
  }
  return lines;
}

/** How to read the table: what is timed, and why more than one file changes. */
export const RERELEASE_NOTES = [
  "- Upload time and CPU: the build's finish (pack, hash, requests, manifest), timed inside the build process; CPU counts all its threads. Bytes sent: zstd containers.",
  '- Each B is release A with that one module changed, built as the next release into the same project; a set is "present" when the project holds its chunk id and content hash.',
  '- A release id is injected into startup chunks (entries, runtimes), so those change bytes every release; the event-mode content hash undoes the injection, so they are not uploaded again for it.',
  '- With content-hashed names a chunk that imports a changed chunk by name changes too, and so on up the graph: where the name hash covers the injected release id (Vite, rollup, rolldown, esbuild), every chunk importing a startup chunk is renamed, so its code changes and its set is new (a Vite lazy chunk imports the entry for its preload helper); webpack and rspack name chunks through the runtime, which alone changes.',
  '- Symbol-set mode binds chunk ids to the release: every set is new in every release, by design.',
];

export function rereleaseSection(result: RereleaseResult): string[] {
  const parts = ['### Re-release', '', ...rereleaseTable(result), '', ...RERELEASE_NOTES, ''];
  for (const error of result.errors)
    parts.push(`- ${error.bundler}, ${error.mode}: could not run: ${error.error.split('\n')[0]}`);
  if (result.errors.length) parts.push('');
  return parts;
}
