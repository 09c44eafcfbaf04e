// Vite apps built from HTML pages (issue 14, re-release cost): the page carries the release id, through
// a deferred script placed before its module scripts, so a release alone renames no chunk, not even a
// lazy chunk that imports code Vite keeps in the entry chunk. Vite 8 (rolldown) and Vite 7 (rollup).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { resetBuildSessions } from '@hogmaps/core';
import { hogmapsVitePlugin } from '@hogmaps/vite';
import { describe, expect, test } from 'vitest';
import { recordingLogger } from './harness/bundlers/vite';
import type { TestProject } from './harness/server';
import { useBuildSuite } from './harness/suite';
import { vitePagesScenario } from './scenarios/vite-pages/scenario';

type ReleaseInjection = 'entries' | 'entry-chunks' | 'startup-chunks' | 'every-chunk';

interface PagesBuild {
  outDir: string;
  /** Every file of the output, by its path relative to the output folder (with `/`). */
  files: Map<string, string>;
  warnings: string[];
}

interface BuildSettings {
  version: string;
  releaseInjection?: ReleaseInjection;
  releaseMode?: 'event' | 'symbol-set';
  base?: string;
  cspNonce?: string;
  /** Plugins before hogmaps' (plugin-legacy). */
  plugins?: unknown[];
  /** Plugins after hogmaps'. */
  pluginsAfter?: unknown[];
}

const vites = [
  { name: 'vite 8', load: () => import('vite'), input: 'rolldownOptions' },
  { name: 'vite 7', load: () => import('vite7'), input: 'rollupOptions' },
] as const;

const suite = useBuildSuite(vitePagesScenario.root);
let builds = 0;

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory()) names.push(...(await listFiles(path.join(dir, entry.name), `${name}/`)));
    else names.push(name);
  }
  return names.sort();
}

async function buildPages(
  vite: (typeof vites)[number],
  project: TestProject,
  settings: BuildSettings,
): Promise<PagesBuild> {
  resetBuildSessions();
  const { build } = await vite.load();
  const root = suite.workspace.root;
  const outDir = suite.workspace.outDir(`dist-${++builds}`);
  const warnings: string[] = [];
  const hogmaps = project.options({
    sourcemaps: {
      releaseVersion: settings.version,
      releaseMode: settings.releaseMode ?? 'event',
      ...(settings.releaseInjection ? { releaseInjection: settings.releaseInjection } : {}),
    },
  });
  await build({
    root,
    configFile: false,
    envDir: false,
    logLevel: 'warn',
    customLogger: recordingLogger(warnings) as never,
    ...(settings.base === undefined ? {} : { base: settings.base }),
    ...(settings.cspNonce === undefined ? {} : { html: { cspNonce: settings.cspNonce } }),
    plugins: [
      ...(settings.plugins ?? []),
      hogmapsVitePlugin(hogmaps),
      ...(settings.pluginsAfter ?? []),
    ] as never,
    build: {
      outDir,
      emptyOutDir: true,
      [vite.input]: {
        input: Object.values(vitePagesScenario.pages).map((page) => path.join(root, page)),
      },
    },
  });
  const files = new Map<string, string>();
  for (const name of await listFiles(outDir))
    files.set(name, await readFile(path.join(outDir, name), 'utf8'));
  return { outDir, files, warnings };
}

const isReleaseScript = (name: string) => /(^|\/)hogmaps-release-[\w-]+\.js$/.test(name);
/** The JS chunks, by name (the release script apart). */
const chunksOf = (build: PagesBuild) =>
  new Map([...build.files].filter(([name]) => name.endsWith('.js') && !isReleaseScript(name)));
const chunkWith = (build: PagesBuild, marker: string) =>
  [...chunksOf(build)].find(([, code]) => code.includes(marker))?.[0];
const carriesRelease = (code: string) => code.includes('_posthogReleaseId||');

/** The `src` of each `<script>` of a page, in document order, with its attributes. */
function scriptsOf(html: string): { src?: string; attrs: string }[] {
  return [...html.matchAll(/<script\b([^>]*)>/g)].map(([, attrs]) => ({
    src: /\bsrc="([^"]*)"/.exec(attrs!)?.[1],
    attrs: attrs!,
  }));
}

/** What `_posthogReleaseId` a page's first script sets, and that script's output path. */
function releaseSetBy(build: PagesBuild, page: string, base: string): { file: string; releaseId: unknown } {
  const [first] = scriptsOf(build.files.get(page)!);
  expect(first?.attrs).toMatch(/\bdefer\b/);
  const src = first!.src!;
  const file =
    src.startsWith(base) && base.startsWith('/')
      ? src.slice(base.length)
      : path.posix.normalize(path.posix.join(path.posix.dirname(page), src));
  expect(isReleaseScript(file), `${page} loads ${src} first`).toBe(true);
  const global: { window?: unknown; _posthogReleaseId?: unknown } = {};
  global.window = global;
  runInNewContext(build.files.get(file)!, global);
  return { file, releaseId: global._posthogReleaseId };
}

async function releaseIdOf(project: TestProject, version: string): Promise<string> {
  const release = (await project.releases()).find((candidate) => candidate.version === version);
  if (!release) throw new Error(`no release ${version}`);
  return release.id;
}

/** Chunk ids whose stored object changed since `before` (new rows, or rows uploaded again). */
function uploadedSince(project: TestProject, before: ReturnType<TestProject['rows']>): string[] {
  const previous = new Map(before.map((row) => [row.ref, row.storage_ptr]));
  return project
    .rows()
    .filter((row) => previous.get(row.ref) !== row.storage_ptr)
    .map((row) => row.ref);
}

describe.each(vites)('$name', (vite) => {
  test('the page carries the release: a release alone renames no chunk and uploads nothing', async () => {
    const project = suite.server.project();
    const a = await buildPages(vite, project, { version: '1.0.0' });
    const rowsA = project.rows();
    const b = await buildPages(vite, project, { version: '1.0.1' });
    expect([...a.warnings, ...b.warnings].filter((warning) => warning.includes('hogmaps'))).toEqual([]);

    // The scenario's point: the lazy route names the entry chunk's file.
    const entry = chunkWith(b, vitePagesScenario.markers.main)!;
    const route = chunkWith(b, vitePagesScenario.markers.route)!;
    expect(chunksOf(b).get(route)).toContain(path.posix.basename(entry));

    // No chunk carries the release; every chunk has its id; release B left every chunk as it was.
    for (const [name, code] of chunksOf(b)) {
      expect(carriesRelease(code), name).toBe(false);
      expect(code, name).toMatch(/\/\/# chunkId=[\w-]+\s*$/);
    }
    expect(chunksOf(b)).toEqual(chunksOf(a));
    expect(uploadedSince(project, rowsA)).toEqual([]);

    // Each page loads the release script first (deferred, so before its module scripts run), and the
    // script sets this build's release. Its name follows its bytes.
    for (const [build, version] of [
      [a, '1.0.0'],
      [b, '1.0.1'],
    ] as const) {
      const releaseId = await releaseIdOf(project, version);
      for (const page of Object.values(vitePagesScenario.pages)) {
        const scripts = scriptsOf(build.files.get(page)!);
        expect(scripts.findIndex((script) => /type="module"/.test(script.attrs))).toBeGreaterThan(0);
        expect(releaseSetBy(build, page, '/')).toMatchObject({ releaseId });
      }
    }
    const scriptOf = (build: PagesBuild) => [...build.files.keys()].filter(isReleaseScript);
    expect(scriptOf(a)).toHaveLength(1);
    expect(scriptOf(b)).toHaveLength(1);
    expect(scriptOf(b)).not.toEqual(scriptOf(a));
  });

  test("'entry-chunks': the entry chunk carries the release, and a release renames it and the route that imports it", async () => {
    const project = suite.server.project();
    const a = await buildPages(vite, project, { version: '2.0.0', releaseInjection: 'entry-chunks' });
    const b = await buildPages(vite, project, { version: '2.0.1', releaseInjection: 'entry-chunks' });
    expect([...b.files.keys()].filter(isReleaseScript)).toEqual([]);
    for (const page of Object.values(vitePagesScenario.pages)) {
      expect(b.files.get(page)).not.toContain('hogmaps-release');
    }
    const entry = chunkWith(b, vitePagesScenario.markers.main)!;
    expect(carriesRelease(chunksOf(b).get(entry)!)).toBe(true);
    expect(chunkWith(a, vitePagesScenario.markers.main)).not.toBe(entry);
    expect(chunkWith(a, vitePagesScenario.markers.route)).not.toBe(
      chunkWith(b, vitePagesScenario.markers.route),
    );
  });

  test('the script URL follows base (relative, for a nested page too, and absolute) and gets the CSP nonce', async () => {
    const project = suite.server.project();
    const relative = await buildPages(vite, project, { version: '3.0.0', base: './', cspNonce: 'n0nce-3' });
    const releaseId = await releaseIdOf(project, '3.0.0');
    expect(scriptsOf(relative.files.get('index.html')!)[0]!.src).toMatch(/^\.\/assets\/hogmaps-release-/);
    expect(scriptsOf(relative.files.get('pages/about.html')!)[0]!.src).toMatch(
      /^\.\.\/assets\/hogmaps-release-/,
    );
    for (const page of Object.values(vitePagesScenario.pages)) {
      expect(releaseSetBy(relative, page, './')).toMatchObject({ releaseId });
      expect(scriptsOf(relative.files.get(page)!)[0]!.attrs).toContain('nonce="n0nce-3"');
    }

    const absolute = await buildPages(vite, project, { version: '3.0.0', base: '/app/' });
    for (const page of Object.values(vitePagesScenario.pages)) {
      expect(scriptsOf(absolute.files.get(page)!)[0]!.src).toMatch(/^\/app\/assets\/hogmaps-release-/);
      expect(releaseSetBy(absolute, page, '/app/')).toMatchObject({ releaseId });
    }
  });

  test('a page that no longer loads the release script after a later plugin is named in a warning', async () => {
    const project = suite.server.project();
    const stripped = await buildPages(vite, project, {
      version: '6.0.0',
      pluginsAfter: [
        {
          // As an HTML post-processor would: the page's own tags rewritten once Vite has written it.
          name: 'strips-scripts',
          enforce: 'post',
          generateBundle(_options: unknown, bundle: Record<string, { type: string; source?: unknown }>) {
            for (const file of Object.values(bundle)) {
              if (file.type !== 'asset' || typeof file.source !== 'string') continue;
              file.source = file.source.replace(
                /<script src="[^"]*hogmaps-release[^"]*" defer><\/script>/,
                '',
              );
            }
          },
        },
      ],
    });
    const warned = stripped.warnings.filter((warning) => warning.includes('no longer loads'));
    expect(warned).toHaveLength(Object.keys(vitePagesScenario.pages).length);
    expect(warned.join('\n')).toMatch(/index\.html no longer loads assets\/hogmaps-release-[\w-]+\.js/);
    expect(warned.join('\n')).toMatch(/pages\/about\.html no longer loads/);
    expect(warned[0]).toContain("releaseInjection: 'entry-chunks'");

    const removed = await buildPages(vite, project, {
      version: '6.0.0',
      pluginsAfter: [
        {
          name: 'drops-the-script',
          enforce: 'post',
          generateBundle(_options: unknown, bundle: Record<string, unknown>) {
            for (const name of Object.keys(bundle)) if (isReleaseScript(name)) delete bundle[name];
          },
        },
      ],
    });
    expect([...removed.files.keys()].filter(isReleaseScript)).toEqual([]);
    expect(removed.warnings.filter((warning) => warning.includes('no longer loads'))).toHaveLength(2);

    // The default build warns about nothing (the first test checks that every page loads it).
    const plain = await buildPages(vite, project, { version: '6.0.0' });
    expect(plain.warnings.filter((warning) => warning.includes('hogmaps'))).toEqual([]);
  });

  test('symbol-set mode: no release in the code, so no release script either', async () => {
    const project = suite.server.project();
    const build = await buildPages(vite, project, { version: '4.0.0', releaseMode: 'symbol-set' });
    expect([...build.files.keys()].filter(isReleaseScript)).toEqual([]);
    for (const page of Object.values(vitePagesScenario.pages)) {
      expect(build.files.get(page)).not.toContain('hogmaps-release');
    }
    for (const [name, code] of chunksOf(build)) expect(carriesRelease(code), name).toBe(false);
    // The app's chunks are uploaded (Vite's modulepreload polyfill has an empty map and is not).
    const chunkIdOf = (marker: string) =>
      /\/\/# chunkId=([\w-]+)\s*$/.exec(chunksOf(build).get(chunkWith(build, marker)!)!)?.[1];
    const markers = Object.values(vitePagesScenario.markers);
    expect(project.rows().map((row) => row.ref)).toEqual(expect.arrayContaining(markers.map(chunkIdOf)));
  });
});

test('vite 8 with plugin-legacy: the page sets the release for modern and legacy browsers alike, and no chunk carries it', async () => {
  const legacy = (await import('@vitejs/plugin-legacy')).default;
  const project = suite.server.project();
  const build = await buildPages(vites[0], project, {
    version: '5.0.0',
    plugins: [legacy({ targets: ['defaults', 'not dead'] })],
  });
  const releaseId = await releaseIdOf(project, '5.0.0');
  const html = build.files.get('index.html')!;
  // The release script comes first; plugin-legacy's nomodule scripts load the legacy entry later.
  expect(releaseSetBy(build, 'index.html', '/')).toMatchObject({ releaseId });
  const legacyEntry = [...chunksOf(build).keys()].find((name) => /^assets\/index-legacy-/.test(name));
  expect(legacyEntry).toBeDefined();
  expect(html).toMatch(new RegExp(`<script nomodule[^>]*data-src="/${legacyEntry}"`));
  for (const [name, code] of chunksOf(build)) expect(carriesRelease(code), name).toBe(false);
});
