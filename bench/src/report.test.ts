import { describe, expect, test } from 'vitest';
import type { BuildSample, VariantResult } from './builds';
import { type RunResult, rereleaseTargetLine, targetLines, uploadInBuildTargetLines } from './report';
import type { PlainStep, ReleaseSample } from './rerelease';

function sample(over: Partial<ReleaseSample>): ReleaseSample {
  return {
    round: 1,
    wallMs: 1000,
    cpuMs: 1000,
    uploadMs: 100,
    uploadCpuMs: 100,
    serverCpuMs: 10,
    uploaded: 0,
    alreadyPresent: 150,
    uploadedAgain: 0,
    requests: 1,
    bytesSent: 0,
    stored: 150,
    jsFiles: 150,
    mapBytes: 30e6,
    changedInPlace: [],
    renamed: [],
    holding: 1,
    ...over,
  };
}

const files = (count: number) => Array.from({ length: count }, (_, index) => `assets/c${index}.js`);
const plainStep = (renamed: number): PlainStep => ({
  bundler: 'vite',
  step: 'route',
  jsFiles: 150,
  changedMapBytes: 0,
  changedInPlace: [],
  renamed: files(renamed),
});

describe('re-release target (issue #14 target 5)', () => {
  test('a release alone must upload nothing', () => {
    expect(rereleaseTargetLine({ bundler: 'vite', step: 'none' }, sample({}), undefined)).toMatch(
      /^- met: .*\(≤ 0\)/,
    );
    const line = rereleaseTargetLine(
      { bundler: 'vite', step: 'none' },
      sample({ uploaded: 149 }),
      plainStep(0),
    );
    expect(line).toMatch(
      /^- MISSED: vite, re-release, a new release of the same code: 149 of 150 sets uploaded \(≤ 0\)/,
    );
  });

  test('a module change may upload the chunks holding it and one more, or what the bundler itself changes', () => {
    const step = { bundler: 'vite', step: 'route' } as const;
    expect(rereleaseTargetLine(step, sample({ uploaded: 2 }), undefined)).toMatch(/^- met: .*\(≤ 2\)/);
    expect(rereleaseTargetLine(step, sample({ uploaded: 149 }), undefined)).toMatch(/^- MISSED: /);
    // The bundler alone renames 149 files, and hogmaps uploads none beyond them.
    const own = rereleaseTargetLine(step, sample({ uploaded: 149, beyondBundler: 0 }), plainStep(149));
    expect(own).toMatch(
      /^- met: .*\(≤ 2, or none beyond the bundler's own\).*without a plugin 149 change, 0 sets/,
    );
    // One set beyond the bundler's own is hogmaps' doing.
    expect(rereleaseTargetLine(step, sample({ uploaded: 150, beyondBundler: 1 }), plainStep(149))).toMatch(
      /^- MISSED: /,
    );
    // A set PostHog already held, sent again, misses either way.
    expect(
      rereleaseTargetLine(
        step,
        sample({ uploaded: 149, beyondBundler: 0, uploadedAgain: 1 }),
        plainStep(149),
      ),
    ).toMatch(/^- MISSED: /);
  });
});

describe('the upload inside a build (issue #14 targets 2 and 4)', () => {
  const step = (samples: ReleaseSample[]) => ({
    bundler: 'esbuild' as const,
    mode: 'event' as const,
    samples,
  });

  test('the finish against packing what it uploaded: the median of per-build ratios, at most 1.5×', () => {
    const lines = uploadInBuildTargetLines(
      step([
        sample({ round: 0, uploadMs: 300, packingMs: 200, uploadRssGrowth: 40 * 2 ** 20 }),
        sample({ round: 1, uploadMs: 280, packingMs: 200, uploadRssGrowth: 60 * 2 ** 20 }),
        sample({ round: 2, uploadMs: 900, packingMs: 200, uploadRssGrowth: 50 * 2 ** 20 }),
      ]),
    );
    expect(lines).toEqual([
      '- met: esbuild, the upload inside the build (release A, event mode): 300 ms, 1.50× the single-core time of packing what it uploaded (200 ms) (≤ 1.5×)',
      '- met: esbuild, the upload inside the build (release A, event mode): RSS growth at most 60 MiB (< 150 MiB)',
    ]);
    const slow = uploadInBuildTargetLines(
      step([sample({ uploadMs: 1000, packingMs: 200, uploadRssGrowth: 151 * 2 ** 20 })]),
    );
    expect(slow[0]).toMatch(/^- MISSED: .*: 1\.00 s, 5\.00× the single-core time/);
    expect(slow[1]).toMatch(/^- MISSED: .*RSS growth at most 151 MiB/);
  });

  test('beside the ratio, the least the CPU spent allows: the main thread, or all CPU over the cores', () => {
    const cpu = { uploadMs: 900, packingMs: 300, uploadCpuMs: 700, serverCpuMs: 300, uploadRssGrowth: 1 };
    // 1,000 ms of CPU over 2 cores is more than the main thread's 450 ms: 500 ms, 1.67× packing.
    expect(uploadInBuildTargetLines(step([sample({ ...cpu, uploadMainCpuMs: 450 })]), 2)[0]).toBe(
      '- MISSED: esbuild, the upload inside the build (release A, event mode): 900 ms, 3.00× the single-core ' +
        'time of packing what it uploaded (300 ms) (≤ 1.5×); its CPU allows no less than 1.67× on this ' +
        "machine (main thread 450 ms; with the server's, 1.00 s of CPU over 2 cores)",
    );
    // A busier main thread sets the floor; on one core all the CPU does.
    expect(uploadInBuildTargetLines(step([sample({ ...cpu, uploadMainCpuMs: 600 })]), 2)[0]).toMatch(
      /allows no less than 2\.00× /,
    );
    expect(uploadInBuildTargetLines(step([sample({ ...cpu, uploadMainCpuMs: 600 })]), 1)[0]).toMatch(
      /allows no less than 3\.33× /,
    );
    // Results without the main thread's figure: the ratio alone.
    expect(uploadInBuildTargetLines(step([sample(cpu)]), 2)[0]).toMatch(/\(≤ 1\.5×\)$/);
  });

  test("beside the issue's measure, the ratio against the least packing costs (reads into reused memory)", () => {
    const work = {
      readMs: 100,
      zstdMs: 60,
      shaContainerMs: 5,
      shaRawMs: 5,
      eventHashMs: 40,
      compressedBytes: 1,
    };
    const timed = { uploadMs: 300, packingMs: 200, uploadRssGrowth: 1 };
    // Event mode: read 100 → 20 ms, so 20 + 60 + 40 = 120 ms; 300 ms is 2.50× that.
    const least = uploadInBuildTargetLines(
      step([sample({ ...timed, packingWork: { ...work, readReusedMs: 20 } })]),
    )[0];
    expect(least).toMatch(/^- met: .*1\.50× the single-core time of packing/);
    expect(least).toMatch(
      /; against the least the work costs \(its files read synchronously into reused memory\), 2\.50×$/,
    );
    // Results before round 26 have no such read: no note.
    expect(uploadInBuildTargetLines(step([sample({ ...timed, packingWork: work })]))[0]).toMatch(
      /\(≤ 1\.5×\)$/,
    );
  });

  test('results written before these were measured get no line', () => {
    expect(uploadInBuildTargetLines(step([sample({})]))).toEqual([]);
    // Nothing uploaded (packing took 0 ms): no ratio either.
    expect(uploadInBuildTargetLines(step([sample({ packingMs: 0 })]))).toEqual([]);
  });
});

describe('inject-only target lines', () => {
  const build = (id: 'baseline' | 'inject', cpu: Array<[number, number]>, parts = true): VariantResult => ({
    bundler: 'rolldown',
    variant: { id, label: id === 'baseline' ? 'no plugin (baseline)' : 'hogmaps, inject only' },
    samples: cpu.map(
      ([user, system], round): BuildSample => ({
        round,
        wallMs: 1000,
        cpuMs: user + system,
        ...(parts ? { userMs: user, systemMs: system } : {}),
        peakRss: 1,
        output: { jsFiles: 1, jsBytes: 1, mapFiles: 1, mapBytes: 1, injected: id === 'inject' ? 1 : 0 },
        warnings: 0,
      }),
    ),
  });
  const run = (builds: VariantResult[]) => ({ builds, uploads: [] }) as unknown as RunResult;

  test('a system-time swing fails the CPU target, and the line shows that user time did not move', () => {
    // The baseline ran in the VM's quiet state, the plugin right after freed memory went to the host.
    const lines = targetLines(
      run([
        build('baseline', [
          [2000, 300],
          [2000, 2300],
          [2000, 300],
        ]),
        build('inject', [
          [2040, 2300],
          [2040, 300],
          [2040, 2300],
        ]),
      ]),
    );
    expect(lines).toEqual([
      '- MISSED: rolldown, hogmaps, inject only: wall 1.00×, CPU 1.89× (user 1.02×, system 7.67×) (≤ 1.05× both)',
    ]);
  });

  test('results written before the split keep their line', () => {
    const lines = targetLines(
      run([build('baseline', [[1000, 0]], false), build('inject', [[1020, 0]], false)]),
    );
    expect(lines).toEqual(['- met: rolldown, hogmaps, inject only: wall 1.00×, CPU 1.02× (≤ 1.05× both)']);
  });
});

describe('upload pipeline target lines', () => {
  const upload = (
    latency?: { apiMs: number; storageMs: number },
    mainCpuMs?: number,
    readReusedMs?: number,
  ): RunResult =>
    ({
      machine: { cores: 2 },
      builds: [],
      uploads: [
        {
          label: '30 × 1 MiB',
          sets: 30,
          totalBytes: 30 * 1024 * 1024,
          ...(latency ? { latency } : {}),
          samples: [
            {
              stored: 30,
              wallMs: 900,
              serverCpuMs: 100,
              report: {
                bytes: 30 * 1024 * 1024,
                uploadMs: 800,
                cpuMs: 400,
                ...(mainCpuMs === undefined ? {} : { mainCpuMs }),
                requests: 33,
                uploaded: 30,
                failed: [],
                rssBefore: 0,
                rssPeak: 50 * 1024 * 1024,
                work: {
                  readMs: 20,
                  ...(readReusedMs === undefined ? {} : { readReusedMs }),
                  zstdMs: 60,
                  shaContainerMs: 20,
                  shaRawMs: 40,
                  compressedBytes: 1,
                },
                zstd: 'test',
              },
            },
          ],
        },
      ],
    }) as unknown as RunResult;

  test('a run against a distant server informs: the targets are for one on this machine', () => {
    expect(targetLines(upload())[0]).toBe(
      '- MISSED: upload of 30 × 1 MiB at 0.13× the single-core speed of its work (≥ 0.75×)',
    );
    expect(targetLines(upload({ apiMs: 100, storageMs: 30 }))[0]).toBe(
      '- info: upload of 30 × 1 MiB at 0.13× the single-core speed of its work (≥ 0.75×)',
    );
  });

  test('beside the target, the most the CPU spent allows: the main thread, or all CPU over the cores', () => {
    // Work 100 ms; the client 400 ms of CPU, the server 100 ms: 250 ms over 2 cores.
    expect(targetLines(upload(undefined, 300))[0]).toBe(
      '- MISSED: upload of 30 × 1 MiB at 0.13× the single-core speed of its work (≥ 0.75×); its CPU allows ' +
        "no more than 0.33× on this machine (main thread 300 ms; with the server's, 500 ms of CPU over 2 cores)",
    );
    expect(targetLines(upload(undefined, 200))[0]).toMatch(
      /; its CPU allows no more than 0\.40× on this machine/,
    );
    // Against a distant server the server's CPU is not what a remote one would spend: no floor.
    expect(targetLines(upload({ apiMs: 100, storageMs: 30 }, 300))[0]).not.toContain('allows');
  });

  test("beside the issue's measure, the ratio against the least the work costs (reads into reused memory)", () => {
    // The work's read 20 → 4 ms: 84 ms of work against 800 ms of upload.
    expect(targetLines(upload(undefined, undefined, 4))[0]).toBe(
      '- MISSED: upload of 30 × 1 MiB at 0.13× the single-core speed of its work (≥ 0.75×); against the ' +
        'least the work costs (its files read synchronously into reused memory), 0.10×',
    );
  });
});
