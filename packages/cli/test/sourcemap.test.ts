import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createProject } from './helpers/app';
import { hogmaps } from './helpers/cli';
import { startTestServer, type TestServer } from './helpers/server';

const CHUNK_ID_LINE = /\n\/\/# chunkId=([0-9a-f-]{36})$/;
const RELEASE = ['--release-name', 'shop', '--release-version', '1.0.0'];

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});
afterAll(async () => {
  await test.close();
});

async function readDist(project: string): Promise<Record<string, string>> {
  const dist = path.join(project, 'dist');
  const files: Record<string, string> = {};
  for (const file of await readdir(dist)) files[file] = await readFile(path.join(dist, file), 'utf8');
  return files;
}

function uploadedRefs(): string[] {
  return test.server.admin
    .symbolSetRows(test.server.projectId)
    .filter((row) => row.content_hash !== null)
    .map((row) => row.ref);
}

describe('hogmaps sourcemap process', () => {
  it('injects every chunk, rewrites its map, and uploads each symbol set once', async () => {
    const project = await createProject();
    const jsFiles = await buildApp(project);
    expect(jsFiles.length).toBe(3); // entry, lazy chunk, shared chunk

    const result = await hogmaps(['sourcemap', 'process', 'dist', ...RELEASE], {
      cwd: project,
      env: test.env,
    });
    expect(result.stderr).toContain('injected chunk ids into 3 files');
    expect(result.stderr).toContain('3 symbol sets uploaded');
    expect(result.code).toBe(0);

    const files = await readDist(project);
    const ids: string[] = [];
    for (const js of jsFiles) {
      const id = CHUNK_ID_LINE.exec(files[js]!)?.[1];
      expect(id, js).toBeDefined();
      ids.push(id!);
      // Event mode: the release id is in the snippet, and the map carries the id too.
      expect(files[js]).toContain('_posthogReleaseId');
      expect(JSON.parse(files[`${js}.map`]!).chunk_id).toBe(id);
    }
    expect(uploadedRefs()).toEqual(expect.arrayContaining(ids));

    // The rewritten map still resolves the throw in format.js to its original line.
    const shared = jsFiles.find((file) => files[file]!.includes('invalid total'))!;
    const code = files[shared]!;
    const map = new TraceMap(files[`${shared}.map`]!);
    const lines = code.split('\n');
    const line = lines.findIndex((text) => text.includes('invalid total'));
    const column = lines[line]!.indexOf('throw');
    const original = originalPositionFor(map, { line: line + 1, column });
    expect(original.source).toMatch(/format\.js$/);
    expect(original.line).toBe(2);

    // A second run changes nothing and uploads nothing new.
    const again = await hogmaps(['sourcemap', 'process', 'dist', ...RELEASE], {
      cwd: project,
      env: test.env,
    });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('3 already injected');
    expect(again.stderr).toContain('3 already present');
    expect(await readDist(project)).toEqual(files);
  });

  it('gives its own id to a file whose trailing chunkId comment is a path, not an id', async () => {
    const project = await createProject();
    const [entry] = await buildApp(project, { sourcemap: 'external' });
    // A prebuilt dependency copied to the output as is, its last line from someone else's tool.
    const file = path.join(project, 'dist', entry!);
    await writeFile(file, `${await readFile(file, 'utf8')}//# chunkId=../../../escaped`);
    const result = await hogmaps(['sourcemap', 'process', 'dist', ...RELEASE], {
      cwd: project,
      env: test.env,
    });
    expect(result.code).toBe(0);
    const id = CHUNK_ID_LINE.exec(await readFile(file, 'utf8'))?.[1];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(uploadedRefs()).toContain(id);
    expect(uploadedRefs()).not.toContain('../../../escaped');
  });

  it('deletes maps and their sourceMappingURL comments with --delete-after, CSS included', async () => {
    const project = await createProject();
    const jsFiles = await buildApp(project);
    const result = await hogmaps(
      ['sourcemap', 'process', '--directory', 'dist', '--delete-after', ...RELEASE],
      {
        cwd: project,
        env: test.env,
      },
    );
    expect(result.code).toBe(0);
    const files = await readDist(project);
    expect(Object.keys(files).filter((file) => file.endsWith('.map'))).toEqual([]);
    for (const js of jsFiles) {
      expect(files[js]).not.toContain('sourceMappingURL');
      expect(files[js]).toMatch(CHUNK_ID_LINE);
    }
    expect(files['main.css']).not.toContain('sourceMappingURL');
    expect(result.stderr).toContain('4 maps deleted');
  });

  it('binds symbol sets to the release in symbol-set mode', async () => {
    const project = await createProject();
    await buildApp(project);
    const result = await hogmaps(
      [
        'sourcemap',
        'process',
        'dist',
        '--release-mode',
        'symbol-set',
        '--release-name',
        'shop',
        '--release-version',
        '2.0.0',
      ],
      { cwd: project, env: test.env },
    );
    expect(result.code).toBe(0);
    const files = await readDist(project);
    const ids = Object.values(files).flatMap((text) => CHUNK_ID_LINE.exec(text)?.[1] ?? []);
    expect(ids).toHaveLength(3);
    const rows = test.server.admin
      .symbolSetRows(test.server.projectId)
      .filter((row) => ids.includes(row.ref));
    expect(rows).toHaveLength(3);
    const releaseIds = new Set(rows.map((row) => row.release_id));
    expect(releaseIds.size).toBe(1);
    expect([...releaseIds][0]).not.toBeNull();
    // No release snippet in symbol-set mode.
    expect(Object.values(files).some((text) => text.includes('_posthogReleaseId'))).toBe(false);
  });

  it('changes nothing and sends nothing with --dry-run, even without credentials', async () => {
    const project = await createProject();
    await buildApp(project);
    const before = await readDist(project);
    const rows = uploadedRefs().length;
    const result = await hogmaps(
      ['sourcemap', 'process', 'dist', '--dry-run', '--delete-after', ...RELEASE],
      {
        cwd: project,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('would inject chunk ids into 3 files');
    expect(result.stderr).toContain('3 symbol sets would upload');
    expect(await readDist(project)).toEqual(before);
    expect(uploadedRefs().length).toBe(rows);
  });
});

describe('hogmaps sourcemap inject and upload', () => {
  it('injects idempotently, then uploads what inject produced', async () => {
    const project = await createProject();
    await buildApp(project);
    const inject = await hogmaps(['sourcemap', 'inject', 'dist', ...RELEASE], {
      cwd: project,
      env: test.env,
    });
    expect(inject.code).toBe(0);
    expect(inject.stderr).toContain('injected chunk ids into 3 files');
    const injected = await readDist(project);

    const again = await hogmaps(['sourcemap', 'inject', 'dist', ...RELEASE], { cwd: project, env: test.env });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('injected chunk ids into 0 files, 3 already injected');
    expect(await readDist(project)).toEqual(injected);

    const upload = await hogmaps(['sourcemap', 'upload', 'dist', '--batch-size', '1', '--concurrency', '1'], {
      cwd: project,
      env: test.env,
    });
    expect(upload.code).toBe(0);
    expect(upload.stderr).toContain('3 symbol sets uploaded');
    const ids = Object.values(injected).flatMap((text) => CHUNK_ID_LINE.exec(text)?.[1] ?? []);
    expect(uploadedRefs()).toEqual(expect.arrayContaining(ids));
  });

  it('shows progress by default and none with --quiet, which prints only warnings', async () => {
    const project = await createProject();
    await buildApp(project);
    const loud = await hogmaps(['sourcemap', 'process', 'dist', ...RELEASE], { cwd: project, env: test.env });
    expect(loud.code).toBe(0);
    expect(loud.stderr).toContain('uploading 3 symbol sets');
    expect(loud.stderr).toContain('uploading: 3/3 symbol sets');

    await rm(path.join(project, 'dist'), { recursive: true, force: true });
    await buildApp(project);
    const quiet = await hogmaps(['sourcemap', 'process', 'dist', '-q', ...RELEASE], {
      cwd: project,
      env: test.env,
    });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    const ids = Object.values(await readDist(project)).flatMap((text) => CHUNK_ID_LINE.exec(text)?.[1] ?? []);
    expect(ids).toHaveLength(3);
    expect(uploadedRefs()).toEqual(expect.arrayContaining(ids));
    await rm(project, { recursive: true, force: true });
  });

  it('refuses to upload files without a chunk id, uploading nothing', async () => {
    const project = await createProject();
    await buildApp(project);
    const rows = uploadedRefs().length;
    const result = await hogmaps(['sourcemap', 'upload', 'dist'], { cwd: project, env: test.env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Chunk ID not found in dist/');
    expect(result.stderr).toContain("Run 'hogmaps sourcemap inject' before 'hogmaps sourcemap upload'");
    expect(uploadedRefs().length).toBe(rows);
  });

  it("reads file paths from standard input with --stdin, as PostHog's plugins send them", async () => {
    const project = await createProject();
    const jsFiles = await buildApp(project);
    const others = jsFiles.filter((file) => file !== 'main.js');
    const result = await hogmaps(['sourcemap', 'inject', '--stdin', ...RELEASE], {
      cwd: project,
      env: test.env,
      input: `${others.map((file) => path.join(project, 'dist', file)).join('\n')}\n`,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('injected chunk ids into 2 files');
    const files = await readDist(project);
    expect(files['main.js']).not.toMatch(CHUNK_ID_LINE);
    for (const file of others) expect(files[file]).toMatch(CHUNK_ID_LINE);
  });

  it('honours --include and --exclude globs', async () => {
    const project = await createProject();
    await buildApp(project);
    const excluded = await hogmaps(
      ['sourcemap', 'inject', 'dist', '--exclude', 'chunk-*.js', '-e', 'report-*.js'],
      {
        cwd: project,
      },
    );
    expect(excluded.stderr).toContain('injected chunk ids into 1 file');
    const files = await readDist(project);
    expect(files['main.js']).toMatch(CHUNK_ID_LINE);
    expect(
      Object.entries(files).filter(([name, text]) => name.endsWith('.js') && CHUNK_ID_LINE.test(text)),
    ).toHaveLength(1);

    const included = await hogmaps(
      ['sourcemap', 'inject', 'dist', '-i', 'dist/report-*.js', '--include', 'main.js'],
      {
        cwd: project,
      },
    );
    expect(included.stderr).toContain('injected chunk ids into 1 file, 1 already injected');
  });

  it('skips files without a map and maps that are not JSON, and says so', async () => {
    const project = await createProject();
    await buildApp(project);
    await writeFile(path.join(project, 'dist', 'vendor.js'), 'console.log("no map");\n');
    await writeFile(path.join(project, 'dist', 'broken.js'), 'x();\n//# sourceMappingURL=broken.js.map\n');
    await writeFile(path.join(project, 'dist', 'broken.js.map'), '{ not json');
    const result = await hogmaps(['sourcemap', 'inject', 'dist', ...RELEASE], {
      cwd: project,
      env: test.env,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('1 JavaScript file without a source map skipped');
    expect(result.stderr).toMatch(/broken\.js\.map: source map is not valid JSON.*skipped/);
    expect(result.stderr).toContain('injected chunk ids into 3 files, 1 skipped');
    await rm(project, { recursive: true, force: true });
  });
});
