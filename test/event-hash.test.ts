// The event-mode content hash on real output of every bundler: the fast path (byte views, spliced
// mappings) takes each emitted pair and gives the general path's hash, which the server then holds.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
// The hash is internal to core; its source is what the plugin runs.
import { eventContentHash, injectedRanges, pristineMapPieces } from '../packages/core/src/upload/event-hash';
import { loadRunners, selectedBundlers } from './harness/bundlers/index';
import { expectChunkIds, readJsFiles } from './harness/checks';
import { useBuildSuite } from './harness/suite';
import type { BundlerRunner } from './harness/types';
import { appScenario } from './scenarios/app/scenario';

const runners = await loadRunners(selectedBundlers());

const suite = useBuildSuite();

describe.each(runners)('$name', (runner: BundlerRunner) => {
  test('every emitted pair takes the fast path and hashes as the general path, as uploaded', async () => {
    const project = suite.server.project();
    const outcome = await runner.build({
      root: suite.workspace.root,
      outDir: suite.workspace.outDir('dist'),
      entries: { ...appScenario.browserEntries },
      platform: 'browser',
      // Maps the user asked for stay in the output, so the test can read what was uploaded.
      sourcemap: 'external',
      hogmaps: project.options({ sourcemaps: { releaseMode: 'event' } }),
    });
    const ids = expectChunkIds(await readJsFiles(outcome));
    const uploaded = new Map(project.rows().map((row) => [row.ref, row.content_hash]));
    expect(ids.size).toBeGreaterThan(1);
    for (const [file, chunkId] of ids) {
      const code = await readFile(path.join(outcome.outDir, file));
      const map = await readFile(path.join(outcome.outDir, `${file}.map`));
      const text = code.toString('utf8');
      expect(pristineMapPieces(map, text, injectedRanges(text, chunkId).removals), file).toBeDefined();
      const general = eventContentHash(text, map.toString('utf8'), chunkId, { general: true });
      expect(eventContentHash(code, map, chunkId), file).toBe(general);
      expect(uploaded.get(chunkId), file).toBe(general);
    }
  });
});
