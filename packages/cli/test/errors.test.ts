import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createProject } from './helpers/app';
import { hogmaps } from './helpers/cli';
import { startTestServer, type TestServer } from './helpers/server';
import { tempDir } from './helpers/temp';

let test: TestServer;
let project: string;

beforeAll(async () => {
  test = await startTestServer();
  project = await createProject();
  await buildApp(project);
});
afterAll(async () => {
  await test.close();
});

const BAD_KEY = 'phx_thisKeyDoesNotExistOnTheServer0123456789';

describe('failures exit 1 with a clear message', () => {
  it('explains a key the server rejects, without printing it', async () => {
    const result = await hogmaps(
      ['sourcemap', 'process', 'dist', '--release-name', 'a', '--release-version', '1'],
      {
        cwd: project,
        env: { ...test.env, POSTHOG_CLI_API_KEY: BAD_KEY },
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('rejected the API key (HTTP 401');
    expect(result.stderr).toContain('Check the key in POSTHOG_CLI_API_KEY');
    expect(result.stderr + result.stdout).not.toContain(BAD_KEY);
  });

  it('exits 0 on the same failure with --no-fail', async () => {
    const result = await hogmaps(['releases', 'list', '--no-fail'], {
      cwd: project,
      env: { ...test.env, POSTHOG_CLI_API_KEY: BAD_KEY },
    });
    expect(result.stderr).toContain('rejected the API key');
    expect(result.code).toBe(0);
  });

  it('reports a folder that has JavaScript but no source maps', async () => {
    const dir = await tempDir('hogmaps-cli-nomaps');
    await mkdir(path.join(dir, 'out'));
    await writeFile(path.join(dir, 'out', 'app.js'), 'console.log(1);\n');
    await writeFile(path.join(dir, 'out', 'other.mjs'), 'export {};\n');
    for (const step of ['inject', 'upload', 'process']) {
      const result = await hogmaps(['sourcemap', step, 'out'], { cwd: dir, env: test.env });
      expect(result.code, step).toBe(1);
      expect(result.stderr).toContain('no source maps found in out: 2 JavaScript files, none with a map');
    }
  });

  it('reports a folder with no JavaScript at all', async () => {
    const dir = await tempDir('hogmaps-cli-empty');
    await mkdir(path.join(dir, 'out'));
    const result = await hogmaps(['sourcemap', 'inject', 'out'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no JavaScript files (.js, .mjs, .cjs) found in out');
  });

  it('reports a server it cannot reach', async () => {
    const result = await hogmaps(['releases', 'list'], {
      cwd: project,
      env: { ...test.env, POSTHOG_CLI_HOST: 'http://127.0.0.1:9' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach http://127.0.0.1:9');
  });
});

describe('the API key never reaches the output', () => {
  it('masks a key the server echoes back in `code`, `attr` and an S3 <Code>, with --verbose and a stack', async () => {
    const key = test.env.POSTHOG_CLI_API_KEY!;
    const masked = `phx_…${key.slice(-4)}`;
    const echo = { type: 'validation_error', code: key, detail: `bad ${key}`, attr: key };
    try {
      test.server.faults.add({
        match: { path: 'bulk_start_upload' },
        action: { status: 400, body: echo },
        times: 1,
      });
      test.server.faults.add({
        match: { target: 'storage' },
        action: { status: 403, body: `<Error><Code>${key}</Code><Message>no ${key}</Message></Error>` },
        times: 100,
      });
      const app = await createProject();
      await buildApp(app);
      const upload = await hogmaps(
        [
          'sourcemap',
          'process',
          'dist',
          '--batch-size',
          '1',
          '--verbose',
          '--release-name',
          'k',
          '--release-version',
          '1',
        ],
        { cwd: app, env: test.env },
      );
      expect(upload.code).toBe(1);
      expect(upload.stderr).toContain(`(${masked} on ${masked}): bad ${masked}`);
      expect(upload.stderr).toContain(`HTTP 403 (${masked}): no ${masked}`);
      expect(upload.stdout + upload.stderr).not.toContain(key);

      // A thrown failure prints its stack with --verbose.
      test.server.faults.add({ match: { path: 'releases' }, action: { status: 400, body: echo }, times: 1 });
      const list = await hogmaps(['releases', 'list', '--verbose'], { cwd: app, env: test.env });
      expect(list.code).toBe(1);
      expect(list.stderr).toContain('    at ');
      expect(list.stderr).toContain(masked);
      expect(list.stdout + list.stderr).not.toContain(key);
    } finally {
      test.server.faults.clear();
    }
  });
});

describe('usage errors exit 2 and change nothing', () => {
  it('names a missing directory', async () => {
    const result = await hogmaps(['sourcemap', 'process', 'dist', 'dist-typo'], {
      cwd: project,
      env: test.env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('directory not found: dist-typo');
    expect(result.stderr).toContain('Usage: hogmaps sourcemap process');
  });

  it('rejects --force with --skip-on-conflict', async () => {
    const result = await hogmaps(['sourcemap', 'upload', 'dist', '--force', '--skip-on-conflict'], {
      cwd: project,
      env: test.env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--force and --skip-on-conflict cannot be used together');
  });

  it('suggests the flag or command that was meant', async () => {
    const flag = await hogmaps(['sourcemap', 'upload', 'dist', '--relase-name', 'x'], { cwd: project });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('unknown option --relase-name (did you mean --release-name?)');
    const command = await hogmaps(['sourcemap', 'uplaod', 'dist'], { cwd: project });
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "sourcemap uplaod" (did you mean "sourcemap upload"?)');
    const group = await hogmaps(['relases', 'list'], { cwd: project });
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('(did you mean "releases"?)');
  });

  it('asks for credentials before uploading anything', async () => {
    const result = await hogmaps(['sourcemap', 'process', 'dist'], {
      cwd: project,
      env: { POSTHOG_CLI_HOST: test.env.POSTHOG_CLI_HOST },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'no PostHog credentials: set a personal API key (POSTHOG_CLI_API_KEY or --api-key, phx_…) and a project id',
    );
  });

  it('names invalid values with their flag or variable', async () => {
    const batch = await hogmaps(['sourcemap', 'upload', 'dist', '--batch-size', '0'], {
      cwd: project,
      env: test.env,
    });
    expect(batch.code).toBe(2);
    expect(batch.stderr).toContain('--batch-size must be an integer from 1 to 1000, got "0"');
    const project_ = await hogmaps(['releases', 'list'], {
      cwd: project,
      env: { ...test.env, POSTHOG_CLI_PROJECT_ID: 'my-project' },
    });
    expect(project_.code).toBe(2);
    expect(project_.stderr).toContain(
      '--project-id: expected a numeric project id such as 12345 (from POSTHOG_CLI_PROJECT_ID)',
    );
    const mode = await hogmaps(['sourcemap', 'inject', 'dist', '--release-mode', 'eventual'], {
      cwd: project,
    });
    expect(mode.code).toBe(2);
    expect(mode.stderr).toContain('--release-mode must be one of event, symbol-set, got "eventual"');
  });

  it('needs a command and a manifest', async () => {
    const none = await hogmaps([], { cwd: project });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: hogmaps <command>');
    const group = await hogmaps(['sourcemap'], { cwd: project });
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('missing command: hogmaps sourcemap <inject|upload|process>');
    const upload = await hogmaps(['upload'], { cwd: project, env: test.env });
    expect(upload.code).toBe(2);
    expect(upload.stderr).toContain('--manifest is required');
    const missing = await hogmaps(['upload', '--manifest', 'nope.json'], { cwd: project, env: test.env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('manifest not found');
  });
});

describe('help and version', () => {
  const commands = [
    ['sourcemap', 'inject'],
    ['sourcemap', 'upload'],
    ['sourcemap', 'process'],
    ['upload'],
    ['releases', 'list'],
    ['releases', 'get'],
    ['releases', 'create'],
    ['releases', 'update'],
    ['releases', 'delete'],
    ['releases', 'resolve'],
    ['symbol-sets', 'list'],
    ['symbol-sets', 'get'],
    ['symbol-sets', 'update'],
    ['symbol-sets', 'delete'],
    ['symbol-sets', 'download'],
    ['serve'],
    ['resolve'],
  ];

  it.each(commands.map((words) => words.join(' ')))('hogmaps %s --help', async (name) => {
    const args = name.split(' ');
    const result = await hogmaps([...args, '--help'], { cwd: project });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage:\n  hogmaps ${args.join(' ')}`);
    expect(result.stdout).toContain('Exit codes:');
  });

  it('lists every command and the exit codes at the top level', async () => {
    const result = await hogmaps(['--help'], { cwd: project });
    expect(result.code).toBe(0);
    for (const words of commands) expect(result.stdout).toContain(`  ${words.join(' ')} `);
    expect(result.stdout).toContain('2  usage error');
    const help = await hogmaps(['help', 'releases'], { cwd: project });
    expect(help.stdout).toContain('Usage: hogmaps releases <command>');
  });

  it('prints its version', async () => {
    const result = await hogmaps(['--version'], { cwd: project });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
