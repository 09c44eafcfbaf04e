import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hogmaps } from './helpers/cli';
import { startTestServer, type TestServer } from './helpers/server';
import { tempDir } from './helpers/temp';

let test: TestServer;
let cwd: string;

beforeAll(async () => {
  test = await startTestServer();
  cwd = await tempDir('hogmaps-cli-releases');
});
afterAll(async () => {
  await test.close();
});

const run = (args: string[]) => hogmaps(args, { cwd, env: test.env });

interface Release {
  id: string;
  hash_id: string;
  project: string;
  version: string;
  metadata: Record<string, unknown> | null;
}

describe('hogmaps releases', () => {
  it('creates, lists, gets, updates and deletes a release', async () => {
    const created = await run([
      'releases',
      'create',
      '--release-name',
      'checkout',
      '--release-version',
      '3.1.0',
      '--build',
      '42',
      '--metadata',
      '{"team":"payments"}',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const release = JSON.parse(created.stdout) as Release;
    expect(release).toMatchObject({
      project: 'checkout',
      version: '3.1.0+42',
      metadata: { team: 'payments' },
    });
    expect(release.hash_id).toMatch(/^[0-9a-f]{128}$/);

    const table = await run(['releases', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+VERSION\s+COMMIT\s+CREATED\n/);
    expect(table.stdout).toContain(release.id);
    expect(table.stdout).toMatch(/checkout\s+3\.1\.0\+42/);

    const json = await run(['releases', 'list', '--all', '--json']);
    expect((JSON.parse(json.stdout) as Release[]).map((row) => row.id)).toContain(release.id);

    const byId = await run(['releases', 'get', release.id]);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toMatch(/^id:\s+/);
    expect(byId.stdout).toContain('name:       checkout');
    const byHash = await run(['releases', 'get', '--hash', release.hash_id, '--json']);
    expect((JSON.parse(byHash.stdout) as Release).id).toBe(release.id);

    const updated = await run(['releases', 'update', release.id, '--release-version', '3.1.1', '--json']);
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({
      id: release.id,
      version: '3.1.1',
      project: 'checkout',
    });

    const deleted = await run(['releases', 'delete', release.id]);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout.trim()).toBe(`deleted release ${release.id}`);
    const gone = await run(['releases', 'get', release.id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`release ${release.id} not found in this project`);
  });

  it('pages with --limit and --offset and says how to see more', async () => {
    for (const version of ['1', '2', '3']) {
      expect(
        (await run(['releases', 'create', '--release-name', 'paged', '--release-version', version])).code,
      ).toBe(0);
    }
    const first = await run(['releases', 'list', '--limit', '2', '--json']);
    expect(JSON.parse(first.stdout)).toHaveLength(2);
    expect(first.stderr).toContain('use --all, or --offset 2 for the next page');
    const conflict = await run(['releases', 'list', '--all', '--limit', '2']);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toContain('--all and --limit cannot be used together');
  });

  it('resolves the release like posthog-cli: the id only, the same one every time', async () => {
    const first = await run(['releases', 'resolve', '--release-name', 'web', '--release-version', 'abc123']);
    expect(first.code).toBe(0);
    const id = first.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // posthog-cli's spelling (`release`) and aliases (`--project`, `--version`) work too.
    const again = await run(['release', 'resolve', '--project', 'web', '--version', 'abc123', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ id, project: 'web', version: 'abc123' });
    // No release can be identified in an empty folder without git or package.json: nothing printed.
    const none = await run(['releases', 'resolve']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
  });

  it('takes the host, project and key from flags too', async () => {
    const result = await hogmaps(
      [
        'releases',
        'list',
        '--json',
        '--host',
        test.server.url,
        '--project-id',
        String(test.server.projectId),
        '--api-key',
        test.server.apiKey,
      ],
      { cwd },
    );
    expect(result.code).toBe(0);
    expect(Array.isArray(JSON.parse(result.stdout))).toBe(true);
  });

  it('explains what is wrong with bad input', async () => {
    const duplicate = await run([
      'releases',
      'create',
      '--release-name',
      'web',
      '--release-version',
      'abc123',
    ]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('already in use');
    const metadata = await run([
      'releases',
      'create',
      '--release-name',
      'x',
      '--release-version',
      '1',
      '--metadata',
      '[1]',
    ]);
    expect(metadata.code).toBe(2);
    expect(metadata.stderr).toContain('--metadata must be a JSON object');
    const nothing = await run(['releases', 'update', '00000000-0000-0000-0000-000000000000']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('nothing to change');
    const noId = await run(['releases', 'get']);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain('missing the release id');
    const missing = await run(['releases', 'delete', '00000000-0000-0000-0000-000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('not found');
  });
});
