// A private copy of the scenario per test: builds never share files, and the process works in it (release
// detection and hogmaps' pending-maps cache read and write under the working directory).
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appScenario } from '../scenarios/app/scenario';

export interface Workspace {
  /** The copy of the scenario. */
  root: string;
  /** A fresh output folder inside the copy. */
  outDir(name: string): string;
  /** Replaces text in one source file of the copy. */
  edit(file: string, from: string, to: string): Promise<void>;
  dispose(): Promise<void>;
}

/** Copies a scenario (the app scenario unless told) into a fresh temp folder and works in it. */
export async function createWorkspace(scenarioRoot: string = appScenario.root): Promise<Workspace> {
  const root = await mkdtemp(path.join(tmpdir(), 'hogmaps-scenario-'));
  await cp(scenarioRoot, root, { recursive: true, filter: (source) => !source.endsWith('.ts') });
  const previous = process.cwd();
  process.chdir(root);
  return {
    root,
    outDir: (name) => path.join(root, name),
    async edit(file, from, to) {
      const target = path.join(root, file);
      const text = await readFile(target, 'utf8');
      if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
      await writeFile(target, text.replace(from, to));
    },
    async dispose() {
      process.chdir(previous);
      if (!process.env.KEEP_OUTPUT) await rm(root, { recursive: true, force: true });
      else console.log(`kept ${root}`);
    },
  };
}
