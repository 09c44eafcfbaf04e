import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hogmaps } from './helpers/cli';
import { tempDir } from './helpers/temp';

// Issue #11 item 10: a busy port says what to do and leaves nothing behind.
let busy: Server;
let port: number;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  port = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
});

it('hogmaps serve on a busy port suggests --port 0 and creates no data folder', async () => {
  const dir = await tempDir('hogmaps-cli-busy-port');
  const result = await hogmaps(['serve', '--port', String(port), '--data-dir', 'data'], { cwd: dir });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
  expect(result.stderr).toContain('--port 0 for any free port');
  expect(existsSync(path.join(dir, 'data'))).toBe(false);
});
