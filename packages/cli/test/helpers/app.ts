import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { tempDir } from './temp';

const sources = (seed: string): Record<string, string> => ({
  'src/main.js': `import { formatTotal } from './format.js';
import './style.css';

export function checkout(cents) {
  return formatTotal(cents);
}

export const build = '${seed}';

export async function loadReport() {
  const { report } = await import('./report.js');
  return report();
}
`,
  'src/format.js': `export function formatTotal(cents) {
  if (cents <= 0) throw new RangeError('invalid total (${seed}): ' + cents);
  return '$' + (cents / 100).toFixed(2);
}
`,
  'src/report.js': `import { formatTotal } from './format.js';

export function report() {
  return ['Report ${seed}', formatTotal(1234)].join(': ');
}
`,
  'src/style.css': `.total {
  color: green;
}
`,
});

/**
 * A new temporary project folder with the app's sources (and a package.json, so no git is needed).
 * Every chunk contains `seed`: a random one makes chunk ids that no other test has uploaded.
 */
export async function createProject(seed: string = randomUUID()): Promise<string> {
  const dir = await tempDir('hogmaps-cli-app');
  for (const [file, text] of Object.entries(sources(seed))) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'shop', version: '1.0.0', type: 'module' }),
  );
  return dir;
}

/**
 * Builds the app with esbuild (minified, code splitting: an entry, a lazy chunk and a shared chunk,
 * plus CSS) into `<project>/<outdir>` with external source maps. Returns the JS files, relative.
 */
export async function buildApp(
  project: string,
  options: { outdir?: string; sourcemap?: boolean | 'external' | 'linked'; plugins?: Plugin[] } = {},
): Promise<string[]> {
  const outdir = path.join(project, options.outdir ?? 'dist');
  await build({
    absWorkingDir: project,
    entryPoints: ['src/main.js'],
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    outdir,
    // An explicit `sourcemap: undefined` leaves maps to the plugin.
    sourcemap: 'sourcemap' in options ? options.sourcemap : 'linked',
    plugins: options.plugins ?? [],
    logLevel: 'silent',
  });
  return (await readdir(outdir)).filter((file) => file.endsWith('.js')).sort();
}

/** Runs the built app's `checkout(0)`, which throws in the shared chunk, and returns `error.stack`. */
export async function crashStack(project: string, outdir = 'dist'): Promise<string> {
  const script = path.join(project, 'crash.mjs');
  await writeFile(
    script,
    `import { checkout } from './${outdir}/main.js';\ntry { checkout(0); } catch (error) { console.log(error.stack); }\n`,
  );
  return execFileSync(process.execPath, [script], { cwd: project, encoding: 'utf8' });
}
