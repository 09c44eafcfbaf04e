import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { detectChunkId, resetBuildSessions } from '@hogmaps/core';
import { hogmapsRollupPlugin } from '@hogmaps/rollup';
import { type Plugin, rollup } from 'rollup';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { beyondPlain, chunkKeys, compareOutputs, fingerprintOutput, plainChunks } from './output-changes';

// A small app built for real with rollup and content-hashed names: the entry imports a shared module
// statically and two routes lazily; one route imports the shared module too.
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-bench-output-changes-'));
  const files: Record<string, string> = {
    'main.js':
      "import { s } from './shared.js';\nexport const go = () => import('./route.js').then((m) => m.default(s));\n" +
      "export const other = () => import('./other.js');\n",
    'shared.js': 'export const s = 1;\n',
    'route.js': "import { s } from './shared.js';\nexport default function route(x) {\n  return x + s;\n}\n",
    'other.js': 'export default function other() {\n  return 2;\n}\n',
  };
  for (const [name, code] of Object.entries(files)) await writeFile(path.join(dir, name), code);
  resetBuildSessions();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Stands in for a release id injected into the entry only: rollup's name hash covers a banner. */
function releaseBanner(release: string): Plugin {
  return { name: 'release-banner', banner: (chunk) => (chunk.isEntry ? `/* release ${release} */` : '') };
}

async function build(name: string, plugins: Plugin[] = []): Promise<string> {
  const outDir = path.join(dir, name);
  const bundle = await rollup({ input: { main: path.join(dir, 'main.js') }, plugins });
  await bundle.write({
    dir: outDir,
    format: 'es',
    sourcemap: 'hidden',
    entryFileNames: '[name]-[hash].js',
    chunkFileNames: '[name]-[hash].js',
  });
  await bundle.close();
  return outDir;
}

const withPlugin = (release: string) => [
  releaseBanner(release),
  hogmapsRollupPlugin({ logLevel: 'silent', sourcemaps: { releaseName: 'app', releaseVersion: release } }),
];

const changeRoute = () =>
  writeFile(
    path.join(dir, 'route.js'),
    "import { s } from './shared.js';\nexport default function route(x) {\n  return x + s + 1;\n}\n",
  );

describe('output changes between two builds', () => {
  test('the same code built twice changes nothing; a changed lazy route renames the chunks naming it', async () => {
    const a = await fingerprintOutput(await build('plain-a'));
    expect(compareOutputs(a, await fingerprintOutput(await build('plain-again')))).toEqual({
      changedInPlace: [],
      renamed: [],
    });
    await changeRoute();
    const b = await fingerprintOutput(await build('plain-b'));
    const changes = compareOutputs(a, b);
    expect(changes.changedInPlace).toEqual([]);
    // The route, the chunk holding the entry's code (it names the route) and the entry facade naming
    // that chunk; the other lazy route keeps its name and bytes.
    expect(changes.renamed.map((file) => file.replace(/-[\w-]+\.js$/, '')).sort()).toEqual([
      'main',
      'main',
      'route',
    ]);
    expect(b.size).toBe(a.size);
  });

  test('chunks are matched between a build with a plugin and one without, by their maps', async () => {
    const plain = await chunkKeys(await build('plain'));
    const injected = await chunkKeys(await build('injected', withPlugin('1.0.0')));
    expect(plain.size).toBe(4);
    expect(new Set(injected.values())).toEqual(new Set(plain.values()));
    expect([...injected.keys()].some((file) => plain.has(file))).toBe(false);
  });

  test('counts the uploaded chunks the bundler alone left unchanged', async () => {
    const a = await build('a', withPlugin('1.0.0'));
    const plainA = await fingerprintOutput(await build('plain-a'));
    // The same code as a new release: the bundler alone changes nothing, the release renames the entry.
    const b = await build('b', withPlugin('1.0.1'));
    const renamed = compareOutputs(await fingerprintOutput(a), await fingerprintOutput(b)).renamed;
    expect(renamed).toHaveLength(1);
    const plainSame = await build('plain-same');
    const idsOf = async (outDir: string, files: string[]) =>
      new Set(
        await Promise.all(
          files.map(async (file) => detectChunkId(await readFile(path.join(outDir, file), 'utf8'))!),
        ),
      );
    const noChange = await plainChunks(plainSame, compareOutputs(plainA, await fingerprintOutput(plainSame)));
    expect(await beyondPlain(b, await idsOf(b, renamed), noChange)).toEqual({ beyond: 1, unmatched: 0 });

    // A changed route: the bundler alone renames the route and the chunks naming it (see the first
    // test); the plugin adds nothing to those.
    await changeRoute();
    const c = await build('c', withPlugin('1.0.2'));
    const changedC = compareOutputs(await fingerprintOutput(a), await fingerprintOutput(c)).renamed;
    const plainB = await build('plain-b');
    const routeChange = await plainChunks(plainB, compareOutputs(plainA, await fingerprintOutput(plainB)));
    expect(routeChange.changed.size).toBe(3);
    expect(await beyondPlain(c, await idsOf(c, changedC), routeChange)).toEqual({ beyond: 0, unmatched: 0 });
    // Every chunk of the build as if uploaded: the one the bundler did not change is beyond it.
    const all = [...(await fingerprintOutput(c)).keys()];
    expect(all).toHaveLength(4);
    expect(await beyondPlain(c, await idsOf(c, all), routeChange)).toEqual({ beyond: 1, unmatched: 0 });
  });
});
