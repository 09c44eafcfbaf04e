// The release is registered (event mode: undici loaded, requests to PostHog) while the bundler builds
// its module graph, not before it: the build never waits on the network before its first module.
// The server holds its answer to the registration back; a plugin of the build itself looks, when the
// bundler asks it for the first module, whether the release exists yet.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hogmapsRolldownPlugin } from '@hogmaps/rolldown';
import { HogmapsWebpackPlugin } from '@hogmaps/webpack';
import { rolldown } from 'rolldown';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import webpack from 'webpack';
import { startTestServer, type TestProject, type TestServer } from './harness/server';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-release-overlap-'));
  await writeFile(
    path.join(dir, 'main.js'),
    'export function main() { throw new Error("overlap"); }\nglobalThis.main = main;\n',
  );
  server.server.faults.clear();
  // Long enough that a build which did not wait reaches its first module well before the answer.
  server.server.faults.add({
    match: { method: 'POST', path: '/error_tracking/releases' },
    action: { delayMs: 3_000 },
    times: 1,
  });
  return () => rm(dir, { recursive: true, force: true });
});

async function releaseCount(project: TestProject): Promise<number> {
  return (await project.releases()).length;
}

/** The one chunk carries a chunk id and the release's id (event mode's snippet). */
async function expectInjectedWith(file: string, releaseId: string): Promise<void> {
  const code = await readFile(file, 'utf8');
  expect(code).toMatch(/\/\/# chunkId=[\w-]+/);
  expect(code).toContain(JSON.stringify(releaseId));
}

describe('the release is registered while the bundler works', () => {
  test('rolldown: modules are loaded before the registration is answered', async () => {
    const project = server.project();
    const seen: number[] = [];
    const bundle = await rolldown({
      input: path.join(dir, 'main.js'),
      plugins: [
        hogmapsRolldownPlugin(project.options({ manifest: false })),
        {
          name: 'probe',
          async load() {
            seen.push(await releaseCount(project));
            return null;
          },
        },
      ],
    });
    await bundle.write({ dir: path.join(dir, 'dist'), format: 'es', sourcemap: 'hidden' });
    await bundle.close();
    expect(seen[0]).toBe(0);
    const [release] = await project.releases();
    expect(release).toBeDefined();
    await expectInjectedWith(path.join(dir, 'dist', 'main.js'), release!.id);
  });

  test('webpack: the compilation starts before the registration is answered', async () => {
    const project = server.project();
    const seen: number[] = [];
    const compiler = webpack({
      mode: 'production',
      context: dir,
      entry: './main.js',
      devtool: 'hidden-source-map',
      output: { path: path.join(dir, 'dist'), filename: 'main.js' },
      plugins: [
        new HogmapsWebpackPlugin(project.options({ manifest: false })),
        {
          apply: (c: webpack.Compiler) =>
            c.hooks.make.tapPromise('probe', async () => void seen.push(await releaseCount(project))),
        },
      ],
    });
    const stats = await new Promise<webpack.Stats>((resolve, reject) =>
      compiler.run((error, result) => (error || !result ? reject(error) : resolve(result))),
    );
    await new Promise<void>((resolve) => compiler.close(() => resolve()));
    expect(stats.hasErrors()).toBe(false);
    expect(seen[0]).toBe(0);
    const [release] = await project.releases();
    expect(release).toBeDefined();
    await expectInjectedWith(path.join(dir, 'dist', 'main.js'), release!.id);
  });
});
