import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertAdaptersBuilt,
  buildExample,
  EXAMPLES_DIR,
  listFiles,
  readBuildManifest,
} from './harness/examples';
import { type LocalServer, startLocalServer } from './harness/local-server';

/**
 * The other examples, built with their own one-command build against the local server: every
 * JavaScript file they emit carries a chunk id whose symbol set the server has, under the example's
 * own release. (vite-app, esbuild-app and node-service are run end to end in the other files.)
 */

const EXAMPLES = [
  {
    name: 'rollup-lib',
    adapter: 'rollup',
    outputs: { 'dist/esm': 'example-rollup-lib', 'dist/cjs': 'example-rollup-lib' },
  },
  { name: 'rolldown-app', adapter: 'rolldown', outputs: { dist: 'example-rolldown-app' } },
  { name: 'rspack-app', adapter: 'rspack', outputs: { dist: 'example-rspack-app' } },
  {
    name: 'webpack-monorepo',
    adapter: 'webpack',
    outputs: { 'apps/web/dist': '@acme/web', 'apps/worker/dist': '@acme/worker' },
  },
];

let local: LocalServer;

beforeAll(async () => {
  assertAdaptersBuilt(EXAMPLES.map((example) => example.adapter));
  local = await startLocalServer();
});

afterAll(async () => {
  await local?.close();
});

describe.each(EXAMPLES)('examples/$name', (example) => {
  it('builds with one command, injecting every JS file and uploading its symbol set under its own release', async () => {
    await buildExample(example.name, local.env);
    const uploaded = await local.uploadedChunkIds();
    for (const [dir, release] of Object.entries(example.outputs)) {
      const outDir = path.join(EXAMPLES_DIR, example.name, dir);
      const manifest = await readBuildManifest(outDir);
      expect(manifest.release, dir).toMatchObject({ name: release, id: expect.any(String) });
      const jsFiles = listFiles(outDir).filter((file) => /\.[cm]?js$/.test(file));
      expect(manifest.chunks.map((chunk) => chunk.file).sort(), dir).toEqual(jsFiles.sort());
      for (const chunk of manifest.chunks) {
        expect(chunk.status, chunk.file).toBe('uploaded');
        expect(uploaded).toContain(chunk.chunkId);
        const lines = readFileSync(path.join(outDir, chunk.file), 'utf8').split('\n');
        expect(lines, chunk.file).toContain(`//# chunkId=${chunk.chunkId}`);
      }
    }
  });
});

describe('the built rollup-lib', () => {
  it('still runs: its CLI keeps the hashbang first and loads its lazy locale chunk', async () => {
    const cli = path.join(EXAMPLES_DIR, 'rollup-lib', 'dist', 'esm', 'cli.js');
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, [cli, '1h30m', 'fr']);
    expect(stdout.trim()).toBe('1 heures 30 minutes');
  });
});
