import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rolldown } from 'rolldown';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { placeholderPlugin, rewritePlugin } from './reference-plugins';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bench-reference-'));
  writeFileSync(path.join(dir, 'main.js'), "export const load = () => import('./lazy.js');\n");
  writeFileSync(path.join(dir, 'lazy.js'), "export const value = 'lazy ' + Math.random();\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function build(plugin: unknown) {
  const bundle = await rolldown({ input: path.join(dir, 'main.js'), plugins: [plugin as never] });
  try {
    const { output } = await bundle.generate({
      minify: true,
      entryFileNames: '[name]-[hash].js',
      chunkFileNames: '[name]-[hash].js',
    });
    return output.filter((file) => file.type === 'chunk');
  } finally {
    await bundle.close();
  }
}

describe('reference plugins', () => {
  test("placeholder: rolldown fills each chunk's comment with the hash of the chunk's own name", async () => {
    const chunks = await build(placeholderPlugin());
    expect(chunks).toHaveLength(2);
    for (const chunk of chunks) {
      const hash = /-([A-Za-z0-9_-]+)\.js$/.exec(chunk.fileName)?.[1];
      expect(hash).toBeDefined();
      expect(chunk.code.endsWith(`\n//# chunkId=${hash}`)).toBe(true);
      expect(chunk.code.startsWith('/*')).toBe(true);
      expect(chunk.code).not.toContain('!~{');
    }
  });

  test('rewrite: the id is of the code as the bundler made it, and the line is in front', async () => {
    const chunks = await build(rewritePlugin());
    for (const chunk of chunks) {
      const match = /^(\/\*-+\*\/)([\s\S]*)\n\/\/# chunkId=([0-9a-f-]{36})$/.exec(chunk.code);
      expect(match).not.toBeNull();
      const hex = createHash('sha1').update(match![2]!).digest('hex');
      expect(match![3]!.replaceAll('-', '')).toBe(hex.slice(0, 32));
    }
  });

  test('read: the code is left exactly as the bundler made it', async () => {
    const plain = await build({ name: 'nothing' });
    const read = await build(rewritePlugin(false));
    expect(read.map((chunk) => chunk.code)).toEqual(plain.map((chunk) => chunk.code));
  });
});
