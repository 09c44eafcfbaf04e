// The hogmaps plugin built as its adapter builds it (core's one unplugin, from the entry the adapters
// import), with the build's finish (upload, map policy, manifest) timed from inside the process: the
// time and CPU of the upload itself, which a whole-build figure buries in the bundler's noise. Used by
// the re-release part only, so the build matrix keeps measuring the adapters exactly as users load them.
import type { Options, BuildReport as SessionReport } from '@hogmaps/core';
import type { Bundler, UploadProbe } from '../variants';

let probe: UploadProbe | undefined;

/** What the last finished build uploaded and what its finish cost; undefined before one finished. */
export function probedUpload(): UploadProbe | undefined {
  return probe;
}

export async function probedHogmapsPlugin(bundler: Bundler, options: Options): Promise<unknown> {
  const { createHogmapsUnplugin } = await import('@hogmaps/core/plugin');
  const unplugin = createHogmapsUnplugin({
    async finishBuild(result, session) {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const report: SessionReport = await session.finishBuild(result);
      const cpu = process.cpuUsage(cpuBefore);
      const upload = report.upload;
      probe = {
        ms: performance.now() - started,
        cpuMs: (cpu.user + cpu.system) / 1000,
        chunks: result.chunks.length,
        uploaded: upload?.uploaded ?? [],
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
