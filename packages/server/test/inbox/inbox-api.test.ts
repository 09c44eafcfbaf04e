import { beforeAll, describe, expect, it } from 'vitest';
import { createRelease, uploadSymbolSet } from '../helpers/flow';
import { http } from '../helpers/http';
import { startTestServer } from '../helpers/server';
import { type AppBundle, buildAppBundle } from '../symbolication/helpers/bundle';
import { runCheckoutInVm } from '../symbolication/helpers/v8-frames';
import { capture, exceptionEvent, inboxGet } from './helpers';

/**
 * The inbox's JSON API over HTTP, on a real server: exceptions captured through /batch/ with frames
 * from a real minified bundle run in V8, its symbol set uploaded through the real upload flow.
 */

const SCRIPT_URL = 'http://127.0.0.1:5173/assets/app.js';
let bundle: AppBundle;

beforeAll(async () => {
  bundle = await buildAppBundle('vm-entry.js');
});

/** The app's frames (crash site last) for an order total, with the bundle's chunk id. */
const framesFor = (totalCents: number, url = SCRIPT_URL) =>
  runCheckoutInVm(bundle.code, url, totalCents).filter((frame) => frame.filename === url);

const message = (totalCents: number) =>
  `Order vm-1 has a negative total of -$${Math.floor(-totalCents / 100)}.${String(-totalCents % 100).padStart(2, '0')}`;

describe('issues', () => {
  it('groups exceptions by type, normalized message and top in-app frame, newest first', async () => {
    const server = await startTestServer();
    await uploadSymbolSet(server, bundle.chunkId, bundle.container());
    const release = await createRelease(server, { project: 'shop', version: '1.2.0' });
    const token = server.projectToken;
    await capture(
      server,
      exceptionEvent({
        token,
        value: message(-250),
        frames: framesFor(-250),
        timestamp: '2026-01-01T10:00:00Z',
      }),
      // Same error, another total and another origin (port): the same issue.
      exceptionEvent({
        token,
        value: message(-999),
        frames: framesFor(-999, 'http://localhost:4000/assets/app.js'),
        timestamp: '2026-01-02T10:00:00Z',
        properties: { $release_id: release.id, $environment: 'staging' },
      }),
      exceptionEvent({
        token,
        type: 'TypeError',
        value: message(-1),
        frames: framesFor(-1),
        timestamp: '2026-01-01T12:00:00Z',
      }),
    );

    const { status, json } = await inboxGet(server, '/inbox/api/issues');
    expect(status).toBe(200);
    expect(json.project).toMatchObject({ id: server.projectId, token });
    expect(json.count).toBe(2);
    const [newest, older] = json.results;
    expect(newest).toMatchObject({
      type: 'Error',
      message: message(-999),
      count: 2,
      first_seen: '2026-01-01T10:00:00.000Z',
      last_seen: '2026-01-02T10:00:00.000Z',
      release: { id: release.id, label: 'shop@1.2.0' },
      environment: 'staging',
      runtime: 'Chrome 140 on Linux',
      frame: { name: 'submitOrder', file: 'checkout.ts', resolved: true },
      pending_chunk: null,
    });
    expect(newest.id).toMatch(/^[0-9a-f]{32}$/);
    expect(older).toMatchObject({ type: 'TypeError', count: 1 });
    expect(json.releases).toEqual([{ id: release.id, label: 'shop@1.2.0' }]);
  });

  it('counts per UTC day for the last 14 days', async () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    const server = await startTestServer({ clock: () => now });
    const frames = framesFor(-5);
    const at = (day: string) =>
      exceptionEvent({ token: server.projectToken, value: 'boom', frames, timestamp: day });
    await capture(
      server,
      at('2026-03-10T01:00:00Z'),
      at('2026-03-10T02:00:00Z'),
      at('2026-03-08T23:59:00Z'),
      at('2026-01-01T00:00:00Z'),
    );
    const [issue] = (await inboxGet(server, '/inbox/api/issues')).json.results;
    expect(issue.count).toBe(4);
    expect(issue.daily).toHaveLength(14);
    expect(issue.daily[0]).toEqual({ day: '2026-02-25', count: 0 });
    expect(issue.daily.slice(-3)).toEqual([
      { day: '2026-03-08', count: 1 },
      { day: '2026-03-09', count: 0 },
      { day: '2026-03-10', count: 2 },
    ]);
  });

  it('groups by the shipped frame until the symbol set arrives, then merges into the final issue', async () => {
    const server = await startTestServer();
    const token = server.projectToken;
    await capture(server, exceptionEvent({ token, value: message(-250), frames: framesFor(-250) }));
    const before = (await inboxGet(server, '/inbox/api/issues')).json.results;
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({
      pending_chunk: bundle.chunkId,
      frame: { resolved: false, file: '/assets/app.js' },
    });

    await uploadSymbolSet(server, bundle.chunkId, bundle.container());
    await capture(server, exceptionEvent({ token, value: message(-300), frames: framesFor(-300) }));
    const after = (await inboxGet(server, '/inbox/api/issues')).json;
    expect(after.count).toBe(1);
    expect(after.results[0]).toMatchObject({
      count: 2,
      pending_chunk: null,
      frame: { name: 'submitOrder', file: 'checkout.ts', resolved: true },
    });
    expect(after.results[0].id).not.toBe(before[0].id);
    expect((await inboxGet(server, `/inbox/api/issues/${before[0].id}`)).status).toBe(404);
  });

  it('searches type, message, function and file, and filters by release', async () => {
    const server = await startTestServer();
    await uploadSymbolSet(server, bundle.chunkId, bundle.container());
    const release = await createRelease(server, { project: 'shop', version: '2.0.0' });
    const token = server.projectToken;
    const frames = framesFor(-1);
    await capture(
      server,
      exceptionEvent({ token, value: 'payment declined', frames, properties: { $release_id: release.id } }),
      exceptionEvent({ token, value: 'payment declined', frames }),
      exceptionEvent({ token, type: 'QuotaError', value: 'storage 100% full', frames: [] }),
    );
    const ids = async (query: string) =>
      (await inboxGet(server, `/inbox/api/issues?${query}`)).json.results.map(
        (i: { message: string }) => i.message,
      );
    expect(await ids('q=DECLINED')).toEqual(['payment declined']);
    expect(await ids('q=quotaerror')).toEqual(['storage 100% full']);
    expect(await ids('q=submitOrder')).toEqual(['payment declined']);
    expect(await ids('q=checkout.ts')).toEqual(['payment declined']);
    // LIKE wildcards are literal.
    expect(await ids('q=100%25')).toEqual(['storage 100% full']);
    expect(await ids('q=%25%25%25x')).toEqual([]);
    const filtered = (await inboxGet(server, `/inbox/api/issues?release=${release.id}`)).json;
    expect(filtered.results).toHaveLength(1);
    expect(filtered.results[0]).toMatchObject({ message: 'payment declined', count: 1 });
  });
  it('pages with limit and offset; bad or oversized numbers fall back to the defaults and caps', async () => {
    const server = await startTestServer();
    const token = server.projectToken;
    const events = ['alpha', 'beta', 'gamma'].map((value, i) =>
      exceptionEvent({ token, value, frames: [], timestamp: `2026-02-0${i + 1}T00:00:00Z` }),
    );
    await capture(server, ...events);
    const page = async (query: string) => {
      const { status, json } = await inboxGet(server, `/inbox/api/issues?${query}`);
      expect(status).toBe(200);
      return {
        count: json.count,
        offset: json.offset,
        messages: json.results.map((i: { message: string }) => i.message),
      };
    };
    expect(await page('limit=2')).toEqual({ count: 3, offset: 0, messages: ['gamma', 'beta'] });
    expect(await page('limit=2&offset=2')).toEqual({ count: 3, offset: 2, messages: ['alpha'] });
    expect(await page('offset=9')).toEqual({ count: 3, offset: 9, messages: [] });
    for (const bad of ['limit=-1', 'limit=abc', 'limit=1e3', 'offset=-5&limit=x', 'limit=99999999999']) {
      expect(await page(bad), bad).toMatchObject({ count: 3, messages: ['gamma', 'beta', 'alpha'] });
    }
    // A release that does not exist matches nothing; it is not an error.
    expect(await page('release=no-such-release')).toEqual({ count: 0, offset: 0, messages: [] });
  });

  it('answers unknown data paths with a JSON 404 and anything but GET with a 405, changing nothing', async () => {
    const server = await startTestServer();
    await capture(server, exceptionEvent({ token: server.projectToken, value: 'kept', frames: [] }));
    const unknown = await inboxGet(server, '/inbox/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ type: 'invalid_request', code: 'not_found', detail: 'Not found.' });
    for (const method of ['POST', 'DELETE', 'PUT']) {
      const answer = await http(method, `${server.url}/inbox/api/issues`, { body: {} });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow).toBe('GET');
    }
    const { json } = await inboxGet(server, '/inbox/api/issues');
    expect(json.results.map((i: { message: string }) => i.message)).toEqual(['kept']);
  });
});

describe('an issue', () => {
  it('has the latest event symbolicated (frames as resolved and as shipped, why not), its properties and other events', async () => {
    const server = await startTestServer();
    await uploadSymbolSet(server, bundle.chunkId, bundle.container());
    const release = await createRelease(server, { project: 'shop', version: '3.0.0' });
    const token = server.projectToken;
    const inline = {
      platform: 'web:javascript',
      filename: 'http://127.0.0.1:5173/',
      function: 'onclick',
      lineno: 3,
      colno: 7,
      in_app: true,
    };
    const missing = {
      ...inline,
      filename: 'http://127.0.0.1:5173/vendor.js',
      function: 'q',
      chunk_id: 'no-such-chunk',
    };
    const first = exceptionEvent({
      token,
      value: message(-1),
      frames: [inline, ...framesFor(-1)],
      timestamp: '2026-01-01T00:00:00Z',
    });
    const latest = exceptionEvent({
      token,
      value: message(-2),
      frames: [missing, inline, ...framesFor(-2)],
      timestamp: '2026-01-02T00:00:00Z',
      properties: { $release_id: release.id },
    });
    await capture(server, first, latest);
    const [summary] = (await inboxGet(server, '/inbox/api/issues')).json.results;

    const { status, json } = await inboxGet(server, `/inbox/api/issues/${summary.id}`);
    expect(status).toBe(200);
    expect(json.issue).toMatchObject({ id: summary.id, count: 2 });
    expect(json.event).toMatchObject({
      id: latest.uuid,
      url: 'http://127.0.0.1:5173/#/checkout',
      runtime: 'Chrome 140 on Linux',
      release: { label: 'shop@3.0.0' },
      release_id: release.id,
      handled: true,
      distinct_id: 'user-7',
    });
    expect(json.event.properties.$exception_list).toBeUndefined();
    expect(json.event.properties.$release_id).toBe(release.id);
    const [exception] = json.event.exceptions;
    // Crash site first.
    const top = exception.frames[0];
    expect(top.resolved).toMatchObject({
      function: 'submitOrder',
      source: '../checkout.ts',
      line: bundle.throwLine,
      in_app: true,
    });
    expect(top.resolved.context.line).toContain('throw new Error');
    expect(top.shipped).toMatchObject({
      filename: SCRIPT_URL,
      chunk_id: bundle.chunkId,
      line: expect.any(Number),
    });
    const reasons = exception.frames
      .filter((f: { resolved: unknown }) => !f.resolved)
      .map((f: { unresolved: unknown }) => f.unresolved);
    expect(reasons).toEqual([
      { kind: 'no_chunk_id', detail: expect.stringContaining('Could not find sourcemap for source url') },
      { kind: 'no_symbol_set', detail: expect.stringContaining('no-such-chunk') },
    ]);
    expect(json.events.map((e: { id: string }) => e.id)).toEqual([latest.uuid, first.uuid]);

    const older = await inboxGet(server, `/inbox/api/issues/${summary.id}?event=${first.uuid}`);
    expect(older.json.event.id).toBe(first.uuid);
    expect(older.json.event.release).toBeNull();
  });

  it('shows events with malformed exception lists instead of failing the list or the page', async () => {
    const server = await startTestServer();
    const odd = (list: unknown, extra: Record<string, unknown> = {}) => ({
      event: '$exception',
      uuid: crypto.randomUUID(),
      distinct_id: 'u',
      properties: { token: server.projectToken, $exception_list: list, ...extra },
    });
    await capture(
      server,
      odd([{ type: 42, value: { nested: true }, stacktrace: { frames: [null, 'x', 7, { filename: 5 }] } }]),
      odd('not a list', { $exception_type: 'LegacyError', $exception_message: 'legacy message' }),
      odd([null, { stacktrace: 'nope' }], { $release_id: 12, $current_url: { no: 'url' } }),
    );
    const { status, json } = await inboxGet(server, '/inbox/api/issues');
    expect(status).toBe(200);
    expect(json.count).toBe(3);
    expect(
      json.results.map((i: { type: string; message: string }) => `${i.type}: ${i.message}`).sort(),
    ).toEqual(['Error: ', 'Error: {"nested":true}', 'LegacyError: legacy message']);
    for (const issue of json.results) {
      const page = await inboxGet(server, `/inbox/api/issues/${issue.id}`);
      expect(page.status, page.text).toBe(200);
      expect(page.json.event.id).toBe(issue.latest_event_id);
    }
  });

  it('is 404 for an unknown issue, or an event of another issue', async () => {
    const server = await startTestServer();
    const token = server.projectToken;
    const a = exceptionEvent({ token, value: 'a', frames: [] });
    const b = exceptionEvent({ token, value: 'b', frames: [] });
    await capture(server, a, b);
    const [issueB, issueA] = (await inboxGet(server, '/inbox/api/issues')).json.results;
    expect(issueA.message).toBe('a');
    expect((await inboxGet(server, `/inbox/api/issues/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await inboxGet(server, `/inbox/api/issues/${issueB.id}?event=${a.uuid}`)).status).toBe(404);
    expect((await inboxGet(server, '/inbox/api/issues/not-an-id')).status).toBe(404);
    expect((await inboxGet(server, '/inbox/api/issues?project=99')).status).toBe(404);
  });
});

describe('releases and symbol sets', () => {
  it('lists releases with git metadata, bound symbol sets and exceptions', async () => {
    const server = await startTestServer();
    const git = {
      commit_id: 'a'.repeat(40),
      branch: 'main',
      repo_name: 'shop',
      remote_url: 'https://example.com/shop.git',
    };
    const release = await createRelease(server, { project: 'shop', version: '4.0.0', metadata: { git } });
    await uploadSymbolSet(server, bundle.chunkId, bundle.container(), { releaseId: release.id });
    const started = await server.api('POST', 'symbol_sets/bulk_start_upload', {
      body: { symbol_sets: [{ chunk_id: 'pending-chunk', release_id: release.id, content_hash: 'x' }] },
    });
    expect(started.status).toBe(201);
    await capture(
      server,
      exceptionEvent({
        token: server.projectToken,
        value: 'x',
        frames: [],
        properties: { $release_id: release.id },
      }),
    );
    const { json } = await inboxGet(server, '/inbox/api/releases');
    expect(json.results).toEqual([
      expect.objectContaining({
        id: release.id,
        label: 'shop@4.0.0',
        git: { commit: git.commit_id, branch: 'main', repo: 'shop', remote_url: git.remote_url },
        symbol_sets: { total: 2, finished: 1 },
        exceptions: 1,
      }),
    ]);
  });

  it('lists symbol sets newest first with size and status, by release', async () => {
    const server = await startTestServer();
    const release = await createRelease(server);
    await uploadSymbolSet(server, bundle.chunkId, bundle.container());
    await server.api('POST', 'symbol_sets/bulk_start_upload', {
      body: { symbol_sets: [{ chunk_id: 'pending-chunk', release_id: release.id, content_hash: 'x' }] },
    });
    const all = (await inboxGet(server, '/inbox/api/symbol-sets')).json;
    expect(all.status_counts).toEqual({ total: 2, finished: 1, pending: 1, failed: 0 });
    expect(all.results).toEqual([
      expect.objectContaining({
        chunk_id: 'pending-chunk',
        status: 'pending',
        size: null,
        release: { id: release.id, label: 'my-app@1.0.0' },
      }),
      expect.objectContaining({
        chunk_id: bundle.chunkId,
        status: 'finished',
        size: bundle.container().length,
        release: null,
      }),
    ]);
    const bound = (await inboxGet(server, `/inbox/api/symbol-sets?release=${release.id}`)).json;
    expect(bound.results.map((s: { chunk_id: string }) => s.chunk_id)).toEqual(['pending-chunk']);
    expect(bound.release).toEqual({ id: release.id, label: 'my-app@1.0.0' });
    expect(bound.status_counts).toMatchObject({ total: 1, pending: 1 });
    const unbound = (await inboxGet(server, '/inbox/api/symbol-sets?release=none')).json;
    expect(unbound.results.map((s: { chunk_id: string }) => s.chunk_id)).toEqual([bundle.chunkId]);
  });
});
