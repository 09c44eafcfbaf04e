// Markdown tables of one benchmark run, and the targets checked against them.
import type { GeneratedApp } from './app/generate';
import type { SizeName } from './app/shape';
import type { BuildSample, VariantResult } from './builds';
import type { Latency } from './local-server';
import type { MachineInfo } from './machine';
import { leastPackingMs } from './measure/pack-work';
import { formatMiB, formatMs, formatRatio, MB, MiB, median, medianRatio } from './measure/stats';
import type { ReleaseSample, ReleaseStep, RereleaseResult } from './rerelease';
import type { PlainStep } from './rerelease-plain';
import { rereleaseSection } from './rerelease-report';
import { uploadCostSection } from './upload-cost';
import { leastWorkMs, throughput, type UploadSample, workMs } from './uploads';

export interface UploadResult {
  label: string;
  sets: number;
  totalBytes: number;
  samples: UploadSample[];
  /** The server's added delay per request (`--upload-latency`); absent: none. */
  latency?: Latency;
}

export interface RunResult {
  command: string;
  /** Absent in results written before sizes were recorded. */
  size?: SizeName;
  startedAt: string;
  machine: MachineInfo;
  app: GeneratedApp;
  runs: number;
  builds: VariantResult[];
  uploads: UploadResult[];
  rerelease?: RereleaseResult;
}

/** hogmaps may add at most this much to build wall time. */
export const MAX_BUILD_OVERHEAD = 1.05;
/** Issue #14: the upload at ≥ 0.75× the single-core speed of its work for 1 MiB sets, ≥ 0.6× for smaller ones. */
export function minUploadShareOfWork(mib: number): number {
  return mib >= 0.5 ? 0.75 : 0.6; // sets of about 1 MiB, or of about 0.2 MiB
}
export const MAX_RSS_GROWTH = 150 * MiB;
/** Issue #14 target 2: the upload inside a build takes at most this times the single-core packing of what it uploads. */
export const MAX_UPLOAD_OVER_PACKING = 1.5;

const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;

function machineSection(result: RunResult): string[] {
  const { machine, app } = result;
  const load = machine.loadEnd === undefined ? '' : ` → ${machine.loadEnd.toFixed(1)}`;
  return [
    `Measured ${result.startedAt} with \`${result.command}\`.`,
    '',
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}` +
      `${machine.server ? ` (the local server: ${machine.server})` : ''}; ` +
      `1-minute load average ${machine.loadStart.toFixed(1)}${load} (other work was running when it is above ~0.5).`,
    ...(machine.freePageReporting
      ? [
          "- This VM returns freed memory to its host (free page reporting): a build that touches memory freed a few seconds earlier faults it in from the host again, which shows as up to seconds of system time in one run and not the next, whatever the build does. The user-CPU ratio is the steadier measure of a plugin's own work.",
        ]
      : []),
    `- App: ${app.modules} modules (+ route, group and package index files), ${(app.sourceBytes / MB).toFixed(1)} MB of source, ` +
      `${app.chunks} chunks planned (entry + routes + shared groups).`,
    `- Versions: ${Object.entries(machine.versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}.`,
    ...(result.builds.length > 0
      ? [
          `- ${result.runs} runs per variant, each in a fresh Node process; medians; ratios are the median of per-run ratios to the baseline of the same round.`,
        ]
      : []),
    ...(result.rerelease
      ? [
          `- Re-release: ${Math.max(0, ...result.rerelease.steps.map((step) => step.samples.length))} series per bundler and mode, each into a fresh project, every build in a fresh Node process.`,
        ]
      : []),
  ];
}

/** Whether every sample of the variant has its CPU time split into user and system (newer results). */
function hasCpuParts(result: VariantResult | undefined): boolean {
  return result?.samples.every((sample) => sample.userMs !== undefined) ?? false;
}

/** Median over rounds of `pick(sample) / pick(baseline sample of the same round)`. */
function pairedRatio(
  result: VariantResult,
  baseline: VariantResult | undefined,
  pick: (sample: BuildSample) => number,
) {
  const byRound = new Map(baseline?.samples.map((sample) => [sample.round, pick(sample)]));
  const mine = result.samples.filter((sample) => byRound.has(sample.round));
  return medianRatio(
    mine.map(pick),
    mine.map((sample) => byRound.get(sample.round)!),
  );
}

function buildTable(builds: VariantResult[]): string[] {
  const lines = [
    row([
      'bundler',
      'variant',
      'wall time',
      '×',
      'CPU time',
      '×',
      'user CPU',
      '×',
      'peak RSS',
      '×',
      'JS chunks',
      'injected',
      'maps',
    ]),
    row(Array(13).fill('---')),
  ];
  for (const result of builds) {
    const baseline = builds.find(
      (other) => other.bundler === result.bundler && other.variant.id === 'baseline',
    );
    if (result.error || result.samples.length === 0) {
      lines.push(row([result.bundler, result.variant.label, 'could not run', ...Array(10).fill('')]));
      continue;
    }
    const isBaseline = result.variant.id === 'baseline';
    const ratio = (pick: (sample: BuildSample) => number) =>
      isBaseline ? '1' : formatRatio(pairedRatio(result, baseline, pick));
    const med = (pick: (sample: BuildSample) => number) => median(result.samples.map(pick));
    const hasUser = hasCpuParts(result);
    const last = result.samples.at(-1)!;
    const maps = median(result.samples.map((sample) => sample.output.mapBytes));
    lines.push(
      row([
        result.bundler,
        result.variant.label,
        formatMs(med((sample) => sample.wallMs)),
        ratio((sample) => sample.wallMs),
        formatMs(med((sample) => sample.cpuMs)),
        ratio((sample) => sample.cpuMs),
        hasUser ? formatMs(med((sample) => sample.userMs!)) : '–',
        hasUser ? ratio((sample) => sample.userMs!) : '–',
        formatMiB(med((sample) => sample.peakRss)),
        ratio((sample) => sample.peakRss),
        last.output.jsFiles,
        isBaseline
          ? '–'
          : `${last.output.injected}${last.uploaded === undefined ? '' : `, ${last.uploaded} uploaded`}`,
        maps ? `${(maps / MB).toFixed(1)} MB` : 'deleted',
      ]),
    );
  }
  return lines;
}

function uploadTable(uploads: UploadResult[]): string[] {
  const lines = [
    row([
      'symbol sets',
      'upload',
      'requests',
      'CPU client / server',
      'RSS growth',
      'work on one core',
      'read',
      'read, reused memory',
      'zstd 3',
      'SHA-512',
      'upload ÷ work',
    ]),
    row(Array(11).fill('---')),
  ];
  for (const upload of uploads) {
    const reports = upload.samples.map((sample) => sample.report);
    const speed = median(reports.map((report) => throughput(report.bytes, report.uploadMs)));
    const work = median(reports.map((report) => throughput(report.bytes, workMs(report))));
    const share = median(reports.map((report) => workMs(report) / report.uploadMs));
    const serverCpu = median(upload.samples.map((sample) => sample.serverCpuMs));
    const step = (pick: (r: (typeof reports)[number]) => number | undefined) => {
      const speeds = reports.flatMap((report) => {
        const ms = pick(report);
        return ms === undefined ? [] : [throughput(report.bytes, ms)];
      });
      return speeds.length > 0 ? `${median(speeds).toFixed(0)} MB/s` : '–';
    };
    lines.push(
      row([
        `${upload.label} (${(upload.totalBytes / MB).toFixed(1)} MB)`,
        `${speed.toFixed(0)} MB/s (${formatMs(median(reports.map((report) => report.uploadMs)))})`,
        median(reports.map((report) => report.requests)),
        `${formatMs(median(reports.map((report) => report.cpuMs)))} / ${formatMs(serverCpu)}`,
        formatMiB(median(reports.map((report) => report.rssPeak - report.rssBefore))),
        `${work.toFixed(0)} MB/s`,
        step((report) => report.work.readMs),
        step((report) => report.work.readReusedMs),
        step((report) => report.work.zstdMs),
        step((report) => report.work.shaRawMs),
        formatRatio(share),
      ]),
    );
  }
  return lines;
}

/**
 * Issue #14 target 5 for one event-mode step: only the changed chunks, i.e. those holding the module
 * and the one chunk that names the others (entry or runtime), or, where the bundler itself changes
 * more files than that (its plain build says which), none beyond those; the same code as a new
 * release uploads nothing.
 */
export function rereleaseTargetLine(
  step: Pick<ReleaseStep, 'bundler' | 'step'>,
  last: ReleaseSample,
  plain: PlainStep | undefined,
): string {
  const allowed = step.step === 'none' ? 0 : last.holding + 1;
  const byBundler = plain ? plain.changedInPlace.length + plain.renamed.length : undefined;
  const onlyBundlers = byBundler !== undefined && byBundler > allowed && last.beyondBundler === 0;
  const met = (last.uploaded <= allowed || onlyBundlers) && last.uploadedAgain === 0;
  const what =
    step.step === 'none'
      ? 'a new release of the same code'
      : `one ${step.step} module changed (in ${last.holding} chunk${last.holding === 1 ? '' : 's'})`;
  const alone = plain
    ? `; without a plugin ${byBundler} change, ${last.beyondBundler} sets uploaded beyond them`
    : '';
  const bound = onlyBundlers ? `≤ ${allowed}, or none beyond the bundler's own` : `≤ ${allowed}`;
  return (
    `- ${met ? 'met' : 'MISSED'}: ${step.bundler}, re-release, ${what}: ${last.uploaded} of ${last.jsFiles} sets uploaded ` +
    `(${bound}), ${last.changedInPlace.length + last.renamed.length} JS files changed bytes${alone}`
  );
}

/** CPU an upload spent, which bounds its wall time from below on a machine's cores. */
interface UploadCpu {
  /** All threads of the uploading process. */
  clientMs: number;
  /** Its main thread alone, where measured. */
  mainMs?: number;
  /** The local server's process, which shares the cores. */
  serverMs: number;
}

/**
 * The least wall time an upload could take at the CPU it and the server spent: its main thread's
 * CPU (every request, read and hash passes through it), and all of both processes' CPU spread over
 * every core. Below it, only spending less CPU helps; above it, so does overlapping more. Undefined
 * without the main thread's figure (results before round 21).
 */
function cpuFloorMs(cpu: UploadCpu, cores: number): number | undefined {
  if (cpu.mainMs === undefined) return undefined;
  return Math.max(cpu.mainMs, (cpu.clientMs + cpu.serverMs) / Math.max(1, cores));
}

/**
 * `; its CPU allows …`: the median over runs of the floor, in the target's measure (`value`), and
 * that run's CPU, which sets it; '' without a floor.
 */
function floorNote(
  floors: { value: number; cpu: UploadCpu }[],
  cores: number,
  measure: (value: number) => string,
): string {
  if (floors.length === 0) return '';
  const mid = floors.toSorted((a, b) => a.value - b.value)[Math.floor((floors.length - 1) / 2)]!;
  const { clientMs, mainMs, serverMs } = mid.cpu;
  return (
    `; its CPU allows ${measure(mid.value)} on this machine (main thread ${formatMs(mainMs!)}; ` +
    `with the server's, ${formatMs(clientMs + serverMs)} of CPU over ${cores} cores)`
  );
}

/**
 * `; against the least the work costs …`: the median of a target's ratio with the work's files read
 * synchronously into reused memory (pack-work.ts), beside the issue's measure; '' for results
 * written before round 26.
 */
function leastWorkNote(ratios: (number | undefined)[]): string {
  const known = ratios.filter((ratio): ratio is number => ratio !== undefined);
  if (known.length === 0) return '';
  return `; against the least the work costs (its files read synchronously into reused memory), ${formatRatio(median(known))}`;
}

function floorsOf<T>(samples: T[], cpuOf: (sample: T) => UploadCpu, cores: number) {
  return samples.flatMap((sample) => {
    const cpu = cpuOf(sample);
    const floorMs = cpuFloorMs(cpu, cores);
    return floorMs === undefined ? [] : [{ floorMs, cpu, sample }];
  });
}

/**
 * Issue #14 targets 2 and 4 for a release A (everything uploaded, timed inside the build): the
 * build's finish against packing what it uploaded on one core, and the finish's RSS growth. None for
 * results written before either was measured.
 */
export function uploadInBuildTargetLines(
  step: Pick<ReleaseStep, 'bundler' | 'mode' | 'samples'>,
  cores = 1,
): string[] {
  const timed = step.samples.filter((sample) => sample.packingMs);
  const grown = step.samples.flatMap((sample) =>
    sample.uploadRssGrowth === undefined ? [] : [sample.uploadRssGrowth],
  );
  const what = `${step.bundler}, the upload inside the build (release A, ${step.mode} mode)`;
  const lines: string[] = [];
  if (timed.length > 0) {
    const ratio = medianRatio(
      timed.map((sample) => sample.uploadMs),
      timed.map((sample) => sample.packingMs!),
    );
    const verdict = ratio <= MAX_UPLOAD_OVER_PACKING ? 'met' : 'MISSED';
    const packing = median(timed.map((sample) => sample.packingMs!));
    const floors = floorsOf(
      timed,
      (sample) => ({
        clientMs: sample.uploadCpuMs,
        mainMs: sample.uploadMainCpuMs,
        serverMs: sample.serverCpuMs,
      }),
      cores,
    );
    lines.push(
      `- ${verdict}: ${what}: ${formatMs(median(timed.map((sample) => sample.uploadMs)))}, ${formatRatio(ratio)} ` +
        `the single-core time of packing what it uploaded (${formatMs(packing)}) ` +
        `(≤ ${MAX_UPLOAD_OVER_PACKING}×)` +
        floorNote(
          floors.map(({ floorMs, cpu, sample }) => ({ value: floorMs / sample.packingMs!, cpu })),
          cores,
          (floorRatio) => `no less than ${formatRatio(floorRatio)}`,
        ) +
        leastWorkNote(
          timed.map((sample) => {
            const hash = step.mode === 'event' ? 'event' : 'container';
            const least = sample.packingWork && leastPackingMs(sample.packingWork, hash);
            return least ? sample.uploadMs / least : undefined;
          }),
        ),
    );
  }
  if (grown.length > 0) {
    const growth = Math.max(...grown);
    lines.push(
      `- ${growth < MAX_RSS_GROWTH ? 'met' : 'MISSED'}: ${what}: RSS growth at most ${formatMiB(growth)} (< ${formatMiB(MAX_RSS_GROWTH)})`,
    );
  }
  return lines;
}

/** One line per target: met or missed, with the figure. */
export function targetLines(result: RunResult): string[] {
  const lines: string[] = [];
  for (const build of result.builds) {
    if (!['inject', 'upload'].includes(build.variant.id) || build.samples.length === 0) continue;
    const baseline = result.builds.find((b) => b.bundler === build.bundler && b.variant.id === 'baseline');
    const wall = pairedRatio(build, baseline, (sample) => sample.wallMs);
    const cpu = pairedRatio(build, baseline, (sample) => sample.cpuMs);
    const withParts = hasCpuParts(build) && hasCpuParts(baseline);
    const parts = withParts
      ? ` (user ${formatRatio(pairedRatio(build, baseline, (sample) => sample.userMs!))}, system ${formatRatio(pairedRatio(build, baseline, (sample) => sample.systemMs!))})`
      : '';
    // Inject only: ≤ 1.05× in wall and CPU time. With the upload the target is about the added time
    // against packing what is uploaded (issue #14 target 2), which a build child does not measure.
    const met =
      build.variant.id === 'inject' ? wall <= MAX_BUILD_OVERHEAD && cpu <= MAX_BUILD_OVERHEAD : undefined;
    lines.push(
      `- ${met === undefined ? 'info' : met ? 'met' : 'MISSED'}: ${build.bundler}, ${build.variant.label}: wall ${formatRatio(wall)}, CPU ${formatRatio(cpu)}${parts}` +
        (met === undefined ? '' : ` (≤ ${MAX_BUILD_OVERHEAD}× both)`),
    );
  }
  for (const upload of result.uploads) {
    const reports = upload.samples.map((sample) => sample.report);
    const share = median(reports.map((report) => workMs(report) / report.uploadMs));
    const growth = Math.max(...reports.map((report) => report.rssPeak - report.rssBefore));
    const min = minUploadShareOfWork(upload.totalBytes / upload.sets / MiB);
    // The targets are for a server on this machine; with latency added, the ratio is for information.
    const verdict = upload.latency ? 'info' : share >= min ? 'met' : 'MISSED';
    const floors = floorsOf(
      upload.samples,
      (sample) => ({
        clientMs: sample.report.cpuMs,
        mainMs: sample.report.mainCpuMs,
        serverMs: sample.serverCpuMs,
      }),
      result.machine.cores,
    );
    // As a share of the work's speed, the floor is a ceiling: the median of work ÷ floor.
    const ceilings = floors.map(({ floorMs, cpu, sample }) => ({
      value: workMs(sample.report) / floorMs,
      cpu,
    }));
    lines.push(
      `- ${verdict}: upload of ${upload.label} at ${formatRatio(share)} the single-core speed of its work (≥ ${min}×)` +
        (upload.latency
          ? ''
          : floorNote(ceilings, result.machine.cores, (ceiling) => `no more than ${formatRatio(ceiling)}`) +
            leastWorkNote(
              reports.map((report) => {
                const least = leastWorkMs(report);
                return least === undefined ? undefined : least / report.uploadMs;
              }),
            )),
      `- ${growth < MAX_RSS_GROWTH ? 'met' : 'MISSED'}: RSS growth while uploading ${upload.label}: at most ${formatMiB(growth)} over the runs (< ${formatMiB(MAX_RSS_GROWTH)})`,
    );
  }
  for (const step of result.rerelease?.steps ?? []) {
    if (step.step === 'A') lines.push(...uploadInBuildTargetLines(step, result.machine.cores));
    if (step.step === 'A' || step.mode !== 'event') continue;
    const plain = result.rerelease?.plain?.find((p) => p.bundler === step.bundler && p.step === step.step);
    lines.push(rereleaseTargetLine(step, step.samples.at(-1)!, plain));
  }
  return lines;
}

export function markdownReport(result: RunResult): string {
  const parts = [...machineSection(result), ''];
  if (result.builds.length > 0) parts.push('### Builds', '', ...buildTable(result.builds), '');
  const failed = result.builds.filter((b) => b.error);
  for (const b of failed)
    parts.push(`- ${b.bundler}, ${b.variant.label} could not run: ${b.error?.split('\n')[0]}`);
  if (failed.length) parts.push('');
  if (result.uploads.length > 0) parts.push('### Upload pipeline', '', ...uploadTable(result.uploads), '');
  if (result.rerelease) parts.push(...rereleaseSection(result.rerelease));
  parts.push(...uploadCostSection([result]));
  parts.push('### Targets', '', ...targetLines(result), '');
  return parts.join('\n');
}
