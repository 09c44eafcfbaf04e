// scripts/with-node24.mjs, which runs the suite's second pass (`pnpm test:node24`) on Node 24: the command
// and everything it starts through PATH must get Node 24, and its failures must reach the caller.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { node24Binary } from '../../tools/node24/index.js';
import { type Manifest, ROOT } from './packages';

const run = promisify(execFile);
const SCRIPT = path.join(ROOT, 'scripts/with-node24.mjs');

/** Runs the script on the Node running this test; resolves with its exit code and output. */
async function withNode24(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout = '', stderr = '' } = error as { code?: number; stdout?: string; stderr?: string };
    return { code, stdout, stderr };
  }
}

describe('scripts/with-node24.mjs', () => {
  const node24 = node24Binary();

  it('has a Node 24 to run on here (tools/node24 installs one)', () => {
    expect(node24).toBeDefined();
  });

  it('runs the command with Node 24 first on PATH, so `node` in anything it starts is Node 24', async () => {
    const result = await withNode24(['sh', '-c', 'command -v node; node -p process.versions.node']);
    expect(result.stderr).toBe('');
    const [announcement, ...lines] = result.stdout.split('\n').filter(Boolean);
    expect(announcement).toMatch(/^Node v24\.\d+\.\d+ \(.+\): sh -c /);
    expect(lines).toEqual([node24, expect.stringMatching(/^24\./)]);
  });

  it("passes on the command's exit code", async () => {
    const result = await withNode24(['node', '-e', 'process.exit(3)']);
    expect(result.code).toBe(3);
  });

  it('fails with the next step when no Node 24 can be found', async () => {
    const result = await withNode24(['node', '--version'], {
      HOGMAPS_NODE24: path.join(ROOT, 'no-such-node'),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('set HOGMAPS_NODE24 to a Node >= 22 binary');
  });

  it('fails when the command cannot be started, naming it', async () => {
    const result = await withNode24(['hogmaps-no-such-command']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('hogmaps-no-such-command: spawn hogmaps-no-such-command ENOENT');
  });

  it('explains its usage when given no command', async () => {
    const result = await withNode24([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: node scripts/with-node24.mjs <command> [args...]');
  });
});

// Every package declares the root's engines (pack.test.ts); the suite runs on this Node and on tools/node24.
describe('engines', () => {
  it('admit both Node versions the suite runs on', async () => {
    const { engines } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
    const node24 = node24Binary();
    expect(node24).toBeDefined();
    const range = engines?.node ?? '';
    const { stdout } = await run(node24!, ['-p', 'process.versions.node']);
    for (const version of [process.versions.node, stdout.trim()]) {
      expect(semver.satisfies(version, range), `Node ${version} in ${range}`).toBe(true);
    }
  });
});
