import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Options, resetBuildSessions } from '@hogmaps/core';
import { type RunningServer, startServer } from '@hogmaps/server';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/** A local hogmaps server and a project on it, for builds that really upload. */
export interface UploadTarget {
  server: RunningServer;
  options(): Options;
  /** Chunk ids of the symbol sets the project holds. */
  uploaded(): string[];
}

async function startUploadTarget(): Promise<UploadTarget & { dataDir: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hogmaps-nuxt-srv-'));
  const server = await startServer({ port: 0, dataDir, quiet: true });
  const project = server.admin.createProject({ name: 'nuxt' });
  const apiKey = server.admin.createApiKey({ projectIds: [project.id] }).key;
  return {
    server,
    dataDir,
    options: () => ({
      host: server.url,
      projectId: project.id,
      personalApiKey: apiKey,
      sourcemaps: { releaseName: 'nuxt-module-test', releaseVersion: '1.0.0' },
      logLevel: 'warn',
      manifest: false,
    }),
    uploaded: () => server.admin.symbolSetRows(project.id).map((row) => row.ref),
  };
}

/**
 * Registers the hooks of a test file that builds for real: a local server for the file, and for each
 * test a fresh session (as in a new process) and a folder holding `main.js`.
 */
export function useBuilds(prefix: string): { target: () => UploadTarget; dir: () => string } {
  let target: Awaited<ReturnType<typeof startUploadTarget>> | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    target = await startUploadTarget();
  });
  afterAll(async () => {
    await target?.server.close();
    if (target) await rm(target.dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    resetBuildSessions();
    dir = await createSourceDir(prefix);
  });
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return { target: () => target!, dir: () => dir! };
}

/** A temporary folder holding `main.js`, which throws from a function of its own. */
async function createSourceDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  await writeFile(
    path.join(dir, 'main.js'),
    'export function main(cart) {\n  if (!cart) throw new Error("no cart");\n  return cart.total;\n}\nconsole.log(main(globalThis.cart));\n',
  );
  return dir;
}

/** Every file under `dir`, relative. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
