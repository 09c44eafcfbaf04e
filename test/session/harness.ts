// The build session against the real local server: helpers shared by the session test files.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createBuildSession, createLogger, injectChunk, type Options, resolveOptions } from '@hogmaps/core';
import type { RunningServer } from '@hogmaps/server';

/** Writes one injected chunk and its map to `outDir`, as a bundler would. */
export async function emitChunk(
  outDir: string,
  name: string,
  body: string,
  chunkIdFor: (code: string) => string,
) {
  const code = `function ${name}(){throw new Error(${JSON.stringify(`boom in ${name}`)})}\n${body}\n`;
  const injected = injectChunk(code, { chunkId: chunkIdFor(code), fileName: `${name}.js` });
  await mkdir(outDir, { recursive: true });
  const jsPath = path.join(outDir, `${name}.js`);
  const mapPath = `${jsPath}.map`;
  await writeFile(jsPath, injected.code);
  await writeFile(mapPath, JSON.stringify({ ...injected.map, sources: [`src/${name}.ts`] }));
  return { chunkId: injected.chunkId, jsPath, mapPath, mapIsOurs: true };
}

/** A vite build session in `cwd` with the server's credentials; its log lines collect in `lines`. */
export function sessionFor(
  server: RunningServer,
  cwd: string,
  extra: Options = {},
  env: NodeJS.ProcessEnv = {},
  level: 'info' | 'debug' = 'info',
) {
  const lines: string[] = [];
  const options = resolveOptions(
    {
      personalApiKey: server.apiKey,
      projectId: server.projectId,
      host: server.url,
      sourcemaps: { releaseName: 'session-app', releaseVersion: '1.0.0' },
      ...extra,
    },
    env,
    { cwd },
  );
  const logger = createLogger({ level, write: (line) => lines.push(line) });
  return { session: createBuildSession(options, { tool: 'vite', logger, env }), lines };
}

/** The project's symbol sets, as the API lists them. */
export async function listSets(server: RunningServer) {
  const response = await fetch(
    `${server.url}/api/projects/${server.projectId}/error_tracking/symbol_sets/?limit=100`,
    { headers: { authorization: `Bearer ${server.apiKey}` } },
  );
  return (await response.json()) as { count: number; results: Array<{ ref: string; release: unknown }> };
}
