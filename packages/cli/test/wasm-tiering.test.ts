// undici's HTTP parser is WebAssembly, which V8 recompiles with TurboFan once it has parsed enough
// (core's wasm-tiering.ts). V8 says so with --trace-wasm-compilation-times; these tests look for
// that line after the same upload with and without keepWasmOnBaselineTier, and after the CLI's.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { keepWasmOnBaselineTier } from '@hogmaps/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hogmaps } from './helpers/cli';
import { startTestServer, type TestServer } from './helpers/server';
import { tempDir } from './helpers/temp';

const TRACE = '--trace-wasm-compilation-times';
const RECOMPILED = /using TurboFan/;
const SETS = 12;
const require = createRequire(import.meta.url);

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});
afterAll(async () => {
  await test.close();
});

/** A folder of small JS files, each with a map that maps its one line. */
async function smallSets(): Promise<string> {
  const dist = path.join(await tempDir('hogmaps-wasm-tiering'), 'dist');
  await mkdir(dist);
  for (let index = 0; index < SETS; index++) {
    const name = `chunk-${index}.js`;
    await writeFile(path.join(dist, name), `console.log(${index});\n//# sourceMappingURL=${name}.map\n`);
    const map = { version: 3, file: name, sources: [`src/${index}.js`], names: [], mappings: 'AAAA' };
    await writeFile(path.join(dist, `${name}.map`), JSON.stringify(map));
  }
  return dist;
}

/**
 * Uploads the sets one per batch through core's client and pipeline, in a process of its own that
 * then stays until it is ended; resolves with its output `lingerMs` after `until` matched it.
 */
async function uploadWithCore(keep: boolean, until: RegExp, lingerMs = 0): Promise<string> {
  const dist = await smallSets();
  const core = path.join(path.dirname(require.resolve('@hogmaps/core/package.json')), 'dist/index.js');
  const script = path.join(dist, '..', 'upload.mjs');
  await writeFile(
    script,
    `import { randomUUID } from 'node:crypto';
import * as core from ${JSON.stringify(pathToFileURL(core).href)};
${keep ? "console.log('kept:', core.keepWasmOnBaselineTier());" : ''}
const env = process.env;
const client = core.createPostHogClient({ host: env.POSTHOG_CLI_HOST, projectId: env.POSTHOG_CLI_PROJECT_ID, apiKey: env.POSTHOG_CLI_API_KEY });
const inputs = core.uploadInputsFrom(Array.from({ length: ${SETS} }, (_, index) => {
  const jsPath = ${JSON.stringify(dist)} + '/chunk-' + index + '.js';
  return { chunkId: randomUUID(), fileName: jsPath, jsPath, mapPath: jsPath + '.map' };
}));
const summary = await core.uploadSymbolSets(client, inputs, { batchSize: 1 });
await client.close();
console.log('uploaded:', summary.uploaded.length);
setInterval(() => {}, 1000);
`,
  );
  const child = spawn(process.execPath, [TRACE, script], {
    env: { PATH: process.env.PATH ?? '', ...test.env },
  });
  let output = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (until.test(output)) setTimeout(() => resolve(output), lingerMs);
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.on('close', (code) => reject(new Error(`exited with ${code} before ${until}: ${output}`)));
    });
  } finally {
    child.kill();
  }
}

describe('keepWasmOnBaselineTier', () => {
  it('leaves undici’s parser on the baseline tier, which V8 otherwise recompiles', async () => {
    // The recompile runs on a background thread: without the flag, wait for V8 to report it.
    const plain = await uploadWithCore(
      false,
      /uploaded: \d+[\s\S]*using TurboFan|using TurboFan[\s\S]*uploaded/,
    );
    expect(plain).toContain(`uploaded: ${SETS}`);
    // With it, the same upload and a second more for a recompile to show: none does.
    const kept = await uploadWithCore(true, /uploaded: \d+/, 1000);
    expect(kept).toContain('kept: true');
    expect(kept).toContain(`uploaded: ${SETS}`);
    expect(kept).not.toMatch(RECOMPILED);
  });

  it('sets no flag on a Node it was not checked on', () => {
    expect(keepWasmOnBaselineTier('18.20.0')).toBe(false);
    expect(keepWasmOnBaselineTier('27.0.0')).toBe(false);
  });

  it('is what the CLI runs with: its upload is not recompiled either', async () => {
    const dist = await smallSets();
    const before = test.server.admin.symbolSetRows(test.server.projectId).length;
    const run = await hogmaps(
      [
        'sourcemap',
        'process',
        '--release-name',
        'tiering',
        '--release-version',
        '1',
        '--batch-size',
        '1',
        dist,
      ],
      { cwd: path.dirname(dist), env: test.env, nodeArgs: [TRACE] },
    );
    expect(run.code).toBe(0);
    expect(test.server.admin.symbolSetRows(test.server.projectId).length - before).toBe(SETS);
    expect(run.stdout).not.toMatch(RECOMPILED);
  });
});
