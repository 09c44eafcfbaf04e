// The upload benchmark: `runs` fresh processes, each uploading the same N sets into a fresh project.
import type { UploadChildReport, UploadJob } from './children/upload-child';
import type { LocalServer } from './local-server';
import { forkMeasured, reportOf } from './measure/fork-measured';
import { leastPackingMs, packingMs } from './measure/pack-work';
import { MB, MiB } from './measure/stats';
import type { SymbolSetFiles } from './upload/sets';

export interface UploadSample {
  report: UploadChildReport;
  /** Symbol sets the server holds afterwards. */
  stored: number;
  wallMs: number;
  /** CPU time of the local server process during the run, in ms. */
  serverCpuMs: number;
}

export interface UploadBenchOptions {
  files: SymbolSetFiles;
  runs: number;
  script: string;
  server: LocalServer;
  log: (line: string) => void;
}

/** MB/s (10^6 bytes) of raw JS + map bytes. */
export function throughput(bytes: number, ms: number): number {
  return bytes / MB / (ms / 1000);
}

export function workMs(report: UploadChildReport): number {
  return packingMs(report.work);
}

/** workMs with the least the read costs (pack-work.ts); undefined in results before round 26. */
export function leastWorkMs(report: UploadChildReport): number | undefined {
  return leastPackingMs(report.work);
}

export async function runUploadBench(options: UploadBenchOptions): Promise<UploadSample[]> {
  const samples: UploadSample[] = [];
  for (let run = 0; run < options.runs; run++) {
    const server = await options.server.freshProject();
    const job: UploadJob = { sets: options.files.sets, server };
    const serverBefore = options.server.cpuMs();
    const measured = await forkMeasured<UploadChildReport>(options.script, [JSON.stringify(job)]);
    const serverCpuMs = options.server.cpuMs() - serverBefore;
    const report = reportOf(measured, 'the upload child');
    const stored = await options.server.symbolSets(server.projectId);
    samples.push({ report, stored, wallMs: measured.wallMs, serverCpuMs });
    options.log(
      `  upload run ${run + 1}: ${throughput(report.bytes, report.uploadMs).toFixed(0)} MB/s ` +
        `(work on one core: ${throughput(report.bytes, workMs(report)).toFixed(0)} MB/s), ` +
        `${report.requests} requests, CPU client ${report.cpuMs.toFixed(0)} ms / server ${serverCpuMs.toFixed(0)} ms, RSS +${((report.rssPeak - report.rssBefore) / MiB).toFixed(0)} MiB, ` +
        `${stored}/${options.files.sets.length} stored${report.failed.length ? `, ${report.failed.length} FAILED` : ''}`,
    );
  }
  return samples;
}
