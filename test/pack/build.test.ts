// scripts/build.mjs on a small copy of the workspace layout (two packages), so its up-to-date logic can be
// exercised without touching the real packages' dist/ while other tests use them.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './packages';

const run = promisify(execFile);
const SHARED = ['tsup.base.ts', 'tsconfig.base.json', 'tsconfig.build.json', 'pnpm-lock.yaml'];
const SCRIPTS = ['scripts/build.mjs', 'scripts/build-lock.mjs', 'scripts/run-command.mjs'];

let root: string;

async function writePackage(name: string, files: Record<string, string>): Promise<void> {
  const dir = path.join(root, 'packages', name);
  const manifest = {
    name: `@fixture/${name}`,
    version: '1.0.0',
    type: 'module',
    main: './dist/index.cjs',
    types: './dist/index.d.ts',
    exports: {
      '.': {
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
    },
  };
  const tsup =
    "import { defineConfig } from 'tsup';\nimport { packageBuild } from '../../tsup.base';\n\nexport default defineConfig(packageBuild());\n";
  for (const [file, text] of Object.entries({
    'package.json': JSON.stringify(manifest),
    'tsup.config.ts': tsup,
    ...files,
  })) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

/** Runs the build in the copy; returns its output, or throws with it. */
async function build(...args: string[]): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, ['scripts/build.mjs', ...args], { cwd: root });
  return stdout + stderr;
}

const dist = (name: string, file: string) => path.join(root, 'packages', name, 'dist', file);
const mtime = async (file: string) => (await stat(file)).mtimeMs;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hogmaps-build-'));
  for (const file of [...SHARED, ...SCRIPTS]) await cp(path.join(ROOT, file), path.join(root, file));
  await symlink(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  await writePackage('a', {
    'src/index.ts': "export { greet } from './greet';\nexport type { Greeting } from './greet';\n",
    'src/greet.ts': [
      '/** A greeting. */',
      'export interface Greeting {',
      '  text: string;',
      '}',
      '',
      'export function greet(name: string): Greeting {',
      "  return { text: ['hello', name].join(' ') };",
      '}',
      '',
    ].join('\n'),
    'src/greet.test.ts': "import { greet } from './greet';\ngreet('test');\n",
  });
  await writePackage('b', { 'src/index.ts': 'export const answer: number = 42;\n' });
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('scripts/build.mjs', () => {
  it('builds every package under packages/: ESM, CJS, and one bundled declaration file for both', async () => {
    expect(await build()).toMatch(/build: @fixture\/a, @fixture\/b in .* \(0 up to date\)/);
    const esm = await import(dist('a', 'index.js'));
    expect(esm.greet('x')).toEqual({ text: 'hello x' });
    const { stdout } = await run(process.execPath, [
      '-p',
      `require(${JSON.stringify(dist('a', 'index.cjs'))}).greet('y').text`,
    ]);
    expect(stdout.trim()).toBe('hello y');
    const dts = await readFile(dist('a', 'index.d.ts'), 'utf8');
    expect(dts).toContain('interface Greeting');
    expect(dts).toContain('declare function greet(name: string): Greeting;');
    expect(dts, 'relative imports are inlined').not.toMatch(/from '\.\//);
    expect(await readFile(dist('a', 'index.d.cts'), 'utf8')).toBe(dts);
  });

  it('skips packages whose inputs and outputs are as the last build left them', async () => {
    const before = await mtime(dist('a', 'index.js'));
    expect(await build()).toContain('build: 2 packages up to date');
    expect(await mtime(dist('a', 'index.js'))).toBe(before);
  });

  it('ignores test files, and rebuilds only the package whose source changed', async () => {
    await writeFile(path.join(root, 'packages/a/src/greet.test.ts'), "import { greet } from './greet';\n");
    expect(await build()).toContain('build: 2 packages up to date');
    await writeFile(path.join(root, 'packages/b/src/index.ts'), 'export const answer: number = 43;\n');
    expect(await build()).toMatch(/build: @fixture\/b in .* \(1 up to date\)/);
    expect(await readFile(dist('b', 'index.js'), 'utf8')).toContain('43');
  });

  it('rebuilds a package whose outputs were deleted or edited, and with --force', async () => {
    await rm(dist('a', 'index.d.cts'));
    expect(await build()).toMatch(/build: @fixture\/a in .* \(1 up to date\)/);
    await writeFile(dist('b', 'index.js'), 'edited');
    expect(await build()).toMatch(/build: @fixture\/b in .* \(1 up to date\)/);
    expect(await build('--force')).toMatch(/build: @fixture\/a, @fixture\/b in .* \(0 up to date\)/);
  });

  it('builds one package when run from its folder', async () => {
    await writeFile(path.join(root, 'packages/b/src/index.ts'), 'export const answer: number = 44;\n');
    await writeFile(path.join(root, 'packages/a/src/index.ts'), "export { greet } from './greet';\n");
    const { stdout } = await run(process.execPath, ['../../scripts/build.mjs', '.'], {
      cwd: path.join(root, 'packages/b'),
    });
    expect(stdout).toMatch(/build: @fixture\/b in .* \(0 up to date\)/);
  });

  it('fails on a type error, naming the file, and builds it once fixed', async () => {
    await writeFile(path.join(root, 'packages/b/src/index.ts'), "export const answer: number = 'no';\n");
    const failure = await build().catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/packages\/b\/src\/index\.ts.*TS2322/s);
    await writeFile(path.join(root, 'packages/b/src/index.ts'), 'export const answer: number = 45;\n');
    expect(await build()).toMatch(/build: .*@fixture\/b in /);
  });
});
