// The single-core time of packing what a build uploaded (read, zstd 3, the content hash), in a
// process of its own after the build, so the build's own figures do not carry it (issue #14 target 2).
import { readFile } from 'node:fs/promises';
import { fastestPackingWork, type PackingHash, type PackingWork, type PairFiles } from '../measure/pack-work';

/** The job is a JSON file (argv[2]): a large build's paths outgrow one argument (128 KiB on Linux). */
export interface PackJob {
  pairs: PairFiles[];
  hash: PackingHash;
}

export type PackChildReport = PackingWork;

async function main(): Promise<void> {
  const job = JSON.parse(await readFile(process.argv[2] ?? '', 'utf8')) as PackJob;
  const report: PackChildReport = await fastestPackingWork(job.pairs, job.hash);
  process.send?.(report, () => process.disconnect());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
  process.disconnect?.();
});
