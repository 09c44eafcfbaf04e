// `pnpm demo`: the whole hogmaps loop on one machine. Starts the local server, builds two example
// projects with hogmaps pointed at it, runs a built bundle that throws (headless Chromium when it is
// installed, else Node), and prints the stack trace as shipped next to the one the server resolved,
// then the server's error inbox. `pnpm demo --keep` (or HOGMAPS_DEMO_KEEP=1) leaves the server
// running for the inbox until Ctrl+C; by default everything stops.
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCommand } from './run-command.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLES = path.join(ROOT, 'examples');
const CHROMIUM = process.env.HOGMAPS_CHROMIUM ?? '/usr/bin/chromium';
const started = performance.now();
const KEEP = process.argv.includes('--keep') || process.env.HOGMAPS_DEMO_KEEP === '1';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (color ? `\x1b[${code}m${text}\x1b[0m` : String(text));
const bold = paint('1');
const dim = paint('2');
const red = paint('31');
const green = paint('32');
const yellow = paint('33');
const cyan = paint('36');
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const short = (id) => (id ? `${id.slice(0, 8)}…` : dim('none'));
const heading = (text) => console.log(`\n${bold(text)}`);

/** What `close()` must stop, newest first. */
const running = [];
/** Stops what was started, newest first, leaving the first `keep` (the server and its data folder). */
async function stopAll(keep = 0) {
  while (running.length > keep)
    await running
      .pop()()
      .catch(() => {});
}

/** Builds an example with its own `build` script; returns hogmaps' summary lines to print. */
async function buildExample(name, env) {
  const t0 = performance.now();
  const output = await runCommand('npm', ['run', '--silent', 'build'], {
    cwd: path.join(EXAMPLES, name),
    env,
  });
  const lines = output.split('\n').filter((line) => line.includes('[hogmaps]'));
  return [
    `  ${green('✓')} examples/${name} ${dim(`built in ${seconds(performance.now() - t0)}`)}`,
    ...lines.map((line) => `    ${line.trim()}`),
  ];
}

/** A static file server for a built web app. */
async function serveStatic(root) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json' };
  const server = createServer(async (req, res) => {
    const pathname = new URL(req.url, 'http://x').pathname;
    const file = path.join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    try {
      if (!file.startsWith(root)) throw new Error('outside');
      const body = await readFile(file);
      res
        .writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  running.push(() => new Promise((done) => server.close(done)));
  return `http://127.0.0.1:${server.address().port}`;
}

/** The vite-app in headless Chromium: open the lazily loaded checkout route and pay. */
async function throwInChromium() {
  const { chromium } = createRequire(path.join(ROOT, 'e2e', 'package.json'))('playwright-core');
  const site = await serveStatic(path.join(EXAMPLES, 'vite-app', 'dist'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  running.push(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`${site}/`);
  await page.click('#checkout-link');
  await page.waitForSelector('#pay-unhandled');
  // posthog-js loads its exception autocapture script from the server, then wraps window.onerror.
  await page.waitForFunction(() => typeof window.onerror === 'function', null, { timeout: 20_000 });
  console.log(`  ${site}/#/checkout in headless Chromium: clicked "Pay (error left uncaught)"`);
  await page.click('#pay-unhandled');
  return 'headless Chromium, captured by posthog-js';
}

/** The webpack-monorepo worker in Node: it reports a failed order with posthog-node. */
async function throwInNode(env) {
  const cwd = path.join(EXAMPLES, 'webpack-monorepo', 'apps', 'worker');
  const why = existsSync(CHROMIUM) ? 'HOGMAPS_DEMO_RUNTIME=node' : `no Chromium at ${CHROMIUM}`;
  console.log(`  examples/webpack-monorepo: node apps/worker/dist/worker.cjs ${dim(`(${why})`)}`);
  // The worker exits with 1 when an order failed, which is the point here.
  await runCommand(process.execPath, ['dist/worker.cjs'], { cwd, env }).catch((error) => {
    if (!/exited with 1:/.test(error.message)) throw error;
  });
  return 'Node, captured by posthog-node';
}

async function waitForException(local) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const page = await local.get(`/api/projects/${local.server.projectId}/hogmaps/exceptions/?limit=1`);
    if (page.results.length > 0) return page.results[0];
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error('no exception reached the local server within 30 s');
}

/** `webpack://@acme/worker/src/x.js` or `../src/x.ts` as a shorter path. */
function displaySource(source) {
  return source.replace(/^webpack:\/\//, '').replace(/^(\.\.?\/)+/, '');
}

function printTrace(error) {
  // The SDKs send the crash site last; print it first, as a JavaScript stack does.
  const frames = [...(error.stacktrace?.frames ?? [])].reverse();
  heading(`${red(`${error.type}: ${error.value}`)}`);
  console.log(dim('\n  As shipped (what the SDK sent):'));
  for (const f of frames) {
    console.log(
      `    at ${f.function ?? '?'} (${f.filename}:${f.lineno}:${f.colno})  ${dim(`chunk ${short(f.chunk_id)}`)}`,
    );
  }
  console.log(dim('\n  Symbolicated by the local server:'));
  for (const f of frames) {
    if (!f.chunk_id) {
      console.log(
        dim(`    at ${f.function ?? '?'} (${f.filename}:${f.lineno}:${f.colno})  not from a hogmaps build`),
      );
      continue;
    }
    if (!f.resolved || f.resolve_failure) {
      console.log(`    at ${f.function ?? '?'} ${yellow(`(unresolved: ${f.resolve_failure})`)}`);
      continue;
    }
    // The server reports lines and columns as PostHog does (0-based); print them as an editor counts.
    const name = f.resolved_name && f.resolved_name !== '?' ? f.resolved_name : (f.function ?? '?');
    console.log(
      `    at ${cyan(name)} (${green(`${displaySource(f.source)}:${f.line + 1}:${f.column + 1}`)})`,
    );
    if (f.context?.line !== undefined)
      console.log(`      ${dim(`${String(f.line + 1).padStart(5)} │`)} ${f.context.line.line.trim()}`);
  }
}

/** The local server on a free port, its data in a temporary folder; both go away in stopAll(). */
async function startLocalServer() {
  const entry = path.join(ROOT, 'packages', 'server', 'dist', 'index.js');
  const adapters = ['vite', 'webpack'].map((name) => path.join(ROOT, 'packages', name, 'dist', 'index.js'));
  const missing = [entry, ...adapters].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    const names = missing.map((file) => path.relative(ROOT, file)).join(', ');
    throw new Error(`not built: ${names}. Run \`pnpm demo\`, which builds the packages first.`);
  }
  const { startServer } = await import(pathToFileURL(entry).href);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hogmaps-demo-'));
  running.push(() => rm(dataDir, { recursive: true, force: true }));
  const server = await startServer({ port: 0, dataDir, quiet: true });
  running.push(() => server.close());
  return {
    server,
    dataDir,
    async get(pathname) {
      const response = await fetch(`${server.url}${pathname}`, {
        headers: { authorization: `Bearer ${server.apiKey}` },
      });
      if (!response.ok) throw new Error(`GET ${pathname}: ${response.status} ${await response.text()}`);
      return response.json();
    },
  };
}

/** hogmaps reads POSTHOG_CLI_*, the apps their own PostHog settings; no other POSTHOG_* from the shell. */
function buildEnv({ url, apiKey, projectId, projectToken }) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('POSTHOG_')),
  );
  return Object.assign(env, {
    POSTHOG_CLI_HOST: url,
    POSTHOG_CLI_API_KEY: apiKey,
    POSTHOG_CLI_PROJECT_ID: String(projectId),
    POSTHOG_PROJECT_TOKEN: projectToken,
    POSTHOG_API_HOST: url,
  });
}

const OUTPUTS = [
  'examples/vite-app/dist',
  'examples/webpack-monorepo/apps/web/dist',
  'examples/webpack-monorepo/apps/worker/dist',
];

/** What the builds left on the server and on disk: releases, injected chunks, symbol sets. */
async function printUploads(local) {
  const { server } = local;
  const releases = (await local.get(`/api/projects/${server.projectId}/error_tracking/releases/`)).results;
  releases.reverse(); // oldest first
  heading(`Releases registered (${releases.length})`);
  for (const r of releases) {
    console.log(
      `  ${r.project.padEnd(22)} version ${String(r.version).slice(0, 12).padEnd(13)} ${dim(`id ${r.id}`)}`,
    );
  }

  const chunks = [];
  for (const dir of OUTPUTS) {
    const manifest = JSON.parse(await readFile(path.join(ROOT, dir, 'hogmaps-manifest.json'), 'utf8'));
    for (const chunk of manifest.chunks) chunks.push({ ...chunk, file: `${dir}/${chunk.file}` });
  }
  heading(`Chunks injected (${chunks.length})`);
  const width = Math.max(...chunks.map((c) => c.file.length));
  for (const c of chunks) console.log(`  ${c.file.padEnd(width)}  chunk ${c.chunkId}  ${dim(c.status)}`);

  const rows = server.admin.symbolSetRows(server.projectId).filter((row) => row.content_hash !== null);
  const size = (row) => (row.storage_ptr ? statSync(server.admin.blobPath(row.storage_ptr)).size : 0);
  const total = rows.reduce((sum, row) => sum + size(row), 0);
  heading(`Symbol sets uploaded (${rows.length}, ${(total / 1024).toFixed(1)} KiB stored)`);
  const fileOf = new Map(chunks.map((c) => [c.chunkId, path.basename(c.file)]));
  for (const row of rows) {
    const kib = `${(size(row) / 1024).toFixed(1)} KiB`.padStart(10);
    console.log(
      `  ${row.ref}  ${kib}  ${dim(`minified code + source map of ${fileOf.get(row.ref) ?? '?'}`)}`,
    );
  }
  return { releases: releases.length, chunks: chunks.length, symbolSets: rows.length };
}

async function main() {
  console.log(
    `${bold('hogmaps demo')}${dim(' · build → inject → upload → throw → symbolicate, on this machine')}`,
  );
  const local = await startLocalServer();
  heading('Local PostHog-compatible server');
  console.log(
    `  ${cyan(local.server.url)}  ${dim(`project ${local.server.projectId}, data in ${local.dataDir}`)}`,
  );
  const env = buildEnv(local.server);

  heading('Building with hogmaps');
  // Both at once: separate processes, each app its own release.
  const builds = await Promise.all([buildExample('vite-app', env), buildExample('webpack-monorepo', env)]);
  for (const line of builds.flat()) console.log(line);
  const counts = await printUploads(local);

  heading('Throwing');
  const where =
    process.env.HOGMAPS_DEMO_RUNTIME === 'node' || !existsSync(CHROMIUM)
      ? await throwInNode(env)
      : await throwInChromium();
  const exception = await waitForException(local);
  console.log(`  ${green('✓')} $exception received from ${where}`);
  if (exception.release) {
    console.log(dim(`\n  Release: ${exception.release.project} ${exception.release.version}`));
  }
  for (const error of exception.exception_list) printTrace(error);

  const frames = exception.exception_list.flatMap((e) => e.stacktrace?.frames ?? []);
  // Mapped through an uploaded set (PostHog also counts frames it judged not minified as resolved).
  const resolved = frames.filter((f) => f.chunk_id && f.resolved && !f.resolve_failure).length;
  const issue = (await local.get(`/inbox/api/issues?project=${local.server.projectId}`)).results[0];
  const inbox = issue ? `${local.server.inboxUrl}issues/${issue.id}` : local.server.inboxUrl;
  // The first two things started are the server's data folder and the server itself.
  await stopAll(KEEP ? 2 : 0);
  console.log(
    `\n${green('Done')} in ${seconds(performance.now() - started)}: ${counts.releases} releases, ` +
      `${counts.chunks} chunks injected, ${counts.symbolSets} symbol sets uploaded, ${resolved} frames ` +
      `symbolicated. ${KEEP ? 'The server is still running.' : 'Everything the demo started is stopped.'}`,
  );
  if (resolved === 0) process.exitCode = 1;
  heading('Error inbox');
  if (!KEEP) {
    console.log(`  ${cyan(inbox)}  ${dim('(stopped with the demo: `pnpm demo --keep` leaves it running)')}`);
    return;
  }
  console.log(`  ${cyan(inbox)}`);
  console.log(dim('  Open it in a browser. Ctrl+C stops the server and deletes its data.'));
  await new Promise(() => {}); // until SIGINT or SIGTERM
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => void stopAll().then(() => process.exit(130)));
}
try {
  await main();
} catch (error) {
  console.error(`\n${red('demo failed:')} ${error instanceof Error ? error.message : error}`);
  await stopAll();
  process.exitCode = 1;
}
