import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resetBuildSessions } from '@hogmaps/core';
import { build, type PluginOption } from 'vite';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { hogmapsVitePlugin } from '../src/index';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-vite-html-'));
  await mkdir(path.join(dir, 'src'));
  await writeFile(
    path.join(dir, 'src', 'shared.js'),
    'globalThis.page = () => { throw new Error("shared"); };\n',
  );
  for (const page of ['a', 'b']) {
    await writeFile(
      path.join(dir, `${page}.html`),
      '<!doctype html><script type="module" src="/src/shared.js"></script>\n',
    );
  }
  resetBuildSessions();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The JS files of a two-page app whose pages only import one shared script. */
async function jsFiles(plugins: PluginOption[]): Promise<string[]> {
  const outDir = path.join(dir, 'dist');
  await build({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    plugins,
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: { a: path.join(dir, 'a.html'), b: path.join(dir, 'b.html') } },
    },
  });
  const names = await readdir(path.join(outDir, 'assets'));
  return names.filter((name) => name.endsWith('.js')).map((name) => name.replace(/-[\w-]{8}\.js$/, '.js'));
}

test('import-only HTML facades get no snippet, so Vite still drops them', async () => {
  const plain = await jsFiles([]);
  expect(plain).toEqual(['shared.js']);
  expect(await jsFiles([hogmapsVitePlugin({ logLevel: 'silent', manifest: false })])).toEqual(plain);
});
