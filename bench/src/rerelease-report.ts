// The re-release table: per bundler and mode, release A beside each one-module change, with what the
// second upload sent and cost against the first, and what the bundler alone changes for that step.
import { formatMiB, formatMs, formatRatio, MB, median, medianRatio } from './measure/stats';
import type { OutputChanges, PlainStep, ReleaseSample, ReleaseStep, RereleaseResult } from './rerelease';

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

/** The median of a figure older results lack ('–' then). */
function measured(
  samples: readonly ReleaseSample[],
  pick: (sample: ReleaseSample) => number | undefined,
  format: (value: number) => string,
): string {
  const values = samples.flatMap((sample) => pick(sample) ?? []);
  return values.length > 0 ? format(median(values)) : '–';
}

/** A few names, then how many more. */
function names(list: readonly string[], shown = 3): string {
  if (list.length === 0) return '';
  const more = list.length > shown ? ` +${list.length - shown} more` : '';
  return `: ${list.slice(0, shown).join(', ')}${more}`;
}

/** Changed and renamed JS files, named when there are only a few. */
function changes({ changedInPlace, renamed }: OutputChanges): string {
  const count = changedInPlace.length + renamed.length;
  if (count === 0) return 'none';
  if (count > 3) return `${changedInPlace.length} in place, ${renamed.length} renamed`;
  return `${changedInPlace.length} in place${names(changedInPlace)}; ${renamed.length} renamed${names(renamed)}`;
}

/** The step built without a plugin: how many JS files the bundler itself changed, and their maps' size. */
function plainChanges(plain: PlainStep | undefined): string {
  if (!plain) return 'not built';
  if (plain.step === 'A') return `${plain.jsFiles} JS files`;
  const count = plain.changedInPlace.length + plain.renamed.length;
  return count === 0 ? 'none' : `${changes(plain)} (maps ${bytes(plain.changedMapBytes)})`;
}

/** Sets uploaded for chunks the bundler alone leaves unchanged, and how many matched no plain chunk. */
function beyond(sample: ReleaseSample): string {
  if (sample.beyondBundler === undefined) return '';
  return sample.unmatched
    ? `${sample.beyondBundler} (${sample.unmatched} unmatched)`
    : `${sample.beyondBundler}`;
}

function findPlain(result: RereleaseResult, step: ReleaseStep): PlainStep | undefined {
  return result.plain?.find((plain) => plain.bundler === step.bundler && plain.step === step.step);
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
      'packing it on one core',
      'upload RSS growth',
      'server CPU',
      'JS files changed (vs A)',
      'without a plugin: JS files changed (vs A)',
      'sets uploaded beyond those',
    ]),
    row(Array(15).fill('---')),
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
        measured(step.samples, (sample) => sample.packingMs, formatMs),
        measured(step.samples, (sample) => sample.uploadRssGrowth, formatMiB),
        timed(step.samples, (sample) => sample.serverCpuMs),
        isA ? '–' : changes(last),
        plainChanges(findPlain(result, step)),
        isA ? '–' : beyond(last),
      ]),
    );
  }
  return lines;
}

/** How to read the table: what is timed, and why more than one file changes. */
export const RERELEASE_NOTES = [
  "- Upload time and CPU: the build's finish (pack, hash, requests, manifest), timed inside the build process; CPU counts all its threads. Bytes sent: zstd containers. Packing it on one core: reading the uploaded JS files and maps, zstd 3 and the content hash (in event mode the pair's event hash, core's `eventContentHash`: the injection undone, then SHA-512; in symbol-set mode SHA-512 of the container), one pair at a time, after the build in a process of its own (each step at its fastest of three passes; the event hash is core's own, so a faster one lowers this too). Upload RSS growth: the build process's peak RSS during the finish minus its RSS when the finish started.",
  '- Each B is release A with that one module changed, built as the next release into the same project; a set is "present" when the project holds its chunk id and content hash.',
  '- "Without a plugin": the same step built with the same bundler config and no plugin, against that build of A (deterministic: built once per bundler). "Sets uploaded beyond those": sets uploaded for chunks whose JS that plain build leaves unchanged (chunks matched by the sources of their maps), i.e. what hogmaps itself adds.',
  '- With content-hashed names a chunk that imports a renamed chunk by name is renamed too, and so on up the graph. Without a plugin a one-module change renames the chunk holding it, the chunks naming it up to the entry, and every chunk importing one of those: in Vite every lazy chunk imports the entry (where Vite keeps the code the entry shares with them, and its preload helper) and the entry names every route, so nearly every file; webpack and rspack name chunks through the runtime (`main`), which alone changes besides the chunk holding the module.',
  "- A release id is injected into the entries (and webpack/rspack runtimes: `releaseInjection: 'entries'`, the default), so those change bytes every release; the event-mode content hash undoes the injection, so they are not uploaded again for it. Where the name hash covers the injected release id (rollup, rolldown; esbuild's hashed entries, which hogmaps renames once they carry it: a name determines its bytes), every release renames the entries and every chunk importing one by name, whose bytes then change: new sets even for the same code. That is none in rollup, rolldown and esbuild here (their lazy chunks import shared chunks, and esbuild's never import an entry), only the runtime in webpack and rspack. Vite's app is built from `index.html`, so the page carries the release (a script of its own, `hogmaps-release-[hash].js`, the one JS file a release alone changes) and no chunk does: in Vite every lazy chunk imports the entry chunk, which would otherwise rename them all on every release.",
  '- Symbol-set mode binds chunk ids to the release: every set is new in every release, by design.',
];

export function rereleaseSection(result: RereleaseResult): string[] {
  const parts = ['### Re-release', '', ...rereleaseTable(result), '', ...RERELEASE_NOTES, ''];
  for (const error of result.errors)
    parts.push(`- ${error.bundler}, ${error.mode}: could not run: ${error.error.split('\n')[0]}`);
  if (result.errors.length) parts.push('');
  return parts;
}
