// `pnpm bench --load`: what loading hogmaps costs a build, per bundler. Each sample is a fresh process
// (children/load-child.ts) that imports the bundler, then the adapter, then creates the plugin. With
// `--load-against DIR` (another checkout, installed and built), its packages are sampled in the same
// rounds, alternating which goes first, and the table adds the median of the per-round ratios.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadSample } from './children/load-child';
import { forkMeasured, reportOf } from './measure/fork-measured';
import { median } from './measure/stats';
import type { Bundler } from './variants';

/** Issue #14's target for importing an adapter and creating its plugin. */
export const LOAD_TARGET_MS = 30;

export interface LoadCheckout {
  label: string;
  /** The checkout's root: its built adapters are `packages/<bundler>/dist/index.js`. */
  root: string;
  /**
   * `this` and `against` (`--load-against`) load the adapter; `unplugin` imports unplugin's package
   * alone, as core resolves it: what a plugin that imports unplugin at run time loads before its own code
   * (core bundles it instead).
   */
  role: 'this' | 'against' | 'unplugin';
}

export interface LoadResult {
  bundler: Bundler;
  checkout: LoadCheckout;
  samples: LoadSample[];
}

export async function runLoadBench(options: {
  checkouts: LoadCheckout[];
  bundlers: Bundler[];
  rounds: number;
  script: string;
  log: (line: string) => void;
}): Promise<LoadResult[]> {
  const { checkouts, bundlers, rounds, script, log } = options;
  for (const { root, role } of checkouts) {
    for (const bundler of role === 'unplugin' ? [] : bundlers) {
      const adapter = path.join(root, 'packages', bundler, 'dist', 'index.js');
      if (!existsSync(adapter)) throw new Error(`${adapter} is missing: run \`pnpm build\` in ${root}`);
    }
  }
  const results = bundlers.flatMap((bundler) =>
    checkouts.map((checkout) => ({ bundler, checkout, samples: [] as LoadSample[] })),
  );
  for (let round = 0; round < rounds; round++) {
    log(`load: round ${round + 1} of ${rounds}`);
    for (const bundler of bundlers) {
      const order = round % 2 === 0 ? checkouts : [...checkouts].reverse();
      for (const checkout of order) {
        const what = checkout.role === 'unplugin' ? 'unplugin' : 'adapter';
        const run = await forkMeasured<LoadSample>(script, [bundler, checkout.root, what]);
        const sample = reportOf(run, `loading @hogmaps/${bundler} (${checkout.label})`);
        results.find((r) => r.bundler === bundler && r.checkout === checkout)!.samples.push(sample);
      }
    }
  }
  return results;
}

const loadCpu = (sample: LoadSample) => sample.adapter.cpuMs + sample.create.cpuMs;
const loadWall = (sample: LoadSample) => sample.adapter.wallMs + sample.create.wallMs;
const ms = (value: number) => `${value.toFixed(1)}`;

/** `min / median` of one measure over the samples. */
function spread(samples: readonly LoadSample[], measure: (sample: LoadSample) => number): string {
  const values = samples.map(measure);
  return `${ms(Math.min(...values))} / ${ms(median(values))}`;
}

/** The markdown table: per bundler and checkout, min / median in ms, and this checkout ÷ the other. */
export function loadTable(results: readonly LoadResult[]): string {
  const compare = results.some((result) => result.checkout.role === 'against');
  const header = [
    'bundler',
    'packages',
    'bundler import CPU',
    'import CPU',
    'import wall',
    'create CPU',
    `load CPU (import + create), target ≤ ${LOAD_TARGET_MS} ms`,
    'load wall',
    ...(compare ? ['load CPU, this ÷ against (median of rounds)'] : []),
  ];
  const rows = results.map((result) => {
    const against = results.find((r) => r.bundler === result.bundler && r.checkout.role === 'against');
    const ratio =
      against && result.checkout.role === 'this'
        ? `${median(result.samples.map((sample, i) => loadCpu(sample) / loadCpu(against.samples[i]!))).toFixed(2)}×`
        : '–';
    const best = Math.min(...result.samples.map(loadCpu));
    return [
      result.bundler,
      result.checkout.label,
      spread(result.samples, (s) => s.bundler.cpuMs),
      spread(result.samples, (s) => s.adapter.cpuMs),
      spread(result.samples, (s) => s.adapter.wallMs),
      spread(result.samples, (s) => s.create.cpuMs),
      `${spread(result.samples, loadCpu)} ${best <= LOAD_TARGET_MS ? '(min within)' : '(min above)'}`,
      spread(result.samples, loadWall),
      ...(compare ? [ratio] : []),
    ];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
    '',
    'Times in ms, min / median over the rounds; each sample is a fresh process. "unplugin alone" imports',
    "unplugin's package and nothing else after the bundler: what a plugin importing unplugin at run time loads before its own code (core bundles it).",
  ].join('\n');
}

/** Runs the load benchmark and returns its table with the machine's load before and after. */
export async function loadReport(options: Parameters<typeof runLoadBench>[0]): Promise<string> {
  const started = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const loadStart = os.loadavg()[0]!;
  const results = await runLoadBench(options);
  const loadEnd = os.loadavg()[0]!;
  return [
    `Plugin load, ${started}, ${options.rounds} rounds, Node ${process.version}; ` +
      `1-minute load average ${loadStart.toFixed(1)} → ${loadEnd.toFixed(1)}.`,
    '',
    loadTable(results),
  ].join('\n');
}
