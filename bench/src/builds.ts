// The build matrix: every variant of every bundler, `runs` rounds each. Within a bundler the variants
// take turns (the order rotates each round), so a change in machine load hits them alike, and each
// variant's ratio is taken against the baseline of the same round.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { GeneratedApp } from './app/generate';
import { inspectOutput, type OutputSummary } from './inspect-output';
import type { LocalServer } from './local-server';
import { forkMeasured, reportOf } from './measure/fork-measured';
import { formatMiB, formatMs } from './measure/stats';
import {
  type BuildJob,
  type BuildReport,
  type Bundler,
  type Variant,
  type VariantId,
  variantsFor,
} from './variants';

export interface BuildSample {
  round: number;
  wallMs: number;
  /** CPU time of the build (see BuildReport.cpuMs): far less sensitive than wall time to other load. */
  cpuMs: number;
  /** Its user and system parts (absent in results written before they were recorded). */
  userMs?: number;
  systemMs?: number;
  /** Peak RSS: the larger of the sampled process-tree RSS and the Node process's own high-water mark. */
  peakRss: number;
  output: OutputSummary;
  /** For `upload`: symbol sets the server holds afterwards. */
  uploaded?: number;
  warnings: number;
}

export interface VariantResult {
  bundler: Bundler;
  variant: Variant;
  samples: BuildSample[];
  /** Why this variant could not be measured. */
  error?: string;
}

/** What every part that builds the app needs: the app, where to work, the build child, the server. */
export interface BuildEnvironment {
  app: GeneratedApp;
  workDir: string;
  buildScript: string;
  server: LocalServer;
  stubCli: string;
  log: (line: string) => void;
}

export interface BuildMatrixOptions extends BuildEnvironment {
  bundlers: readonly Bundler[];
  /** The variants to run where they exist (the baseline always runs: ratios are taken against it). */
  variants: readonly VariantId[];
  runs: number;
  warmup: number;
}

/** The environment of a build: no PostHog or Sentry settings leak in from the shell. */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(POSTHOG_|SENTRY_)/.test(key)));
}

/** Runs one build child in the app's folder; throws with the tail of its output when it fails. */
export async function forkBuild(buildScript: string, job: BuildJob) {
  const measured = await forkMeasured<BuildReport>(buildScript, [JSON.stringify(job)], {
    env: childEnv(),
    cwd: job.root,
  });
  return { ...measured, report: reportOf(measured, 'the build') };
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

async function runOne(options: BuildMatrixOptions, bundler: Bundler, variant: Variant, round: number) {
  const outDir = path.join(options.workDir, 'out', `${bundler}-${variant.id}`);
  await rm(outDir, { recursive: true, force: true });
  const job: BuildJob = {
    bundler,
    variant: variant.id,
    root: options.app.root,
    entry: options.app.entry,
    outDir,
    stubCli: options.stubCli,
    ...(variant.id === 'upload' ? { server: await options.server.freshProject() } : {}),
  };
  const measured = await forkBuild(options.buildScript, job);
  const sample: BuildSample = {
    round,
    wallMs: measured.wallMs,
    cpuMs: measured.report.cpuMs,
    userMs: measured.report.userMs,
    systemMs: measured.report.systemMs,
    peakRss: Math.max(measured.treeRss, measured.report.maxRss),
    output: await inspectOutput(outDir, variant.id),
    warnings: measured.report.warnings.length,
  };
  if (job.server) sample.uploaded = await options.server.symbolSets(job.server.projectId);
  await rm(outDir, { recursive: true, force: true });
  return sample;
}

export async function runBuildMatrix(options: BuildMatrixOptions): Promise<VariantResult[]> {
  const results: VariantResult[] = [];
  for (const bundler of options.bundlers) {
    const variants = variantsFor(bundler).filter((variant) => options.variants.includes(variant.id));
    const mine = variants.map((variant): VariantResult => ({ bundler, variant, samples: [] }));
    results.push(...mine);
    for (let w = 0; w < options.warmup; w++) {
      await runOne(options, bundler, variants[0]!, -1).catch(() => undefined);
    }
    for (let round = 0; round < options.runs; round++) {
      for (const result of rotate(mine, round)) {
        if (result.error) continue;
        try {
          const sample = await runOne(options, bundler, result.variant, round);
          result.samples.push(sample);
          const uploaded = sample.uploaded === undefined ? '' : `, ${sample.uploaded} sets uploaded`;
          options.log(
            `  ${bundler} round ${round + 1}: ${result.variant.label}: ${formatMs(sample.wallMs)} (cpu ${formatMs(sample.cpuMs)}: user ${formatMs(sample.userMs ?? 0)}, system ${formatMs(sample.systemMs ?? 0)}), ${formatMiB(sample.peakRss)}, ` +
              `${sample.output.jsFiles} js (${sample.output.injected} injected)${uploaded}`,
          );
        } catch (error) {
          result.error = error instanceof Error ? error.message : String(error);
          options.log(`  ${bundler}: ${result.variant.label} FAILED: ${result.error.split('\n')[0]}`);
        }
      }
    }
  }
  return results;
}
