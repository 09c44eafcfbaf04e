// Symbol sets for the upload benchmark: N pairs of minified JS and its source map, about M MiB each
// (JS + map), made by esbuild from the generated app's own modules, so the bytes compress and hash
// like a real build's output rather than like random or repeated filler.
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MiB } from '../measure/stats';

export interface SymbolSetFile {
  js: string;
  map: string;
  /** JS + map bytes. */
  bytes: number;
}

export interface SymbolSetFiles {
  sets: SymbolSetFile[];
  totalBytes: number;
}

/** Output bytes (JS + map) per source byte for this app's code, measured on the first set. */
const FIRST_GUESS = 2.3;

async function moduleSources(appRoot: string): Promise<string[]> {
  const entries = await readdir(path.join(appRoot, 'src'), { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js') && entry.name !== 'index.js')
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  // Each module becomes one function in the set's script: its imports dropped, its exports local.
  return Promise.all(
    files.map(async (file, index) => {
      const body = (await readFile(file, 'utf8'))
        .replace(/^import .*$/gm, '')
        .replace(/^export (default )?/gm, '');
      return `export function module${index}() {\n${body}\n}\n`;
    }),
  );
}

async function makeSet(
  sources: string[],
  start: number,
  sourceBytes: number,
  name: string,
): Promise<{ js: string; map: string; used: number }> {
  const { transform } = await import('esbuild');
  const parts: string[] = [];
  let size = 0;
  let used = 0;
  while (size < sourceBytes && used < sources.length) {
    const source = sources[(start + used) % sources.length]!;
    parts.push(source);
    size += source.length;
    used++;
  }
  const result = await transform(parts.join('\n'), {
    minify: true,
    sourcemap: 'external',
    sourcefile: `src/${name}.js`,
    format: 'esm',
    treeShaking: false,
  });
  return { js: result.code, map: result.map, used };
}

/** Writes (or reuses) `count` sets of about `mib` MiB each under `dir`. */
export async function generateSets(
  appRoot: string,
  dir: string,
  count: number,
  mib: number,
): Promise<SymbolSetFiles> {
  const stamp = JSON.stringify({ version: 1, appRoot, count, mib });
  const stampFile = path.join(dir, '.stamp.json');
  const target = mib * MiB;
  const sets: SymbolSetFile[] = Array.from({ length: count }, (_, i) => ({
    js: path.join(dir, `set-${i}.js`),
    map: path.join(dir, `set-${i}.js.map`),
    bytes: 0,
  }));
  if ((await readFile(stampFile, 'utf8').catch(() => '')) !== stamp) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const sources = await moduleSources(appRoot);
    let ratio = FIRST_GUESS;
    let start = 0;
    for (let i = 0; i < count; i++) {
      const made = await makeSet(sources, start, target / ratio, `set-${i}`);
      const bytes = Buffer.byteLength(made.js) + Buffer.byteLength(made.map);
      if (i === 0) ratio *= bytes / target;
      start += made.used;
      await writeFile(sets[i]!.js, made.js);
      await writeFile(sets[i]!.map, made.map);
    }
    await writeFile(stampFile, stamp);
  }
  for (const set of sets) set.bytes = (await stat(set.js)).size + (await stat(set.map)).size;
  return { sets, totalBytes: sets.reduce((sum, set) => sum + set.bytes, 0) };
}
