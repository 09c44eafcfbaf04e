import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, crashStack, createProject } from './helpers/app';
import { hogmaps, serverEnv, spawnServe } from './helpers/cli';
import { startTestServer, type TestServer } from './helpers/server';
import { tempDir } from './helpers/temp';

describe('hogmaps serve', () => {
  it('starts the server, answers the other commands, and stops cleanly on SIGTERM', async () => {
    const dir = await tempDir('hogmaps-cli-serve');
    const { child, exited, stdout, stderr } = await spawnServe(
      ['serve', '--port', '0', '--data-dir', 'data'],
      {
        cwd: dir,
      },
    );
    const env = serverEnv(stdout);
    expect(stdout).toContain(`error inbox:       ${env.POSTHOG_CLI_HOST}/\n`);
    expect(stdout).toContain(`data dir:          ${path.join(dir, 'data')}`);

    const created = await hogmaps(
      ['releases', 'create', '--release-name', 'local', '--release-version', '1'],
      {
        cwd: dir,
        env,
      },
    );
    expect(created.code).toBe(0);
    const listed = await hogmaps(['releases', 'list'], { cwd: dir, env });
    expect(listed.stdout).toMatch(/local\s+1\s/);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr()).toContain('server stopped');
  });

  it('never takes the global --host (the PostHog URL) as the address to listen on', async () => {
    const dir = await tempDir('hogmaps-cli-serve');
    const { child, exited, stdout } = await spawnServe(
      ['--host', 'https://eu.i.posthog.com', 'serve', '--port', '0', '--data-dir', 'data'],
      { cwd: dir },
    );
    expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  // All of 127.0.0.0/8 is loopback on Linux (macOS has only 127.0.0.1 by default).
  it.skipIf(process.platform !== 'linux')('listens where --bind says', async () => {
    const dir = await tempDir('hogmaps-cli-serve');
    const { child, exited, stdout } = await spawnServe(['serve', '--bind', '127.0.0.2', '--port', '0'], {
      cwd: dir,
    });
    expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.2:\d+/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('answers a bare address after --host with a usage error naming --bind', async () => {
    const dir = await tempDir('hogmaps-cli-serve');
    const result = await hogmaps(['serve', '--host', '0.0.0.0', '--port', '0'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--host is the PostHog URL, not the address to listen on; use --bind 0.0.0.0',
    );
  });

  it('rejects a bad port as a usage error', async () => {
    const dir = await tempDir('hogmaps-cli-serve');
    const result = await hogmaps(['serve', '--port', 'eighty'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port must be an integer from 0 to 65535, got "eighty"');
  });
});

describe('hogmaps resolve', () => {
  let test: TestServer;
  let project: string;
  let stack: string;

  beforeAll(async () => {
    test = await startTestServer();
    project = await createProject();
    await buildApp(project);
    const processed = await hogmaps(['sourcemap', 'process', 'dist'], { cwd: project, env: test.env });
    expect(processed.code).toBe(0);
    stack = await crashStack(project);
  });
  afterAll(async () => {
    await test.close();
  });

  it('prints the original frames of a stack trace read from standard input', async () => {
    expect(stack).toMatch(/at \S+ \(file:\/\/.*\/dist\/chunk-\w+\.js:1:\d+\)/);
    const result = await hogmaps(['resolve', '--dir', 'dist', '--context'], {
      cwd: project,
      env: test.env,
      input: stack,
    });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    // The release the build injected (event mode: shop 1.0.0 from package.json) comes first.
    expect(lines[0]).toMatch(/^release: shop 1\.0\.0 \([0-9a-f-]{36}\)$/);
    expect(lines[1]).toMatch(/^RangeError: invalid total \(.*\): 0$/);
    // Lines and columns as an editor counts them (1-based), from the server's 0-based ones.
    expect(lines[2]).toMatch(/^ {4}at formatTotal \(\.\.\/src\/format\.js:2:\d+\)$/);
    expect(lines[3]).toContain("> if (cents <= 0) throw new RangeError('invalid total");
    expect(lines[4]).toMatch(/^ {4}at checkout \(\.\.\/src\/main\.js:5:\d+\)$/);
    // Frames outside the build (the crash script itself) stay as they were.
    expect(result.stdout).toContain('crash.mjs');
  });

  it('reads JSON frames that carry their chunk ids, from a file', async () => {
    const code = await readFile(path.join(project, 'dist', 'main.js'), 'utf8');
    const chunkId = /\/\/# chunkId=(\S+)/.exec(code)![1]!;
    const [, name, lineno, colno] = /at (\S+) \([^)]*\/dist\/main\.js:(\d+):(\d+)\)/.exec(stack)!;
    const frames = [
      {
        platform: 'web:javascript',
        filename: 'https://shop.example/main.js',
        function: name,
        lineno: Number(lineno),
        colno: Number(colno),
        chunk_id: chunkId,
      },
    ];
    await writeFile(path.join(project, 'frames.json'), JSON.stringify({ frames }));
    const result = await hogmaps(['resolve', 'frames.json', '--json'], { cwd: project, env: test.env });
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    // PostHog's frame: 0-based line (src/main.js line 5).
    expect(output.frames[0]).toMatchObject({ resolved: true, line: 4, resolved_name: 'checkout' });
    expect(output.frames[0].source).toMatch(/src\/main\.js$/);
    expect(output.release).toBeNull();
  });

  it("names the release of an $exception event's $release_id", async () => {
    const release = await hogmaps(
      ['releases', 'create', '--release-name', 'shop', '--release-version', '9.9.9', '--json'],
      { cwd: project, env: test.env },
    );
    expect(release.code, release.stderr).toBe(0);
    const { id } = JSON.parse(release.stdout);
    const code = await readFile(path.join(project, 'dist', 'main.js'), 'utf8');
    const chunkId = /\/\/# chunkId=(\S+)/.exec(code)![1]!;
    const [, name, lineno, colno] = /at (\S+) \([^)]*\/dist\/main\.js:(\d+):(\d+)\)/.exec(stack)!;
    const event = {
      event: '$exception',
      properties: {
        $release_id: id,
        $exception_list: [
          {
            type: 'RangeError',
            stacktrace: {
              type: 'raw',
              frames: [
                {
                  filename: 'https://shop.example/main.js',
                  function: name,
                  lineno: Number(lineno),
                  colno: Number(colno),
                  chunk_id: chunkId,
                },
              ],
            },
          },
        ],
      },
    };
    await writeFile(path.join(project, 'event.json'), JSON.stringify(event));
    const text = await hogmaps(['resolve', 'event.json'], { cwd: project, env: test.env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe(`release: shop 9.9.9 (${id})`);
    const json = await hogmaps(['resolve', 'event.json', '--json'], { cwd: project, env: test.env });
    expect(JSON.parse(json.stdout).release).toMatchObject({ id, project: 'shop', version: '9.9.9' });
  });

  it('fails clearly when nothing can be resolved', async () => {
    const noFrames = await hogmaps(['resolve'], { cwd: project, env: test.env, input: 'just some text\n' });
    expect(noFrames.code).toBe(1);
    expect(noFrames.stderr).toContain('no stack frames found in the input');

    const noDir = await hogmaps(['resolve'], { cwd: project, env: test.env, input: stack });
    expect(noDir.code).toBe(1);
    expect(noDir.stderr).toContain('no --dir: frames carry no chunk id');
    expect(noDir.stderr).toContain('none of the');

    const missing = await hogmaps(['resolve', 'nope.txt', '--dir', 'dist'], { cwd: project, env: test.env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('file not found: nope.txt');

    const empty = await hogmaps(['resolve', '--dir', 'dist'], { cwd: project, env: test.env });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no stack trace');
  });
});
