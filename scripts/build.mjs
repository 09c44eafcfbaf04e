#!/usr/bin/env node
// `pnpm build` (every folder under packages/, found by listing it) and each package's own `build`
// (`node ../../scripts/build.mjs .`). One recipe for all, and nothing is rebuilt when it is up to date:
//
//   1. JavaScript: the package's tsup config over the shared recipe in tsup.base.ts (ESM + CJS).
//   2. Declarations: one tsc program over every package's sources (tsconfig.build.json) into a cache,
//      then each entry named by the package's exports is bundled with rollup-plugin-dts into
//      dist/<entry>.d.ts and an identical dist/<entry>.d.cts (what tsup's own dts step produced, minus a
//      type-check of core's sources per package).
//
// A package is up to date when its inputs (sources without tests, package.json, tsup config, the shared
// recipe, the lockfile) hash to what the last build recorded and every file it wrote is still there,
// unchanged. `--force` rebuilds anyway.
//
//   node scripts/build.mjs [--force] [package folder ...]
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLock } from './build-lock.mjs';
import { runCommand } from './run-command.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = path.join(ROOT, '.cache/hogmaps-build');
const TYPES = path.join(CACHE, 'types');
const SHARED_INPUTS = ['tsup.base.ts', 'tsconfig.base.json', 'tsconfig.build.json', 'pnpm-lock.yaml'];
const SHARED_SCRIPTS = ['scripts/build.mjs', 'scripts/build-lock.mjs', 'scripts/bundled-licenses.mjs'];
const require = createRequire(import.meta.url);

const args = process.argv.slice(2);
const force = args.includes('--force');
const named = args.filter((arg) => !arg.startsWith('--'));

/** Every package folder under packages/ (or the ones named on the command line). */
function selectPackages() {
  const dirs =
    named.length > 0
      ? named.map((dir) => path.resolve(dir))
      : readdirSync(path.join(ROOT, 'packages'), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => path.join(ROOT, 'packages', entry.name));
  return dirs
    .filter((dir) => existsSync(path.join(dir, 'package.json')))
    .map((dir) => {
      if (path.dirname(dir) !== path.join(ROOT, 'packages')) throw new Error(`${dir} is not under packages/`);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      return { dir, name: manifest.name, folder: path.basename(dir), manifest };
    });
}

/** Files under `dir` (relative, sorted), skipping node_modules and what `skip` rejects. */
function listFiles(dir, skip = () => false, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const rel = prefix + entry.name;
      if (entry.name === 'node_modules' || skip(rel)) return [];
      return entry.isDirectory() ? listFiles(path.join(dir, entry.name), skip, `${rel}/`) : [rel];
    });
}

const isTest = (rel) => /\.test\.tsx?$/.test(rel) || /(^|\/)(fixtures|__tests__)(\/|$)/.test(rel);

/** A hash of everything that decides a package's outputs. */
async function fingerprint(pkg) {
  const hash = createHash('sha256');
  const add = async (label, file) => {
    if (!existsSync(file)) return;
    hash.update(`${label}\0`);
    hash.update(await readFile(file));
    hash.update('\0');
  };
  for (const rel of [...SHARED_INPUTS, ...SHARED_SCRIPTS]) await add(rel, path.join(ROOT, rel));
  for (const rel of ['package.json', 'tsup.config.ts']) await add(rel, path.join(pkg.dir, rel));
  for (const rel of listFiles(path.join(pkg.dir, 'src'), isTest))
    await add(rel, path.join(pkg.dir, 'src', rel));
  return hash.digest('hex');
}

/** Size and mtime of every file in dist/, to notice outputs deleted or edited since the build. */
async function outputState(pkg) {
  const dist = path.join(pkg.dir, 'dist');
  const state = {};
  for (const rel of listFiles(dist)) {
    const info = await stat(path.join(dist, rel));
    state[rel] = `${info.size}:${info.mtimeMs}`;
  }
  return state;
}

const stampFile = (pkg) => path.join(CACHE, `${pkg.folder}.json`);

async function isUpToDate(pkg, inputs) {
  try {
    const stamp = JSON.parse(await readFile(stampFile(pkg), 'utf8'));
    if (stamp.inputs !== inputs || Object.keys(stamp.outputs).length === 0) return false;
    return JSON.stringify(await outputState(pkg)) === JSON.stringify(stamp.outputs);
  } catch {
    return false;
  }
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function pool(items, limit, task) {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    while (queue.length > 0) await task(queue.shift());
  });
  await Promise.all(workers);
}

/** The declaration files the package publishes (its `types` and exports' `types` conditions). */
function declarationTargets(pkg) {
  const targets = new Set();
  const walk = (value) => {
    if (typeof value === 'string') {
      if (/\.d\.[cm]?ts$/.test(value)) targets.add(value);
    } else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(pkg.manifest.publishConfig?.exports ?? pkg.manifest.exports);
  walk(pkg.manifest.types);
  return [...targets].map((target) => {
    const match = /^\.\/dist\/(.+)\.d\.[cm]?ts$/.exec(target);
    if (!match)
      throw new Error(`${pkg.name}: declarations must live in dist/ as <entry>.d.ts, not ${target}`);
    const source = path.join(TYPES, pkg.folder, 'src', `${match[1]}.d.ts`);
    return { output: path.join(pkg.dir, target), source };
  });
}

/** Bundles one entry's declarations (relative imports inlined, packages left as imports). */
async function bundleDeclarations(input) {
  const { rollup } = await import('rollup');
  const { dts } = await import('rollup-plugin-dts');
  const bundle = await rollup({
    input,
    plugins: [dts()],
    external: (id) => !id.startsWith('.') && !path.isAbsolute(id),
    onwarn: (warning, warn) => (warning.code === 'EMPTY_BUNDLE' ? undefined : warn(warning)),
  });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  return output[0].code;
}

async function writeDeclarations(pkg) {
  const bundled = new Map();
  for (const { output, source } of declarationTargets(pkg)) {
    if (!existsSync(source))
      throw new Error(`${pkg.name}: no declarations for ${path.relative(ROOT, source)}`);
    if (!bundled.has(source)) bundled.set(source, await bundleDeclarations(source));
    await mkdir(path.dirname(output), { recursive: true });
    await writeFile(output, bundled.get(source));
  }
}

async function build() {
  const started = performance.now();
  const packages = selectPackages();
  const stale = [];
  for (const pkg of packages) {
    pkg.inputs = await fingerprint(pkg);
    if (force || !(await isUpToDate(pkg, pkg.inputs))) stale.push(pkg);
  }
  if (stale.length === 0) {
    console.log(`build: ${packages.length} packages up to date`);
    return;
  }
  await mkdir(CACHE, { recursive: true });
  // tsc takes one core for the whole program; tsup runs beside it.
  const tsc = runCommand(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--pretty'],
    { cwd: ROOT },
  );
  const tsup = path.join(path.dirname(require.resolve('tsup/package.json')), 'dist/cli-default.js');
  const javascript = pool(stale, Math.max(1, availableParallelism() - 1), async (pkg) => {
    await rm(stampFile(pkg), { force: true });
    await runCommand(process.execPath, [tsup], { cwd: pkg.dir });
  });
  await Promise.all([tsc, javascript]);
  for (const pkg of stale) {
    await writeDeclarations(pkg);
    await writeFile(stampFile(pkg), JSON.stringify({ inputs: pkg.inputs, outputs: await outputState(pkg) }));
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const names = stale.map((pkg) => pkg.name).join(', ');
  console.log(`build: ${names} in ${seconds} s (${packages.length - stale.length} up to date)`);
}

await withLock(path.join(CACHE, 'lock'), build).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
