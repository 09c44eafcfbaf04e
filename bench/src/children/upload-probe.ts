// The hogmaps plugin built as its adapter builds it (core's one unplugin, from the entry the adapters
// import), with the build's finish (upload, map policy, manifest) timed from inside the process: the
// time, CPU and RSS growth of the upload itself, which a whole-build figure buries in the bundler's noise. Used by
// the re-release part only, so the build matrix keeps measuring the adapters exactly as users load them.
import type { Options, BuildReport as SessionReport } from '@hogmaps/core';
import { sampleRss } from '../measure/rss-sampler';
import { timeMainThread } from '../measure/thread-cpu';
import type { Bundler, UploadProbe } from '../variants';

let probe: UploadProbe | undefined;

/** What the last finished build uploaded and what its finish cost; undefined before one finished. */
export function probedUpload(): UploadProbe | undefined {
  return probe;
}

export async function probedHogmapsPlugin(bundler: Bundler, options: Options): Promise<unknown> {
  const { createHogmapsUnplugin } = await import('@hogmaps/core/plugin');
  const unplugin = createHogmapsUnplugin({
    // This finish hands the build to the session at once, here, as an adapter's does.
    warmUpload: true,
    async finishBuild(result, session) {
      const rss = sampleRss();
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const mainThread = timeMainThread();
      const report: SessionReport = await session.finishBuild(result);
      const cpu = process.cpuUsage(cpuBefore);
      const mainCpuMs = mainThread();
      const ms = performance.now() - started;
      const { before, peak } = rss();
      const upload = report.upload;
      const uploaded = new Set(upload?.uploaded ?? []);
      probe = {
        ms,
        cpuMs: (cpu.user + cpu.system) / 1000,
        ...(mainCpuMs === undefined ? {} : { mainCpuMs }),
        rssBefore: before,
        rssPeak: peak,
        chunks: result.chunks.length,
        uploaded: [...uploaded],
        uploadedFiles: result.chunks.flatMap((chunk) =>
          uploaded.has(chunk.chunkId) && chunk.mapPath ? [{ js: chunk.jsPath, map: chunk.mapPath }] : [],
        ),
        alreadyPresent: upload?.alreadyPresent ?? [],
        failed: (upload?.failed ?? []).map((failure) => `${failure.fileName}: ${failure.error}`),
        bytes: upload?.bytes ?? 0,
        requests: upload?.requests ?? 0,
        ...(report.skippedBecause ? { skippedBecause: report.skippedBecause } : {}),
      };
      return report;
    },
  });
  return unplugin[bundler](options);
}
