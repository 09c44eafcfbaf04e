// Peak memory of `hogmaps sourcemap inject`, `upload` and `process` on one huge source map (issue #11,
// item 15). A measurement, not a test: `pnpm build`, then
//   node packages/cli/scripts/measure-memory.mjs [MiB of map, default 254]
// It writes a JS file and its map (sourcesContent with non-ASCII text, long mappings) to a temp folder,
// starts `hogmaps serve` in its own process, and runs each command in a child that reports its own
// peak RSS when it exits.
import { spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// HOGMAPS_CLI=<other checkout>/packages/cli/dist/cli.js measures another build (before/after).
const CLI = process.env.HOGMAPS_CLI ?? path.resolve(import.meta.dirname, '../dist/cli.js');
const mib = Number(process.argv[2] ?? 254);
const work = mkdtempSync(path.join(tmpdir(), 'hogmaps-memory-'));
const rssFile = path.join(work, 'rss');
const preload = path.join(work, 'report-rss.cjs');
writeFileSync(
  preload,
  `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
);

/** big.js and a map of about `size` bytes: 80 % sourcesContent, 20 % mappings. */
function writeApp(dir, size) {
  let js = '';
  for (let i = 0; i < 20_000; i++) js += `function f${i}(a){return a+${i}}\n`;
  writeFileSync(path.join(dir, 'big.js'), `${js}//# sourceMappingURL=big.js.map\n`);
  const fd = openSync(path.join(dir, 'big.js.map'), 'w');
  const count = 400;
  const perSource = Math.floor((size * 0.8) / count);
  const sources = Array.from({ length: count }, (_, i) => `src/file${i}.ts`);
  writeSync(
    fd,
    `{"version":3,"file":"big.js","sources":${JSON.stringify(sources)},"names":[],"sourcesContent":[`,
  );
  const line = 'export const value = "lorem ipsum dolor sit amet"; // ünïcödé\n';
  const body = line.repeat(Math.floor(perSource / (Buffer.byteLength(JSON.stringify(line)) - 2)));
  for (let i = 0; i < count; i++) writeSync(fd, (i ? ',' : '') + JSON.stringify(body));
  writeSync(fd, '],"mappings":"');
  const block = 'AAAA,CAAC,EAAE;'.repeat(65_536);
  for (let written = block.length; written <= size * 0.2; written += block.length) writeSync(fd, block);
  writeSync(fd, 'AAAA"}');
  closeSync(fd);
}

/** Runs the CLI in `cwd`; resolves with its exit code, output and peak RSS in MiB. */
function run(args, cwd, env = {}) {
  rmSync(rssFile, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', preload, CLI, ...args], {
      cwd,
      env: { ...process.env, ...env },
    });
    let output = '';
    child.stdout.on('data', (text) => (output += text));
    child.stderr.on('data', (text) => (output += text));
    child.on('error', reject);
    child.on('close', (code) => {
      const rss = Number(readFileSync(rssFile, 'utf8')) / 1024;
      resolve({ code, output, rssMiB: Math.round(rss) });
    });
  });
}

/** `hogmaps serve` on a free port; resolves with its environment for the CLI, and a stop function. */
function serve() {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', path.join(work, 'data')]);
  return new Promise((resolve, reject) => {
    let output = '';
    child.on('error', reject);
    child.stdout.on('data', (text) => {
      output += text;
      const url = /listening on (\S+)/.exec(output)?.[1];
      const project = /project id:\s+(\S+)/.exec(output)?.[1];
      const key = /personal API key:\s+(\S+)/.exec(output)?.[1];
      if (!url || !project || !key) return;
      const env = { POSTHOG_CLI_HOST: url, POSTHOG_CLI_PROJECT_ID: project, POSTHOG_CLI_API_KEY: key };
      resolve({ env, stop: () => child.kill() });
    });
  });
}

const app = path.join(work, 'app');
mkdirSync(app);
writeApp(app, mib * 1024 * 1024);
const size = statSync(path.join(app, 'big.js.map')).size;
console.log(`map: ${(size / 1024 / 1024).toFixed(1)} MiB (${app})`);
const server = await serve();
process.on('exit', server.stop);
try {
  const copy = (name) => {
    const dir = path.join(work, name);
    cpSync(app, dir, { recursive: true });
    return dir;
  };
  const injected = copy('injected');
  for (const [label, args, dir] of [
    ['sourcemap inject', ['sourcemap', 'inject', '.'], injected],
    ['sourcemap upload (injected before)', ['sourcemap', 'upload', '.'], injected],
    ['sourcemap process', ['sourcemap', 'process', '.'], copy('processed')],
  ]) {
    const result = await run(args, dir, server.env);
    if (result.code !== 0) throw new Error(`${label} exited ${result.code}:\n${result.output}`);
    console.log(`${label.padEnd(36)} peak RSS ${String(result.rssMiB).padStart(5)} MiB`);
  }
} finally {
  server.stop();
  rmSync(work, { recursive: true, force: true });
}
