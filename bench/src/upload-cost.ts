// The upload's CPU cost per MB of maps (issue #14 target 4: the upload's time grows linearly with the
// bytes), from one result or side by side over several (default and large size). Two estimates:
// the build matrix's upload variant minus inject only in the same round (two whole builds, so the
// bundler's noise is in it), and the re-release part's release A, whose upload is timed inside the
// build (children/upload-probe.ts).
import { MB, median } from './measure/stats';
import type { RunResult } from './report';

export interface UploadCost {
  bundler: string;
  method: 'upload − inject only' | 'release A, timed inside';
  /** Median CPU of the upload, ms, and (timed inside only: a difference has no useful minimum) the minimum. */
  cpuMs: number;
  minCpuMs?: number;
  mapBytes: number;
  rounds: number;
}

const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;

function fromMatrix(result: RunResult): UploadCost[] {
  const costs: UploadCost[] = [];
  for (const upload of result.builds.filter((build) => build.variant.id === 'upload')) {
    const inject = result.builds.find((b) => b.bundler === upload.bundler && b.variant.id === 'inject');
    const byRound = new Map(inject?.samples.map((sample) => [sample.round, sample]));
    const paired = upload.samples.flatMap((sample) => {
      const other = byRound.get(sample.round);
      return other ? [{ cpu: sample.cpuMs - other.cpuMs, maps: other.output.mapBytes }] : [];
    });
    if (paired.length === 0) continue;
    const cpu = paired.map((pair) => pair.cpu);
    costs.push({
      bundler: upload.bundler,
      method: 'upload − inject only',
      cpuMs: median(cpu),
      mapBytes: median(paired.map((pair) => pair.maps)),
      rounds: paired.length,
    });
  }
  return costs;
}

function fromRerelease(result: RunResult): UploadCost[] {
  return (result.rerelease?.steps ?? [])
    .filter((step) => step.step === 'A' && step.mode === 'event' && step.samples.length > 0)
    .map((step) => {
      const cpu = step.samples.map((sample) => sample.uploadCpuMs);
      return {
        bundler: step.bundler,
        method: 'release A, timed inside' as const,
        cpuMs: median(cpu),
        minCpuMs: Math.min(...cpu),
        mapBytes: median(step.samples.map((sample) => sample.mapBytes)),
        rounds: cpu.length,
      };
    });
}

export function uploadCosts(result: RunResult): UploadCost[] {
  return [...fromMatrix(result), ...fromRerelease(result)];
}

const perMb = (cost: UploadCost, cpu = cost.cpuMs) => cpu / (cost.mapBytes / MB);

function cell(cost: UploadCost | undefined): string {
  if (!cost || cost.mapBytes === 0) return '–';
  const min =
    cost.rounds > 1 && cost.minCpuMs !== undefined ? `, min ${perMb(cost, cost.minCpuMs).toFixed(0)}` : '';
  return `${perMb(cost).toFixed(0)} ms/MB${min} (${(cost.cpuMs / 1000).toFixed(2)} s, ${(cost.mapBytes / MB).toFixed(1)} MB)`;
}

function label(result: RunResult): string {
  return result.size ?? `${result.app.modules} modules`;
}

/**
 * One row per bundler and method, one column per size (results of the same size, e.g. one run per
 * bundler, share a column), and the last size ÷ the first when there are two or more.
 */
export function uploadCostTable(results: readonly RunResult[]): string[] {
  const columns = new Map<string, UploadCost[]>();
  for (const result of results)
    columns.set(label(result), [...(columns.get(label(result)) ?? []), ...uploadCosts(result)]);
  const labels = [...columns.keys()];
  const costs = [...columns.values()];
  const keys = [...new Set(costs.flat().map((cost) => `${cost.bundler}\0${cost.method}`))];
  if (keys.length === 0) return [];
  const compare = labels.length > 1;
  const lines = [
    row([
      'bundler',
      'upload CPU measured as',
      ...labels.map((name) => `${name}: CPU per MB of maps`),
      ...(compare ? [`${labels.at(-1)} ÷ ${labels[0]} per MB (1 = linear)`] : []),
    ]),
    row(Array(2 + labels.length + (compare ? 1 : 0)).fill('---')),
  ];
  for (const key of keys) {
    const [bundler, method] = key.split('\0') as [string, string];
    const mine = costs.map((list) => list.find((cost) => cost.bundler === bundler && cost.method === method));
    const first = mine[0];
    const last = mine.at(-1);
    // The marginal cost (what the extra MB cost) beside the ratio: a fixed cost (undici's load, the
    // release) makes the smaller size's per-MB figure larger without the growth being non-linear.
    const ratio =
      first && last && first.mapBytes && last.mapBytes > first.mapBytes
        ? `${(perMb(last) / perMb(first)).toFixed(2)}× (extra MB: ${((last.cpuMs - first.cpuMs) / ((last.mapBytes - first.mapBytes) / MB)).toFixed(0)} ms/MB)`
        : '–';
    lines.push(row([bundler, method, ...mine.map(cell), ...(compare ? [ratio] : [])]));
  }
  return lines;
}

/** The section of the report; empty when nothing in the results measures an upload inside a build. */
export function uploadCostSection(results: readonly RunResult[]): string[] {
  const table = uploadCostTable(results);
  if (table.length === 0) return [];
  return [
    '### Upload CPU per MB of maps',
    '',
    ...table,
    '',
    '- Medians over rounds (min beside them with several rounds). "upload − inject only": CPU of two whole builds of the same round, so their noise is in it; "release A": the upload timed inside the build (re-release part, event mode).',
    '',
  ];
}
