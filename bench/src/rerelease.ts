// Re-release cost (issue #14 target 5). Per bundler and release mode, in a fresh project on the local
// server: release A of the app, then each one-module change built as the next release into the same
// project, compared with A (what was uploaded, what was skipped, which output files changed). Each
// step is also built without any plugin, once per bundler, to tell the bundler's own renames from
// what hogmaps adds. The builds run on a copy of the generated app, so a run that stops half-way never
// leaves a change in it.
import { cp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type BuildEnvironment, forkBuild } from './builds';
import type { PackChildReport, PackJob } from './children/pack-child';
import { inspectOutput, mapsHolding } from './inspect-output';
import type { LocalServer } from './local-server';
import { forkMeasured, reportOf } from './measure/fork-measured';
import { type PackingWork, packingMs } from './measure/pack-work';
import { formatMiB, formatMs } from './measure/stats';
import { compareOutputs, fingerprintOutput } from './output-changes';
import { type ChangeKind, changeModule, moduleToChange } from './rerelease-edits';
import { beyondBundler, buildPlain, type PlainBuilds, type PlainStep } from './rerelease-plain';
import type { BuildJob, Bundler } from './variants';

export type ReleaseModeName = 'event' | 'symbol-set';
export const RELEASE_MODES: readonly ReleaseModeName[] = ['event', 'symbol-set'];

/** `A`: the first release; a change kind: the release after A with that one module changed. */
export type ReleaseStepName = 'A' | ChangeKind;

export interface ReleaseSample {
  round: number;
  /** The whole build, from fork to exit, and its CPU time. */
  wallMs: number;
  cpuMs: number;
  /** The build's finish (packing, requests, manifest), timed inside the build process. */
  uploadMs: number;
  uploadCpuMs: number;
  /** The build's main thread's part of uploadCpuMs (Linux; absent from results before round 21). */
  uploadMainCpuMs?: number;
  /**
   * RSS growth of the build process during the finish: its peak minus RSS when it started (this and
   * packingMs are absent from results written before they were measured).
   */
  uploadRssGrowth?: number;
  /**
   * Single-core time of packing what was uploaded (read, zstd 3 and the mode's content hash: the
   * event hash of the pair in event mode, SHA-512 of the container in symbol-set mode), timed after
   * the build in a process of its own; 0 when nothing was uploaded. Until round 17, event mode's
   * hash was stood in for by SHA-512 of the pair's bytes (`packingWork.shaRawMs`).
   */
  packingMs?: number;
  /** That packing's steps (each at its fastest of three passes), when anything was uploaded. */
  packingWork?: PackingWork;
  /** CPU time of the local server during the build. */
  serverCpuMs: number;
  uploaded: number;
  alreadyPresent: number;
  /** Sets uploaded although the project held their chunk id already (other content, same code). */
  uploadedAgain: number;
  requests: number;
  /** Container bytes sent to object storage. */
  bytesSent: number;
  /** Symbol sets the project holds afterwards: checked to be every chunk id its releases reported. */
  stored: number;
  jsFiles: number;
  mapBytes: number;
  /** Against release A: JS files with A's name but other bytes, and names A did not have. */
  changedInPlace: string[];
  renamed: string[];
  /** Chunks whose map holds the changed module: the ones the change itself is in. */
  holding: number;
  /**
   * Sets uploaded for chunks whose JS the bundler alone (the step without a plugin) leaves as in A:
   * what hogmaps itself adds. Chunks are matched by the sources of their maps; `unmatched` counts
   * uploaded chunks no chunk of the plain build matches (counted in `beyondBundler` too).
   */
  beyondBundler?: number;
  unmatched?: number;
}

export type { OutputChanges } from './output-changes';
export type { PlainStep } from './rerelease-plain';

export interface ReleaseStep {
  bundler: Bundler;
  mode: ReleaseModeName;
  step: ReleaseStepName;
  /** The module changed, relative to the app's root (none for the release-only step). */
  changed?: string;
  samples: ReleaseSample[];
}

export interface RereleaseResult {
  steps: ReleaseStep[];
  /** The same steps without any plugin (missing for a bundler whose series failed before them). */
  plain?: PlainStep[];
  errors: Array<{ bundler: Bundler; mode: ReleaseModeName; error: string }>;
}

export interface RereleaseOptions extends BuildEnvironment {
  /** children/pack-child.js: times packing what a release uploaded. */
  packScript: string;
  bundlers: readonly Bundler[];
  changes: readonly ChangeKind[];
  modes: readonly ReleaseModeName[];
  runs: number;
}

export function parseModes(value: string | undefined): ReleaseModeName[] {
  if (!value) return [...RELEASE_MODES];
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(RELEASE_MODES as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown release mode(s): ${unknown.join(', ')} (known: ${RELEASE_MODES.join(', ')})`);
  return RELEASE_MODES.filter((mode) => names.includes(mode));
}

interface Series {
  options: RereleaseOptions;
  root: string;
  bundler: Bundler;
  mode: ReleaseModeName;
  round: number;
  server: Awaited<ReturnType<LocalServer['freshProject']>>;
  /** Chunk ids of every set the project holds, from the builds' own reports. */
  known: Set<string>;
  /** The steps built without a plugin, shared by every series (each step is built once per bundler). */
  plain: PlainBuilds;
}

/** Packing the uploaded pairs on one core, in a fresh process (children/pack-child.ts); none for none. */
async function timePacking(
  options: RereleaseOptions,
  job: PackJob,
  outDir: string,
): Promise<{ ms: number; work?: PackingWork }> {
  if (job.pairs.length === 0) return { ms: 0 };
  const jobFile = `${outDir}.pack-job.json`;
  await writeFile(jobFile, JSON.stringify(job));
  try {
    const work = reportOf(
      await forkMeasured<PackChildReport>(options.packScript, [jobFile]),
      'timing the packing',
    );
    return { ms: packingMs(work, job.hash), work };
  } finally {
    await rm(jobFile, { force: true });
  }
}

/** One release of the series: build, then check the server holds exactly the sets reported so far. */
async function buildRelease(series: Series, version: string, outDir: string) {
  const { options, bundler, mode, server, known } = series;
  await rm(outDir, { recursive: true, force: true });
  const job: BuildJob = {
    bundler,
    variant: 'upload',
    root: series.root,
    entry: options.app.entry,
    outDir,
    stubCli: options.stubCli,
    server,
    release: { version, mode },
    probeUpload: true,
  };
  const serverBefore = options.server.cpuMs();
  const measured = await forkBuild(options.buildScript, job);
  const serverCpuMs = options.server.cpuMs() - serverBefore;
  const upload = measured.report.upload;
  if (!upload) throw new Error('the build finished without uploading');
  if (upload.skippedBecause) throw new Error(`nothing was uploaded: ${upload.skippedBecause}`);
  if (upload.failed.length > 0)
    throw new Error(`${upload.failed.length} symbol sets failed, first: ${upload.failed[0]}`);
  const uploadedAgain = upload.uploaded.filter((id) => known.has(id)).length;
  const unexplained = upload.alreadyPresent.filter((id) => !known.has(id));
  if (unexplained.length > 0)
    throw new Error(`${unexplained.length} sets reported present that no earlier release uploaded`);
  for (const id of [...upload.uploaded, ...upload.alreadyPresent]) known.add(id);
  const stored = await options.server.symbolSets(server.projectId);
  if (stored !== known.size)
    throw new Error(
      `the project holds ${stored} symbol sets, expected ${known.size} (every chunk id reported)`,
    );
  const output = await inspectOutput(outDir, 'upload');
  const hash = mode === 'event' ? 'event' : 'container';
  const packing = await timePacking(options, { pairs: upload.uploadedFiles, hash }, outDir);
  const sample: Omit<ReleaseSample, 'changedInPlace' | 'renamed' | 'holding'> = {
    round: series.round,
    wallMs: measured.wallMs,
    cpuMs: measured.report.cpuMs,
    uploadMs: upload.ms,
    uploadCpuMs: upload.cpuMs,
    ...(upload.mainCpuMs === undefined ? {} : { uploadMainCpuMs: upload.mainCpuMs }),
    uploadRssGrowth: upload.rssPeak - upload.rssBefore,
    packingMs: packing.ms,
    ...(packing.work ? { packingWork: packing.work } : {}),
    serverCpuMs,
    uploaded: upload.uploaded.length,
    alreadyPresent: upload.alreadyPresent.length,
    uploadedAgain,
    requests: upload.requests,
    bytesSent: upload.bytes,
    stored,
    jsFiles: output.jsFiles,
    mapBytes: output.mapBytes,
  };
  return { sample, files: await fingerprintOutput(outDir), uploaded: new Set(upload.uploaded) };
}

function describe(series: Series, step: ReleaseStepName, sample: ReleaseSample): string {
  const plain = series.plain.steps.find((done) => done.bundler === series.bundler && done.step === step);
  const withoutPlugin = plain
    ? ` (without a plugin: ${plain.changedInPlace.length} in place, ${plain.renamed.length} renamed; ` +
      `${sample.beyondBundler} sets uploaded beyond them, ${sample.unmatched} unmatched)`
    : '';
  const changed =
    step === 'A'
      ? ''
      : `; ${sample.changedInPlace.length} js changed in place, ${sample.renamed.length} renamed${withoutPlugin}`;
  return (
    `  ${series.bundler} ${series.mode} round ${series.round + 1}, ${step === 'A' ? 'release A' : `${step} changed`}: ` +
    `${sample.uploaded} sets uploaded (${formatMiB(sample.bytesSent)}), ${sample.alreadyPresent} present, ` +
    `upload ${formatMs(sample.uploadMs)} (cpu ${formatMs(sample.uploadCpuMs)}), build ${formatMs(sample.wallMs)}${changed}`
  );
}

async function releaseSeries(
  series: Series,
  targets: ReadonlyArray<{ kind: ChangeKind; file: string | undefined }>,
  record: (step: ReleaseStepName, sample: ReleaseSample, changed?: string) => void,
): Promise<void> {
  const out = (name: string) =>
    path.join(series.options.workDir, 'out', `rerelease-${series.bundler}-${series.mode}-${name}`);
  const a = await buildRelease(series, '1.0.0', out('A'));
  await buildPlain(series, 'A');
  const first = { ...a.sample, changedInPlace: [], renamed: [], holding: 0 };
  record('A', first);
  series.options.log(describe(series, 'A', first));
  try {
    // Symbol-set mode binds every chunk id to its release: one step shows it, by design.
    for (const [index, { kind, file }] of (series.mode === 'event'
      ? targets
      : targets.slice(0, 1)
    ).entries()) {
      const undo = await changeModule(series.root, file, `release-${index + 2}`);
      let b: Awaited<ReturnType<typeof buildRelease>>;
      try {
        b = await buildRelease(series, `1.0.${index + 1}`, out('B'));
        await buildPlain(series, kind);
      } finally {
        await undo();
      }
      const sample: ReleaseSample = {
        ...b.sample,
        ...compareOutputs(a.files, b.files),
        holding: file === undefined ? 0 : await mapsHolding(out('B'), file),
        ...(await beyondBundler(series, kind, out('B'), b.uploaded)),
      };
      record(kind, sample, file);
      series.options.log(describe(series, kind, sample));
      await rm(out('B'), { recursive: true, force: true });
    }
  } finally {
    await rm(out('A'), { recursive: true, force: true });
  }
}

export async function runRerelease(options: RereleaseOptions): Promise<RereleaseResult> {
  const plain: PlainBuilds = { a: new Map(), steps: [], chunks: new Map() };
  const result: RereleaseResult = { steps: [], plain: plain.steps, errors: [] };
  const root = path.join(options.workDir, 'rerelease-app');
  await rm(root, { recursive: true, force: true });
  await cp(options.app.root, root, { recursive: true });
  const targets = await Promise.all(
    options.changes.map(async (kind) => ({ kind, file: await moduleToChange(root, kind) })),
  );
  const failed = (bundler: Bundler, mode: ReleaseModeName) =>
    result.errors.some((error) => error.bundler === bundler && error.mode === mode);
  try {
    for (let round = 0; round < options.runs; round++) {
      for (const bundler of options.bundlers) {
        for (const mode of options.modes) {
          if (failed(bundler, mode)) continue;
          const series: Series = {
            options,
            root,
            bundler,
            mode,
            round,
            server: await options.server.freshProject(),
            known: new Set(),
            plain,
          };
          const record = (step: ReleaseStepName, sample: ReleaseSample, changed?: string) => {
            let entry = result.steps.find((s) => s.bundler === bundler && s.mode === mode && s.step === step);
            if (!entry) {
              entry = { bundler, mode, step, ...(changed ? { changed } : {}), samples: [] };
              result.steps.push(entry);
            }
            entry.samples.push(sample);
          };
          try {
            await releaseSeries(series, targets, record);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            result.errors.push({ bundler, mode, error: message });
            options.log(`  ${bundler} ${mode}: re-release FAILED: ${message.split('\n')[0]}`);
          }
        }
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return result;
}
