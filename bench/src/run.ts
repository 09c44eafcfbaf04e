// `pnpm bench [--size small|default|large] [--runs N] [--bundlers vite,rollup] [--variants baseline,upload]
// [--upload 30x1,150x0.2] [--rerelease]`
// Generates the app, runs the build matrix, the upload benchmark and the re-release series, prints
// markdown tables and writes the raw results as JSON under bench/.work/results/.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateApp } from './app/generate';
import { SIZES, type SizeName } from './app/shape';
import { runBuildMatrix } from './builds';
import { loadReport } from './load';
import { type Latency, startLocalServer } from './local-server';
import { machineInfo } from './machine';
import { markdownReport, type RunResult } from './report';
import { parseModes, runRerelease } from './rerelease';
import { parseChanges } from './rerelease-edits';
import { generateSets } from './upload/sets';
import { uploadCostSection } from './upload-cost';
import { runUploadBench } from './uploads';
import { parseBundlers, parseVariants } from './variants';

const USAGE = `usage: pnpm bench [options]
  --size small|default|large   app size (default: default = ~3,000 modules, ~150 chunks, ~30 MB of
                         maps; small is a tenth of it, large ten times it)
  --runs N               measured builds per variant (default: 3; small: 5; large: 1)
  --warmup N             unmeasured baseline builds per bundler first (default: 1; large: 0)
  --bundlers a,b         among vite,rollup,rolldown,webpack,rspack,esbuild (default: all)
  --variants a,b         among baseline,inject,upload,sentry,posthog (default: all that run there),
                         and the references read and rewrite (vite, rollup, rolldown) and
                         placeholder (vite, rolldown), run only when named: what target 1 costs at
                         least, by how the id gets in (children/reference-plugins.ts)
  --upload NxM,...       symbol-set uploads: N sets of M MiB (default: 30x1,150x0.2; small: 10x1)
  --upload-runs N        upload runs per configuration (default: 3)
  --upload-latency A,S   the uploads go to a server that answers each API request A ms and each
                         storage request S ms late, as a distant PostHog does (e.g. 100,30)
  --changes a,b          re-release: what release B changes, among none (the same code), route,
                         shared, vendor (one module); default: all, each its own B after the same A;
                         --changes= : release A alone (e.g. its upload's cost per MB at large size)
  --release-modes a,b    re-release: among event,symbol-set (default: both; symbol-set: A and the
                         first change only)
  --rerelease-runs N     re-release series per bundler and mode (default: 1)
  --rerelease            only the re-release part (as --no-builds --no-upload)
  --no-builds / --no-upload / --no-rerelease   skip a part
  --compare A.json,B.json   print the upload's CPU per MB of maps from result files side by side
                         (e.g. a default and a large run), and run nothing
  --load                 only measure loading each adapter (import + create, fresh process per sample;
                         --runs rounds, default 10); --load-against DIR also samples DIR's built packages,
                         and runs nothing else
  --markdown FILE        also write the tables to FILE`;

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = (name: string) => path.join(benchDir, 'dist', 'children', `${name}.js`);
const log = (line: string) => process.stderr.write(`${line}\n`);

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} expects a non-negative integer, got ${value}`);
  return n;
}

function parseUploads(value: string): Array<{ sets: number; mib: number }> {
  return value.split(',').map((spec) => {
    const match = /^(\d+)x(\d+(?:\.\d+)?)$/.exec(spec.trim());
    if (!match) throw new Error(`--upload expects NxM (N sets of M MiB), got ${spec}`);
    return { sets: Number(match[1]), mib: Number(match[2]) };
  });
}

function parseLatency(value: string | undefined): Latency | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+),(\d+)$/.exec(value.trim());
  if (!match) throw new Error(`--upload-latency expects API,storage in ms (e.g. 100,30), got ${value}`);
  return { apiMs: Number(match[1]), storageMs: Number(match[2]) };
}

/** Result files written by earlier runs, checked enough to be read as results. */
async function readResults(list: string): Promise<RunResult[]> {
  return Promise.all(
    list.split(',').map(async (file) => {
      const data = JSON.parse(await readFile(file.trim(), 'utf8')) as Partial<RunResult>;
      if (!data || !Array.isArray(data.builds) || !data.app || typeof data.command !== 'string')
        throw new Error(`${file} is not a bench result (bench/.work/results/*.json)`);
      return data as RunResult;
    }),
  );
}

/** Stands in for posthog-cli: prints a release id for `release resolve`, swallows the file list of `upload`. */
async function writeStubCli(workDir: string): Promise<string> {
  const file = path.join(workDir, 'posthog-cli-stub');
  await writeFile(
    file,
    '#!/bin/sh\nif [ "$1" = release ]; then echo 0190a4f2-7a1b-7c3d-8e4f-5a6b7c8d9e0f; exit 0; fi\ncat > /dev/null\nexit 0\n',
  );
  await chmod(file, 0o755);
  return file;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'default' },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      bundlers: { type: 'string' },
      variants: { type: 'string' },
      upload: { type: 'string' },
      'upload-runs': { type: 'string' },
      'upload-latency': { type: 'string' },
      'no-builds': { type: 'boolean', default: false },
      'no-upload': { type: 'boolean', default: false },
      'no-rerelease': { type: 'boolean', default: false },
      rerelease: { type: 'boolean', default: false },
      changes: { type: 'string' },
      'release-modes': { type: 'string' },
      'rerelease-runs': { type: 'string' },
      compare: { type: 'string' },
      load: { type: 'boolean', default: false },
      'load-against': { type: 'string' },
      markdown: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  if (values.compare)
    return void console.log(uploadCostSection(await readResults(values.compare)).join('\n'));
  if (values.load) {
    const against = values['load-against'];
    const markdown = await loadReport({
      checkouts: [
        { label: 'this checkout', root: path.resolve(benchDir, '..'), role: 'this' },
        ...(against ? [{ label: against, root: path.resolve(against), role: 'against' as const }] : []),
        { label: 'unplugin alone', root: path.resolve(benchDir, '..'), role: 'unplugin' },
      ],
      bundlers: parseBundlers(values.bundlers),
      rounds: positive(values.runs, 10, 'runs'),
      script: script('load-child'),
      log,
    });
    console.log(markdown);
    if (values.markdown) await writeFile(values.markdown, `${markdown}\n`);
    return;
  }
  if (!(values.size! in SIZES)) throw new Error(`--size expects small, default or large, got ${values.size}`);
  const size = values.size as SizeName;
  const small = size === 'small';
  const large = size === 'large';
  const runs = positive(values.runs, small ? 5 : large ? 1 : 3, 'runs');
  const warmup = positive(values.warmup, large ? 0 : 1, 'warmup');
  const only = values.rerelease;
  const bundlersToBuild = parseBundlers(values.bundlers);
  const bundlers = values['no-builds'] || only ? [] : bundlersToBuild;
  const variants = parseVariants(values.variants);
  const uploads =
    values['no-upload'] || only ? [] : parseUploads(values.upload ?? (small ? '10x1' : '30x1,150x0.2'));
  const uploadRuns = positive(values['upload-runs'], 3, 'upload-runs');
  const latency = parseLatency(values['upload-latency']);
  const rerelease = {
    bundlers: values['no-rerelease'] ? [] : bundlersToBuild,
    changes: parseChanges(values.changes),
    modes: parseModes(values['release-modes']),
    runs: positive(values['rerelease-runs'], 1, 'rerelease-runs'),
  };

  const workDir = path.join(benchDir, '.work');
  await mkdir(workDir, { recursive: true });
  const startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const command = `pnpm bench ${process.argv.slice(2).join(' ')}`.trim();
  const machine = await machineInfo(benchDir);
  log(
    `hogmaps bench: ${size} app, ${runs} runs, ${bundlers.join(', ') || 'no builds'}; load ${machine.loadStart.toFixed(1)}`,
  );

  const app = await generateApp(path.join(workDir, `app-${size}`), SIZES[size]);
  log(`app: ${app.modules} modules, ${(app.sourceBytes / 1e6).toFixed(1)} MB of source in ${app.root}`);
  const dataDir = path.join(workDir, 'server-data');
  await rm(dataDir, { recursive: true, force: true });
  const server = await startLocalServer(script('server-child'), dataDir);
  machine.server = server.runtime;
  const result: RunResult = { command, size, startedAt, machine, app, runs, builds: [], uploads: [] };
  try {
    const stubCli = await writeStubCli(workDir);
    const environment = { app, workDir, buildScript: script('build-child'), server, stubCli, log };
    result.builds = await runBuildMatrix({ ...environment, bundlers, variants, runs, warmup });
    // With latency, the uploads get a server of their own: builds and re-releases keep a near one.
    const uploadServer =
      latency && uploads.length > 0
        ? await startLocalServer(script('server-child'), `${dataDir}-latency`, latency)
        : server;
    try {
      for (const { sets, mib } of uploads) {
        const files = await generateSets(app.root, path.join(workDir, `sets-${sets}x${mib}`), sets, mib);
        const label = `${sets} × ${mib} MiB${latency ? `, API +${latency.apiMs} ms, storage +${latency.storageMs} ms` : ''}`;
        log(`upload: ${label}, ${(files.totalBytes / 1e6).toFixed(1)} MB`);
        const samples = await runUploadBench({
          files,
          runs: uploadRuns,
          script: script('upload-child'),
          server: uploadServer,
          log,
        });
        result.uploads.push({
          label,
          sets,
          totalBytes: files.totalBytes,
          samples,
          ...(latency ? { latency } : {}),
        });
      }
    } finally {
      if (uploadServer !== server) await uploadServer.close();
      await rm(`${dataDir}-latency`, { recursive: true, force: true });
    }
    if (rerelease.bundlers.length > 0 && rerelease.runs > 0) {
      log(
        `re-release: ${rerelease.modes.join(' and ')} mode; B: ${rerelease.changes.join(', ') || '(release A alone)'}`,
      );
      result.rerelease = await runRerelease({
        ...environment,
        ...rerelease,
        packScript: script('pack-child'),
      });
    }
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  result.machine.loadEnd = os.loadavg()[0]!;

  const markdown = markdownReport(result);
  console.log(markdown);
  const resultsDir = path.join(workDir, 'results');
  await mkdir(resultsDir, { recursive: true });
  const json = path.join(resultsDir, `${startedAt.replace(/[:]/g, '-')}-${size}.json`);
  await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
  if (values.markdown) await writeFile(values.markdown, `${markdown}\n`);
  log(`raw results: ${json}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
