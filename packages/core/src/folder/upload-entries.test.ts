import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import type { FolderContext, FolderEntry } from './types';
import { dropEmptyMaps } from './upload-entries';

let dir: string;
let lines: string[];
let context: FolderContext;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hogmaps-drop-'));
  lines = [];
  context = { cwd: dir, logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }) };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function entry(name: string, js: string, map: string | undefined, mapIsEmpty?: boolean) {
  const jsPath = path.join(dir, `${name}.js`);
  const mapPath = `${jsPath}.map`;
  await writeFile(jsPath, js);
  if (map !== undefined) await writeFile(mapPath, map);
  const made: FolderEntry = { chunkId: `id-${name}`, jsPath, mapPath, jsHash: '' };
  if (mapIsEmpty !== undefined) made.mapIsEmpty = mapIsEmpty;
  return made;
}

describe('dropEmptyMaps', () => {
  it('takes the injection’s judgement of a map instead of reading it again', async () => {
    // No map file on disk for the judged entries: had they been read, they would be dropped as unreadable.
    const judgedEmpty = await entry('judged-empty', `${'x'.repeat(4096)};`, undefined, true);
    const judgedFull = await entry('judged-full', 'run();', undefined, false);
    const read = await entry('read', 'export{};', '{"version":3,"sources":[],"names":[],"mappings":""}');
    const missing = await entry('missing', 'run();', undefined);

    const { kept, dropped } = await dropEmptyMaps(context, [judgedEmpty, judgedFull, read, missing]);

    expect(kept).toEqual([judgedFull]);
    expect(dropped).toEqual([judgedEmpty, read, missing]);
    expect(lines.join('\n')).toContain(
      'judged-empty.js.map: empty source map for a 4097-byte chunk; skipped',
    );
    expect(lines.join('\n')).toContain('read.js.map: empty source map of a small wrapper chunk; skipped');
    expect(lines.join('\n')).toMatch(/missing\.js\.map: not a readable JSON source map \(.*\); skipped/);
    expect(lines.join('\n')).not.toContain('judged-full');
  });
});
