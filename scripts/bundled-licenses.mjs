// The license notices of the npm packages a tsup build bundled into its output (MIT and the like ask
// that their notice travels with their code). Read from esbuild's metafiles, so the list is exactly what
// the chunks hold; written to dist/THIRD-PARTY-LICENSES.md, and the metafiles are removed.
import { readdirSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** `node_modules/<name>` or `node_modules/@scope/<name>`: the package folder of a bundled input. */
function packageDir(input, cwd) {
  const parts = input.split('/');
  const last = parts.lastIndexOf('node_modules');
  if (last < 0) return undefined;
  const length = parts[last + 1]?.startsWith('@') ? 3 : 2;
  return path.resolve(cwd, parts.slice(0, last + length).join('/'));
}

/** Writes the notices of every package bundled into `dist` (tsup's `metafile: true`). */
export async function writeBundledLicenses(dist, cwd = process.cwd()) {
  const metafiles = readdirSync(dist).filter((name) => /^metafile-.*\.json$/.test(name));
  if (metafiles.length === 0) throw new Error(`no esbuild metafile in ${dist}: set metafile: true`);
  const dirs = new Set();
  for (const name of metafiles) {
    const { inputs } = JSON.parse(readFileSync(path.join(dist, name), 'utf8'));
    for (const input of Object.keys(inputs)) {
      const dir = packageDir(input, cwd);
      if (dir) dirs.add(dir);
    }
  }
  const sections = [...dirs]
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const file = readdirSync(dir).find((name) => /^licen[cs]e(\.(md|txt))?$/i.test(name));
      if (!file) throw new Error(`${manifest.name} is bundled but ships no LICENSE file`);
      return { name: manifest.name, version: manifest.version, license: manifest.license, dir, file };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const text = [
    '# Third-party licenses',
    '',
    'The JavaScript in this folder includes code from these packages, under their licenses:',
    '',
    ...sections.flatMap(({ name, version, license, dir, file }) => [
      `## ${name}@${version} (${license})`,
      '',
      '```',
      readFileSync(path.join(dir, file), 'utf8').trim(),
      '```',
      '',
    ]),
  ].join('\n');
  await writeFile(path.join(dist, 'THIRD-PARTY-LICENSES.md'), text);
  await Promise.all(metafiles.map((name) => rm(path.join(dist, name))));
}
