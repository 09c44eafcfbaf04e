// One measured build in a fresh Node process (forked by the runner with the job as JSON in argv[2]).
// It reports, then lets the process end by itself: a plugin that leaves a handle open shows up as a
// longer wall time in the parent, as it would for a user.
import { cpuTimesOf, descendantsOf } from '../measure/fork-measured';
import type { BuildJob, BuildReport } from '../variants';
import { RUNNERS } from './bundlers';
import { probedUpload } from './upload-probe';

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as BuildJob;
  const warnings: string[] = [];
  await RUNNERS[job.bundler](job, warnings);
  const usage = process.resourceUsage();
  // esbuild's service is a child process, still alive here: its CPU time counts too.
  const children = descendantsOf(process.pid).map(cpuTimesOf);
  const userMs = usage.userCPUTime / 1000 + children.reduce((sum, times) => sum + times.userMs, 0);
  const systemMs = usage.systemCPUTime / 1000 + children.reduce((sum, times) => sum + times.systemMs, 0);
  const report: BuildReport = {
    childMs: performance.now(),
    cpuMs: userMs + systemMs,
    userMs,
    systemMs,
    maxRss: usage.maxRSS * 1024,
    warnings,
    ...(job.probeUpload ? { upload: probedUpload() } : {}),
  };
  process.send?.(report, () => process.disconnect());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
  process.disconnect?.();
});
