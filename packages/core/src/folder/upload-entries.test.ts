import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakePostHog, startFakePostHog } from '../../test/upload/fake-posthog';
import { createPostHogClient, type PostHogClient } from '../api/client';
import { readInjectedChunkId } from '../chunk-id/detect';
import { createLogger } from '../logger';
import { resolveOptions } from '../options/resolve';
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
  let server: FakePostHog;
  let client: PostHogClient;
  beforeEach(async () => {
    server = await startFakePostHog();
    client = createPostHogClient({ host: server.url, projectId: server.projectId, apiKey: server.apiKey });
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });

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

  it('skips empty and unreadable maps with the lines posthog-cli gives, uploads the rest, and says so', async () => {
    const options = await injectedFolder();
    const events: UploadProgressEvent[] = [];
    const report = await processDirectory({
      roots: [dir],
      options,
      logger: context.logger,
      env: {},
      step: 'upload',
      release: null,
      client,
      // Found with its map, which is gone by the time the upload reads it.
      withProgress: async (_label, task) => {
        await rm(path.join(dir, 'gone.js.map'));
        return task((event) => events.push(event));
      },
    });

    const id = (name: string) => readInjectedChunkId(readFileSync(path.join(dir, name), 'utf8'))!;
    expect(report.upload?.uploaded).toEqual([id('full.js')]);
    expect(report.upload?.failed).toEqual([]);
    expect(report.upload?.declined.sort()).toEqual(
      ['big.js', 'broken.js', 'gone.js', 'wrapper.js'].map(id).sort(),
    );
    expect(report.entries.map((entry) => path.basename(entry.jsPath))).toEqual(['full.js']);
    expect([...server.rows.keys()]).toEqual([id('full.js')]);
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
    const js = path.join(dir, 'full.js');
    const id = readInjectedChunkId(readFileSync(js, 'utf8'))!;
    const dry = await processDirectory({
      roots: [dir],
      options: { ...options, dryRun: true },
      logger: context.logger,
      env: {},
      step: 'upload',
      release: null,
    });
    expect(dry.upload?.uploaded.sort()).toEqual(
      [id, readInjectedChunkId(readFileSync(path.join(dir, 'gone.js'), 'utf8'))!].sort(),
    );
    expect(dry.upload?.declined).toHaveLength(3);
    expect(server.requests).toEqual([]);

    // Found, then deleted before the upload reads it: the upload fails it; nothing is skipped for it.
    const inputs = await uploadFolderWithout(options, js);
    expect(inputs.failed.map((failure) => failure.chunkId)).toEqual([id]);
    expect(inputs.failed[0]!.error).toMatch(/full\.js: the file does not exist/);
    expect(inputs.declined).toHaveLength(3);
  });

  async function uploadFolderWithout(options: ReturnType<typeof resolveOptions>, js: string) {
    const report = await processDirectory({
      roots: [dir],
      options,
      logger: context.logger,
      env: {},
      step: 'upload',
      release: null,
      client,
      withProgress: async (_label, task) => {
        await rm(js);
        return task(() => undefined);
      },
    });
    return report.upload!;
  }
});
