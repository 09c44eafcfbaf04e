import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeReferenceTo } from './map-reference';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-map-reference-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string) {
  await writeFile(path.join(dir, name), text);
  return path.join(dir, name);
}

describe('removeReferenceTo', () => {
  it('strips a JS or CSS reference to the deleted map, and nothing else', async () => {
    const js = await file('a.js', 'code();\n//# chunkId=x\n//# sourceMappingURL=a.js.map?v=1\n');
    const css = await file('b.css', '.b{color:red}\n/*# sourceMappingURL=b.css.map */\n');
    expect(await removeReferenceTo(`${js}.map`)).toBe(true);
    expect(await removeReferenceTo(`${css}.map`)).toBe(true);
    expect(await readFile(js, 'utf8')).toBe('code();\n//# chunkId=x\n');
    expect(await readFile(css, 'utf8')).toBe('.b{color:red}\n');
  });

  it('leaves files alone that point elsewhere, have no reference, or do not exist', async () => {
    const other = 'code();\n//# sourceMappingURL=maps/c.js.map\n';
    const c = await file('c.js', other);
    const d = await file('d.js', 'code();\n');
    const remote = 'code();\n//# sourceMappingURL=https://cdn.example/e.js.map\n';
    const e = await file('e.js', remote);
    for (const target of [c, d, e, path.join(dir, 'missing.js')])
      expect(await removeReferenceTo(`${target}.map`)).toBe(false);
    expect(await readFile(c, 'utf8')).toBe(other);
    expect(await readFile(e, 'utf8')).toBe(remote);
  });
});
