import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { detectChunkId, resetBuildSessions } from '@hogmaps/core';
import { hogmapsEsbuildPlugin } from '@hogmaps/esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, crashStack, createProject } from './helpers/app';
import { hogmaps } from './helpers/cli';
import { startTestServer, type TestServer } from './helpers/server';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});
afterAll(async () => {
  await test.close();
});

// Before or after the sourceMappingURL comment: posthog-cli appends it last, the plugins before.
const CHUNK_ID_LINE = /^\/\/# chunkId=(\S+)$/gm;

async function chunkIds(project: string): Promise<string[]> {
  const dist = path.join(project, 'dist');
  const ids: string[] = [];
  for (const file of (await readdir(dist)).filter((name) => name.endsWith('.js'))) {
    const found = [...(await readFile(path.join(dist, file), 'utf8')).matchAll(CHUNK_ID_LINE)];
    expect(found, `${file} has exactly one chunk id`).toHaveLength(1);
    ids.push(found[0]![1]!);
  }
  return ids;
}

interface Frame {
  resolved: boolean;
  source?: string;
  line?: number;
  column?: number;
  resolved_name?: string | null;
}

/** The app crashes, and `hogmaps resolve` turns its stack into original frames. */
async function resolvedCrash(project: string): Promise<Frame[]> {
  await writeFile(path.join(project, 'crash.txt'), await crashStack(project));
  const result = await hogmaps(['resolve', 'crash.txt', '--dir', 'dist', '--json'], {
    cwd: project,
    env: test.env,
  });
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout).frames as Frame[])
    .filter((frame) => frame.resolved)
    .map(({ source, line, column, resolved_name }) => ({
      resolved: true,
      source,
      line,
      column,
      resolved_name,
    }));
}

describe('a folder injected by the CLI and by the esbuild adapter', () => {
  it('uploads the same way and resolves to the same original frames', async () => {
    // The same app twice: once built plainly and processed by the CLI, once built with the esbuild
    // adapter (inject only, no credentials) and uploaded by the CLI.
    const seed = `parity-${Date.now()}`;
    const byCli = await createProject(seed);
    const byAdapter = await createProject(seed);
    await buildApp(byCli);
    const processed = await hogmaps(['sourcemap', 'process', 'dist'], { cwd: byCli, env: test.env });
    expect(processed.code).toBe(0);
    expect(processed.stderr).toContain('3 symbol sets uploaded');

    resetBuildSessions();
    await buildApp(byAdapter, { plugins: [hogmapsEsbuildPlugin({ logLevel: 'silent' })] });
    const adapterIds = await chunkIds(byAdapter);
    expect(adapterIds).toHaveLength(3);

    // The CLI recognises the adapter's injection and leaves the files alone...
    const before = await readFile(path.join(byAdapter, 'dist', 'main.js'));
    const inject = await hogmaps(['sourcemap', 'inject', 'dist'], { cwd: byAdapter, env: test.env });
    expect(inject.code).toBe(0);
    expect(inject.stderr).toContain('injected chunk ids into 0 files, 3 already injected');
    expect(await readFile(path.join(byAdapter, 'dist', 'main.js'))).toEqual(before);

    // ...and uploads them the same way: one symbol set per chunk, under the adapter's ids.
    const upload = await hogmaps(['sourcemap', 'upload', 'dist'], { cwd: byAdapter, env: test.env });
    expect(upload.code).toBe(0);
    expect(upload.stderr).toContain('3 symbol sets uploaded');
    const refs = test.server.admin.symbolSetRows(test.server.projectId).map((row) => row.ref);
    expect(refs).toEqual(expect.arrayContaining([...(await chunkIds(byCli)), ...adapterIds]));

    // The same crash resolves to the same original frames from either upload.
    const fromCli = await resolvedCrash(byCli);
    const fromAdapter = await resolvedCrash(byAdapter);
    expect(fromCli.length).toBeGreaterThanOrEqual(2);
    // Lines are 0-based, as PostHog reports them: the throw is on line 2 of format.js, the call on line 5 of main.js.
    expect(fromCli[0]).toMatchObject({ source: expect.stringMatching(/src\/format\.js$/), line: 1 });
    expect(fromCli[1]).toMatchObject({ source: expect.stringMatching(/src\/main\.js$/), line: 4 });
    expect(fromAdapter).toEqual(fromCli);
  });
});

// posthog-cli's snippet (posthog-protocol.md 1.3), placed as posthog-cli places it: at byte 0, on the
// first line, with `//# chunkId=` appended after the sourceMappingURL comment (1.4).
const POSTHOG_CLI_SNIPPET = (chunkId: string) =>
  `!function(){try{var e="undefined"!=typeof window?window:"undefined"!=typeof global?global:"undefined"!=typeof globalThis?globalThis:"undefined"!=typeof self?self:{},n=(new e.Error).stack;n&&(e._posthogChunkIds=e._posthogChunkIds||{},e._posthogChunkIds[n]="${chunkId}")}catch(e){}}();`;

describe('a file injected by posthog-cli', () => {
  it('is detected as injected, left alone, and uploaded under its own chunk id', async () => {
    const project = await createProject();
    await buildApp(project);
    const file = path.join(project, 'dist', 'main.js');
    const mapFile = `${file}.map`;
    const chunkId = `0b6f0b0e-7a1c-4e0c-9d55-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
    const code = await readFile(file, 'utf8');
    await writeFile(file, `${POSTHOG_CLI_SNIPPET(chunkId)}${code}\n//# chunkId=${chunkId}`);
    const map = JSON.parse(await readFile(mapFile, 'utf8'));
    await writeFile(mapFile, JSON.stringify({ ...map, chunk_id: chunkId }));
    const injectedByPostHog = await readFile(file);

    const inject = await hogmaps(['sourcemap', 'inject', 'dist'], { cwd: project, env: test.env });
    expect(inject.code).toBe(0);
    expect(inject.stderr).toContain('injected chunk ids into 2 files, 1 already injected');
    expect(await readFile(file)).toEqual(injectedByPostHog);

    const upload = await hogmaps(['sourcemap', 'upload', 'dist'], { cwd: project, env: test.env });
    expect(upload.code).toBe(0);
    expect(upload.stderr).toContain('3 symbol sets uploaded');
    expect(test.server.admin.symbolSetRows(test.server.projectId).map((row) => row.ref)).toContain(chunkId);
  });

  it('is not taken as injected by its snippet alone (posthog-cli needs the //# chunkId= line too)', async () => {
    const project = await createProject();
    await buildApp(project);
    const file = path.join(project, 'dist', 'main.js');
    const chunkId = 'c0ffee00-1111-4222-8333-444455556666';
    await writeFile(file, POSTHOG_CLI_SNIPPET(chunkId) + (await readFile(file, 'utf8')));
    const inject = await hogmaps(['sourcemap', 'inject', 'dist'], { cwd: project });
    expect(inject.code).toBe(0);
    expect(inject.stderr).not.toContain('already injected');
    const code = await readFile(file, 'utf8');
    const own = detectChunkId(code);
    expect(own).toBeDefined();
    expect(own).not.toBe(chunkId);
  });
});
