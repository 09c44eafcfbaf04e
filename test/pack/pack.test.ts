// What `pnpm publish` would ship, checked from the tarballs themselves: their files, their metadata, their
// exports (publint, attw), and a real npm install of them in an app outside the workspace.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codeSubpaths,
  exportConditions,
  type Manifest,
  type PackedPackage,
  pack,
  publishablePackages,
  ROOT,
  referencedFiles,
  relativeLinks,
} from './packages';
import { createScratchApp, type ScratchApp, type Started } from './scratch-app';

const run = promisify(execFile);
const rootManifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const REPOSITORY = rootManifest.repository!.url!;
const WEB = REPOSITORY.replace(/^git\+/, '').replace(/\.git$/, '');
const LICENSE = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
/** Sources, tests and build leftovers: never in a tarball. */
const NOT_SHIPPED = /(^|\/)(src|test|tests|__tests__|fixtures)\/|\.(test|spec)\.[cm]?[jt]sx?$|\.tsbuildinfo$/;

const workspacePackages = publishablePackages();
const packed = new Map<string, PackedPackage>();
let packDir: string;

beforeAll(async () => {
  packDir = await mkdtemp(path.join(tmpdir(), 'hogmaps-packs-'));
  const queue = [...workspacePackages];
  const worker = async () => {
    for (let pkg = queue.shift(); pkg; pkg = queue.shift()) packed.set(pkg.folder, await pack(pkg, packDir));
  };
  await Promise.all([worker(), worker()]);
});

afterAll(async () => {
  if (packDir) await rm(packDir, { recursive: true, force: true });
});

it('finds the packages to publish under packages/', () => {
  expect(workspacePackages.map((pkg) => pkg.manifest.name)).toEqual(
    expect.arrayContaining(['@hogmaps/core', '@hogmaps/cli', '@hogmaps/server', '@hogmaps/vite']),
  );
});

it('ships the inbox files @hogmaps/server serves (ui/, read at run time)', () => {
  const ui = readdirSync(path.join(ROOT, 'packages', 'server', 'ui')).filter((file) =>
    /\.(js|css|svg)$/.test(file),
  );
  expect(ui).toContain('app.js');
  const { files } = packed.get('server')!;
  expect(ui.map((file) => `ui/${file}`).filter((file) => !files.includes(file))).toEqual([]);
  expect(files).not.toContain('ui/tsconfig.json');
});

describe.each(workspacePackages.map((pkg) => [pkg.manifest.name, pkg.folder]))('%s', (_name, folder) => {
  const get = () => packed.get(folder)!;

  it('ships its build, LICENSE and README, and no sources or tests', () => {
    const { files, packed: manifest } = get();
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
    expect(files.filter((file) => NOT_SHIPPED.test(file))).toEqual([]);
    const missing = referencedFiles(manifest).filter((file) => !files.includes(file.replace(/^\.\//, '')));
    expect(missing, 'files named by main/module/types/bin/exports').toEqual([]);
  });

  it('has the MIT license text and a README whose relative links are packed', async () => {
    const { tarball, files, packed: manifest } = get();
    const read = async (file: string) => (await run('tar', ['-xzOf', tarball, `package/${file}`])).stdout;
    expect(await read('LICENSE')).toBe(LICENSE);
    const readme = await read('README.md');
    expect(readme).toContain(manifest.name);
    expect(readme).toMatch(/npm i(nstall)? /);
    expect(relativeLinks(readme).filter((link) => !files.includes(link))).toEqual([]);
  });

  it('publishes consistent metadata and no workspace-only exports or ranges', () => {
    const { packed: manifest } = get();
    expect(manifest.license).toBe('MIT');
    expect(manifest.repository).toEqual({ type: 'git', url: REPOSITORY, directory: `packages/${folder}` });
    expect(manifest.homepage).toBe(`${WEB}/tree/main/packages/${folder}#readme`);
    expect(manifest.bugs).toEqual({ url: `${WEB}/issues` });
    expect(manifest.engines).toEqual(rootManifest.engines);
    expect(exportConditions(manifest.exports)).not.toContain('@hogmaps/source');
    const ranges = Object.values({ ...manifest.dependencies, ...manifest.peerDependencies });
    expect(ranges.filter((range) => range.startsWith('workspace:'))).toEqual([]);
  });

  it('passes publint (strict, suggestions included)', async () => {
    const { tarball } = get();
    const bytes = await readFile(tarball);
    const tarballData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const { messages, pkg } = await publint({
      pack: { tarball: tarballData },
      level: 'suggestion',
      strict: true,
    });
    expect(messages.map((message) => formatMessage(message, pkg) ?? message.code)).toEqual([]);
  });

  it('has types that resolve in node10, node16 (CJS and ESM) and bundlers (attw)', async () => {
    const { tarball } = get();
    const manifest = createRequire(import.meta.url).resolve('@arethetypeswrong/cli/package.json');
    const attw = path.join(path.dirname(manifest), 'dist/index.js');
    // attw exits 1 when it finds problems; the JSON report says which.
    const { stdout } = await run(process.execPath, [attw, tarball, '--format', 'json']).catch(
      (error) => error,
    );
    const report = JSON.parse(stdout) as { analysis: { problems: { kind: string; entrypoint?: string }[] } };
    expect(report.analysis.problems.map(({ kind, entrypoint }) => `${entrypoint ?? ''} ${kind}`)).toEqual([]);
  });
});

describe('an npm install of the tarballs in an app outside the workspace', () => {
  let app: ScratchApp;

  beforeAll(async () => {
    app = await createScratchApp([...packed.values()]);
  });

  afterAll(async () => {
    await app?.dispose();
  });

  it('loads every package and export through import (ESM) and require (CJS), with the same exports', async () => {
    const entries = [...packed.values()].flatMap((pkg) =>
      codeSubpaths(pkg.packed).map((subpath) => path.posix.join(pkg.manifest.name, subpath)),
    );
    await writeFile(
      path.join(app.dir, 'check.mjs'),
      [
        "import { createRequire } from 'node:module';",
        'const require = createRequire(import.meta.url);',
        'const result = {};',
        `for (const id of ${JSON.stringify(entries)}) {`,
        '  const names = (module) => Object.keys(module).filter((key) => key !== "__esModule").sort();',
        '  result[id] = { esm: names(await import(id)), cjs: names(require(id)) };',
        '}',
        'console.log(JSON.stringify(result));',
      ].join('\n'),
    );
    const { stdout } = await app.exec(process.execPath, ['check.mjs']);
    const loaded = JSON.parse(stdout) as Record<string, { esm: string[]; cjs: string[] }>;
    expect(Object.keys(loaded).sort()).toEqual([...entries].sort());
    for (const [id, { esm, cjs }] of Object.entries(loaded)) {
      expect(esm.length, `${id} exports something`).toBeGreaterThan(0);
      expect(cjs, `${id}: require() sees what import() sees`).toEqual(esm);
    }
    expect(loaded['@hogmaps/vite']?.esm).toContain('hogmapsVitePlugin');
    expect(loaded['@hogmaps/webpack']?.cjs).toContain('HogmapsWebpackPlugin');
  });

  // Offline: npx must run the installed package, never fetch one.
  const npx = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    app.exec('npx', ['@hogmaps/cli', ...args], { npm_config_offline: 'true', ...env });
  // The command npm installed, as a package.json script runs it: what it does, without npm's seconds
  // of start-up around every call (npx itself is checked above and by `serve`).
  const hogmaps = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    app.exec(path.join(app.dir, 'node_modules', '.bin', 'hogmaps'), args, env);

  it('runs the installed command', async () => {
    const { stdout } = await npx(['--version']);
    expect(stdout).toContain(packed.get('cli')!.manifest.version);
  });

  // The packed server with install scripts off, on the Node running this pass (Node 20's fallback
  // database in the first, node:sqlite on Node 24 in the second).
  describe('npx @hogmaps/cli serve, then an upload to it', () => {
    let served: Started;
    let connection: Record<string, string>;

    beforeAll(async () => {
      served = await app.start(
        'npx',
        ['@hogmaps/cli', 'serve', '--port', '0', '--data-dir', 'server-data'],
        /Press Ctrl\+C to stop\./,
        { npm_config_offline: 'true' },
      );
      connection = {
        POSTHOG_CLI_HOST: /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(served.stdout)?.[1] ?? '',
        POSTHOG_CLI_PROJECT_ID: /project id:\s+(\d+)/.exec(served.stdout)?.[1] ?? '',
        POSTHOG_CLI_API_KEY: /personal API key:\s+(\S+)/.exec(served.stdout)?.[1] ?? '',
      };
    });

    afterAll(async () => {
      await served?.stop();
    });

    it('serves on 127.0.0.1 and prints how to connect', () => {
      expect(Object.values(connection).every(Boolean), served.stdout).toBe(true);
    });

    it('injects and uploads a built folder, and lists what it stored', async () => {
      const source = path.join(app.dir, 'src');
      await mkdir(source, { recursive: true });
      await writeFile(
        path.join(source, 'main.js'),
        "export function fail() {\n  throw new Error('boom');\n}\n",
      );
      await build({
        entryPoints: [path.join(source, 'main.js')],
        bundle: true,
        minify: true,
        sourcemap: true,
        format: 'esm',
        outdir: path.join(app.dir, 'dist'),
        logLevel: 'silent',
      });

      const result = await hogmaps(
        // --verbose: every request and its time, should this step ever stall.
        ['sourcemap', 'process', 'dist', '--release-name', 'scratch', '--release-version', '1', '--verbose'],
        connection,
      );

      const code = await readFile(path.join(app.dir, 'dist/main.js'), 'utf8');
      const chunkId = /\/\/# chunkId=(\S+)/.exec(code)?.[1];
      expect(chunkId, `${result.stdout}${result.stderr}`).toBeDefined();
      const { stdout } = await hogmaps(['symbol-sets', 'list', '--json'], connection);
      const sets = JSON.parse(stdout) as { ref: string; has_uploaded_file?: boolean }[];
      expect(sets.map(({ ref, has_uploaded_file }) => ({ ref, has_uploaded_file }))).toEqual([
        { ref: chunkId, has_uploaded_file: true },
      ]);
      const releases = JSON.parse((await hogmaps(['releases', 'list', '--json'], connection)).stdout);
      expect(releases).toMatchObject([{ project: 'scratch', version: '1' }]);
    });

    // The upload path is a chunk of core the session loads with `import()` (a `require` in the CJS
    // build): a build through the installed adapter, ESM and CJS, must still upload.
    it('uploads from a build with the installed esbuild plugin, loaded by import and by require', async () => {
      const scripts = {
        'build-esm.mjs':
          "import { hogmapsEsbuildPlugin } from '@hogmaps/esbuild';\nimport { build } from 'esbuild';",
        'build-cjs.cjs':
          "const { hogmapsEsbuildPlugin } = require('@hogmaps/esbuild');\nconst { build } = require('esbuild');",
      };
      const chunkIds: string[] = [];
      for (const [script, imports] of Object.entries(scripts)) {
        const name = path.basename(script).replace(/\.[cm]js$/, '');
        await writeFile(path.join(app.dir, 'src', `${name}.js`), `export const from = '${name}';\n`);
        const body = [
          imports,
          'build({',
          `  entryPoints: ['src/${name}.js'], bundle: true, format: 'esm', sourcemap: true,`,
          `  outdir: 'out-${name}', logLevel: 'silent',`,
          "  plugins: [hogmapsEsbuildPlugin({ sourcemaps: { releaseName: 'scratch', releaseVersion: '2' } })],",
          '}).catch((error) => { console.error(error); process.exitCode = 1; });',
        ].join('\n');
        await writeFile(path.join(app.dir, script), `${body}\n`);
        await app.exec(process.execPath, [script], connection);
        const code = await readFile(path.join(app.dir, `out-${name}`, `${name}.js`), 'utf8');
        chunkIds.push(/\/\/# chunkId=(\S+)/.exec(code)?.[1] ?? `no chunk id in ${name}`);
      }
      const { stdout } = await hogmaps(['symbol-sets', 'list', '--json'], connection);
      const sets = JSON.parse(stdout) as { ref: string; has_uploaded_file?: boolean }[];
      for (const chunkId of chunkIds)
        expect(sets).toContainEqual(expect.objectContaining({ ref: chunkId, has_uploaded_file: true }));
    });
  });
});
