import { describe, expect, test } from 'vitest';
import { runCli, USAGE } from '../src/cli/run';
import { http } from './helpers/http';
import { tempDataDir } from './helpers/server';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

describe('hogmaps-server command line', () => {
  test('starts with --port/--host/--data-dir and prints where and how to connect', async () => {
    const dataDir = tempDataDir();
    const { io, out } = capture();
    const server = await runCli(['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--quiet'], io);
    try {
      expect(server).toBeDefined();
      const text = out.join('');
      expect(text).toContain(`listening on ${server!.url}`);
      expect(text).toContain(`error inbox:       ${server!.url}/\n`);
      expect(text).toMatch(/project id:\s+1\n/);
      expect(text).toContain(`personal API key:  ${server!.apiKey}`);
      expect(text).toMatch(/project token:\s+phc_/);
      expect(text).toContain(dataDir);
      const response = await http('GET', `${server!.url}/api/projects/1/error_tracking/releases`, {
        headers: { authorization: `Bearer ${server!.apiKey}` },
      });
      expect(response.status).toBe(200);
    } finally {
      await server?.close();
    }
  });

  test('--help prints usage and starts nothing', async () => {
    const { io, out } = capture();
    expect(await runCli(['--help'], io)).toBeUndefined();
    expect(out.join('')).toBe(USAGE);
  });

  test.each([
    [['--port', 'eighty'], /--port: expected a number/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', '70000', '--data-dir', 'x'], /port: expected an integer from 0 to 65535/],
    [['--api-key', 'nope'], /apiKey: expected "phx_"/],
  ])('bad flags %j are an OptionsError', async (argv, message) => {
    const { io } = capture();
    await expect(runCli(argv, io)).rejects.toThrow(message);
  });
});
