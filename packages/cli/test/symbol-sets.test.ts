import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { encodeSymbolSet } from '@hogmaps/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createProject } from './helpers/app';
import { hogmaps } from './helpers/cli';
import { startTestServer, type TestServer } from './helpers/server';
import { tempDir } from './helpers/temp';

let test: TestServer;
let project: string;
let chunkIds: string[];
let jsFiles: string[];

interface SymbolSet {
  id: string;
  ref: string;
  has_uploaded_file: boolean;
  release: { project: string; version: string } | null;
}

const run = (args: string[]) => hogmaps(args, { cwd: project, env: test.env });

beforeAll(async () => {
  test = await startTestServer();
  project = await createProject();
  jsFiles = await buildApp(project);
  const result = await run([
    'sourcemap',
    'process',
    'dist',
    '--release-mode',
    'symbol-set',
    '--release-name',
    'shop',
    '--release-version',
    '7.0.0',
  ]);
  expect(result.code).toBe(0);
  chunkIds = [];
  for (const file of jsFiles) {
    const code = await readFile(path.join(project, 'dist', file), 'utf8');
    chunkIds.push(/\/\/# chunkId=(\S+)$/.exec(code)![1]!);
  }
});
afterAll(async () => {
  await test.close();
});

async function list(...extra: string[]): Promise<SymbolSet[]> {
  const result = await run(['symbol-sets', 'list', '--json', ...extra]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as SymbolSet[];
}

describe('hogmaps symbol-sets', () => {
  it('lists symbol sets as a table and as JSON, with filters', async () => {
    const table = await run(['symbol-sets', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+CHUNK ID\s+RELEASE\s+UPLOADED\s+CREATED\s+LAST USED\n/);
    for (const id of chunkIds) expect(table.stdout).toContain(id);
    expect(table.stdout).toContain('shop@7.0.0');

    const all = await list('--all', '--order-by', 'ref');
    expect(all.map((set) => set.ref)).toEqual([...chunkIds].sort());
    expect(all.every((set) => set.has_uploaded_file && set.release?.version === '7.0.0')).toBe(true);
    expect((await list('--ref', chunkIds[0]!)).map((set) => set.ref)).toEqual([chunkIds[0]]);
    expect(await list('--status', 'invalid')).toEqual([]);

    const badOrder = await run(['symbol-sets', 'list', '--order-by', 'size']);
    expect(badOrder.code).toBe(2);
    expect(badOrder.stderr).toContain('--order-by must be one of created_at, -created_at, ref');
  });

  it('gets one set by id or by chunk id, and updates it', async () => {
    const [first] = await list('--ref', chunkIds[1]!);
    const byId = await run(['symbol-sets', 'get', first!.id]);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toContain(`chunk id:   ${chunkIds[1]}`);
    expect(byId.stdout).toContain('uploaded:   yes');
    const byRef = await run(['symbol-sets', 'get', '--ref', chunkIds[1]!, '--json']);
    expect((JSON.parse(byRef.stdout) as SymbolSet).id).toBe(first!.id);
    const updated = await run(['symbol-sets', 'update', first!.id, '--data', '{}', '--json']);
    expect(updated.code).toBe(0);
    expect((JSON.parse(updated.stdout) as SymbolSet).ref).toBe(chunkIds[1]);
    const unknown = await run(['symbol-sets', 'get', '--ref', 'no-such-chunk']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no symbol set has chunk id no-such-chunk');
  });

  it('downloads the container, its URL, or the extracted code and map', async () => {
    const chunkId = chunkIds[0]!;
    const download = await run(['symbol-sets', 'download', '--ref', chunkId]);
    expect(download.code).toBe(0);
    const container = await readFile(path.join(project, `${chunkId}.symbolset`));
    expect(container.subarray(0, 22).toString()).toBe('posthog_error_tracking');

    const url = await run(['symbol-sets', 'download', '--ref', chunkId, '--url']);
    expect(url.stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    const extract = await run(['symbol-sets', 'download', '--ref', chunkId, '--extract', 'extracted']);
    expect(extract.code).toBe(0);
    const js = await readFile(path.join(project, 'extracted', `${chunkId}.js`), 'utf8');
    // The uploaded code is exactly the shipped file.
    expect(js).toBe(await readFile(path.join(project, 'dist', jsFiles[0]!), 'utf8'));
    const map = JSON.parse(await readFile(path.join(project, 'extracted', `${chunkId}.js.map`), 'utf8'));
    expect(map.chunk_id).toBe(chunkId);

    const both = await run(['symbol-sets', 'download', '--ref', chunkId, '--url', '--extract', 'x']);
    expect(both.code).toBe(2);
  });

  it('deletes one set, then several in one bulk request', async () => {
    const sets = await list('--all');
    const [one, ...rest] = sets.filter((set) => chunkIds.includes(set.ref));
    const single = await run(['symbol-sets', 'delete', one!.id]);
    expect(single.code).toBe(0);
    expect(single.stdout.trim()).toBe('deleted 1 of 1 symbol set');
    const bulk = await run(['symbol-sets', 'delete', ...rest.map((set) => set.id), '--json']);
    expect(bulk.code).toBe(0);
    expect(JSON.parse(bulk.stdout)).toEqual({ deleted: rest.length });
    expect((await list('--all')).filter((set) => chunkIds.includes(set.ref))).toEqual([]);
    const again = await run(['symbol-sets', 'delete', one!.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`symbol set ${one!.id} not found`);
  });
});

describe('names from the server never become paths', () => {
  it('writes a set whose ref is a path inside the target folder, plain and --extract', async () => {
    // A hostile server: one symbol set whose ref climbs out of any folder.
    const container = encodeSymbolSet({ minified: 'f();\n', map: '{"version":3,"mappings":""}' });
    const hostile = createServer((req, res) => {
      const url = req.url ?? '';
      res.setHeader('content-type', 'application/json');
      if (url.includes('/download')) return res.end(JSON.stringify({ url: '/blob' }));
      if (url === '/blob') return res.end(container);
      res.end(JSON.stringify({ id: 'set-1', ref: '../../escaped', storage_ptr: 'x', created_at: null }));
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    const host = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    try {
      const cwd = await tempDir('hogmaps-cli-hostile-ref');
      await mkdir(path.join(cwd, 'a', 'b'), { recursive: true });
      const work = path.join(cwd, 'a', 'b');
      const env = { ...test.env, POSTHOG_CLI_HOST: host };
      const plain = await hogmaps(['symbol-sets', 'download', 'set-1'], { cwd: work, env });
      expect(plain.code).toBe(0);
      expect(plain.stderr).toContain('"../../escaped" is not a valid chunk id; writing it as escaped');
      expect(await readdir(work)).toEqual(['escaped.symbolset']);
      const extract = await hogmaps(['symbol-sets', 'download', 'set-1', '--extract', 'out'], {
        cwd: work,
        env,
      });
      expect(extract.code).toBe(0);
      expect((await readdir(path.join(work, 'out'))).sort()).toEqual(['escaped.js', 'escaped.js.map']);
      // Nothing was written above the working folder.
      expect(await readdir(cwd)).toEqual(['a']);
      expect(await readdir(path.join(cwd, 'a'))).toEqual(['b']);
    } finally {
      hostile.close();
    }
  });
});
