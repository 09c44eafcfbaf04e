import { describe, expect, it } from 'vitest';
import { commandNameOf, run } from './run';
import { CLI_VERSION } from './version';

function recorder() {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdout: { write: (text: string | Uint8Array) => (stdout += String(text)) },
      stderr: { write: (text: string | Uint8Array) => (stderr += String(text)) },
      readStdin: async () => '',
      env: {},
      cwd: process.cwd(),
    },
    output: () => ({ stdout, stderr }),
  };
}

async function cli(...argv: string[]) {
  const { io, output } = recorder();
  const code = await run(argv, io);
  return { code, ...output() };
}

describe('run', () => {
  it('prints the version and help with exit code 0', async () => {
    expect(await cli('--version')).toMatchObject({ code: 0, stdout: `${CLI_VERSION}\n` });
    const help = await cli('help', 'sourcemap', 'upload');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('hogmaps sourcemap upload [options] <dir…>');
    expect(help.stdout).toContain('--release-name <name>');
    expect(help.stdout).toContain('[alias: --project]');
    // Global options may come before the command.
    const early = await cli('--host', 'http://x.test', 'releases', 'list', '--help');
    expect(early.stdout).toContain('hogmaps releases list');
  });

  it('accepts the aliases of command groups', async () => {
    expect((await cli('release', 'resolve', '--help')).stdout).toContain('hogmaps releases resolve');
    expect((await cli('sourcemaps', '--help')).stdout).toContain('Usage: hogmaps sourcemap <command>');
    expect((await cli('symbol-set', 'list', '--help')).code).toBe(0);
  });

  it('exits 2 for usage errors, with the usage of the command', async () => {
    const unknown = await cli('deploy');
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toContain('[hogmaps] error: unknown command "deploy"');
    const conflicting = await cli('releases', 'list', '--verbose', '--quiet');
    expect(conflicting.code).toBe(2);
    expect(conflicting.stderr).toContain('--verbose and --quiet cannot be used together');
    expect(conflicting.stderr).toContain('Usage: hogmaps releases list');
    const empty = await cli();
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('Commands:');
  });
});

describe('commandNameOf', () => {
  it('names the command or group after any global options, as the CLI dispatches it', () => {
    expect(commandNameOf(['serve', '--port', '0'])).toBe('serve');
    expect(commandNameOf(['--host', 'https://eu.i.posthog.com', 'serve'])).toBe('serve');
    expect(commandNameOf(['--log-level', 'debug', 'sourcemap', 'upload', 'dist'])).toBe('sourcemap');
    expect(commandNameOf(['sourcemaps', 'inject', 'dist'])).toBe('sourcemap');
    // The value of a global option is not a command; neither is anything after `--`.
    expect(commandNameOf(['--host', 'serve'])).toBeUndefined();
    expect(commandNameOf(['--', 'serve'])).toBeUndefined();
    expect(commandNameOf(['servee'])).toBeUndefined();
  });
});
