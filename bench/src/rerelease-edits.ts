// The one-module changes between two releases of the generated app: none (a new release of the same
// code), a module deep in a lazy route, one in a group shared by a few routes, and one in a vendor
// package (which lands in the entry chunk). Each is chosen the same way every run, and undone after
// its release is built.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const CHANGE_KINDS = ['none', 'route', 'shared', 'vendor'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** `--changes`: the kinds named; all when unset; none (release A alone) when empty. */
export function parseChanges(value: string | undefined): ChangeKind[] {
  if (value === undefined) return [...CHANGE_KINDS];
  if (value.trim() === '') return [];
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(CHANGE_KINDS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown change(s): ${unknown.join(', ')} (known: ${CHANGE_KINDS.join(', ')})`);
  return CHANGE_KINDS.filter((kind) => names.includes(kind));
}

/** Where each kind's modules live: one folder per route, shared group or vendor package. */
const FOLDERS: Record<Exclude<ChangeKind, 'none'>, { dir: string; files: string }> = {
  route: { dir: 'src/routes', files: '' },
  shared: { dir: 'src/shared', files: '' },
  vendor: { dir: 'node_modules/@bench', files: 'src' },
};

/**
 * The module to change, relative to the app's root: in the middle folder (sorted by name), its
 * module `…-0.js`, the first one generated there, which its siblings may import but which imports
 * none of them (so it sits deepest in that folder's part of the graph).
 */
export async function moduleToChange(root: string, kind: ChangeKind): Promise<string | undefined> {
  if (kind === 'none') return undefined;
  const { dir, files } = FOLDERS[kind];
  const folders = (await readdir(path.join(root, dir), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const folder = path.posix.join(dir, folders[Math.floor(folders.length / 2)] ?? '', files);
  const first = (await readdir(path.join(root, folder))).sort().find((name) => /-0\.js$/.test(name));
  if (!first) throw new Error(`no ${kind} module to change in ${path.join(root, folder)}`);
  return path.posix.join(folder, first);
}

const EXPORT_LINE = /^export default function \w+\(input, options = \{\}\) \{$/m;

/**
 * Makes a change to the module's code that no minifier or tree-shaker can drop (a branch on an
 * option the caller controls), and returns the function that undoes it.
 */
export async function changeModule(
  root: string,
  file: string | undefined,
  tag: string,
): Promise<() => Promise<void>> {
  if (file === undefined) return async () => undefined;
  const absolute = path.join(root, file);
  const original = await readFile(absolute, 'utf8');
  const match = EXPORT_LINE.exec(original);
  if (!match) throw new Error(`${absolute} has no default export to change`);
  const at = match.index + match[0].length;
  const line = `\n  if (options.release === '${tag}') return { release: '${tag}' };`;
  await writeFile(absolute, `${original.slice(0, at)}${line}${original.slice(at)}`);
  return () => writeFile(absolute, original);
}
