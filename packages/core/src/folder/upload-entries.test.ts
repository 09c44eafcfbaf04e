import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useFakePostHog } from '../../test/upload/fake-posthog';
import { readInjectedChunkId } from '../chunk-id/detect';
import { createLogger } from '../logger';
import { resolveOptions } from '../options/resolve';
import type { ResolvedOptions } from '../options/types';
import type { UploadProgressEvent } from '../upload/types';
import { processDirectory } from './process';
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

describe('the upload step of a folder injected earlier', () => {
  const fake = useFakePostHog();

  const full = (source: string) =>
    JSON.stringify({ version: 3, sources: [source], names: [], mappings: 'AAAA' });
  const empty = '{"version":3,"sources":[],"names":[],"mappings":""}';

  /** A folder injected by an earlier run; broken.js.map is no longer JSON. */
  async function injectedFolder() {
    await writeFile(path.join(dir, 'full.js'), 'run();\n//# sourceMappingURL=full.js.map\n');
    await writeFile(path.join(dir, 'full.js.map'), full('full.ts'));
    await writeFile(path.join(dir, 'big.js'), `${'x'.repeat(4096)};\n//# sourceMappingURL=big.js.map\n`);
    await writeFile(path.join(dir, 'big.js.map'), empty);
    await writeFile(path.join(dir, 'wrapper.js'), 'export{};\n//# sourceMappingURL=wrapper.js.map\n');
    await writeFile(path.join(dir, 'wrapper.js.map'), empty);
    await writeFile(path.join(dir, 'broken.js'), 'b();\n//# sourceMappingURL=broken.js.map\n');
    await writeFile(path.join(dir, 'broken.js.map'), full('broken.ts'));
    await writeFile(path.join(dir, 'gone.js'), 'g();\n//# sourceMappingURL=gone.js.map\n');
    await writeFile(path.join(dir, 'gone.js.map'), full('gone.ts'));
    const options = resolveOptions({}, {}, { cwd: dir });
    await processDirectory({
      roots: [dir],
      options,
      logger: context.logger,
      env: {},
      step: 'inject',
      release: null,
    });
    await writeFile(path.join(dir, 'broken.js.map'), '{ not json');
    lines.length = 0;
    return options;
  }

  /**
   * `hogmaps sourcemap upload` of the folder; `removeFirst` is deleted after the files were found,
   * before the upload reads them. A dry run sends nothing.
   */
  function uploadStep(options: ResolvedOptions, removeFirst?: string, events: UploadProgressEvent[] = []) {
    return processDirectory({
      roots: [dir],
      options,
      logger: context.logger,
      env: {},
      step: 'upload',
      release: null,
      ...(options.dryRun ? {} : { client: fake.client }),
      withProgress: async (_label, task) => {
        if (removeFirst) await rm(path.join(dir, removeFirst));
        return task((event) => events.push(event));
      },
    });
  }
  const idOf = (name: string) => readInjectedChunkId(readFileSync(path.join(dir, name), 'utf8'))!;

  it('skips empty and unreadable maps with the lines posthog-cli gives, uploads the rest, and says so', async () => {
    const events: UploadProgressEvent[] = [];
    const report = await uploadStep(await injectedFolder(), 'gone.js.map', events);

    expect(report.upload?.uploaded).toEqual([idOf('full.js')]);
    expect(report.upload?.failed).toEqual([]);
    expect(report.upload?.declined.sort()).toEqual(
      ['big.js', 'broken.js', 'gone.js', 'wrapper.js'].map(idOf).sort(),
    );
    expect(report.entries.map((entry) => path.basename(entry.jsPath))).toEqual(['full.js']);
    expect([...fake.server.rows.keys()]).toEqual([idOf('full.js')]);
    const log = lines.join('\n');
    expect(log).toMatch(/big\.js\.map: empty source map for a 4\d\d\d-byte chunk; skipped/);
    expect(log).toContain('wrapper.js.map: empty source map of a small wrapper chunk; skipped');
    expect(log).toMatch(/broken\.js\.map: not a readable JSON source map \(.+\); skipped/);
    expect(log).toMatch(/gone\.js\.map: not a readable JSON source map \(.+\); skipped/);
    expect(events.filter((event) => event.type === 'skipped').map((event) => event.reason)).toEqual(
      Array(4).fill('declined'),
    );
    expect(report.summary).toContain('1 symbol set uploaded');
  });

  it('skips the same maps in a dry run, and fails a file whose JS is gone rather than skip it', async () => {
    const options = await injectedFolder();
    const dry = await uploadStep({ ...options, dryRun: true });
    expect(dry.upload?.uploaded.sort()).toEqual([idOf('full.js'), idOf('gone.js')].sort());
    expect(dry.upload?.declined).toHaveLength(3);
    expect(fake.server.requests).toEqual([]);

    const id = idOf('full.js');
    const report = await uploadStep(options, 'full.js');
    expect(report.upload?.failed.map((failure) => failure.chunkId)).toEqual([id]);
    expect(report.upload?.failed[0]?.error).toMatch(/full\.js: the file does not exist/);
    expect(report.upload?.declined).toHaveLength(3);
  });
});
