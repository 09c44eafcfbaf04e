import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src/inbox/access';
import { http } from '../helpers/http';
import { startTestServer } from '../helpers/server';
import { capture, exceptionEvent, inboxGet, login } from './helpers';

const PAGES = ['/', '/releases', '/symbol-sets', `/issues/${'a'.repeat(32)}`];
const DATA = ['/inbox/api/issues', '/inbox/api/releases', '/inbox/api/symbol-sets', '/inbox/api/stream'];

describe('on a loopback address', () => {
  it('needs no login, and every answer carries a strict Content-Security-Policy', async () => {
    const server = await startTestServer();
    expect(server.inboxLogin).toBe(false);
    expect(server.inboxUrl).toBe(`${server.url}/`);
    for (const path of PAGES) {
      const page = await inboxGet(server, path);
      expect(page.status, path).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("require-trusted-types-for 'script'");
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      // The pages hold no inline script or style: only the server's own files.
      expect(page.text).not.toMatch(/<script(?![^>]*\bsrc="\/inbox\/assets\/)/);
      expect(page.text).not.toMatch(/<style|style=/);
    }
    expect((await inboxGet(server, '/inbox/api/issues')).status).toBe(200);
    expect((await inboxGet(server, '/inbox/login')).status).toBe(303);
  });

  it('answers only requests addressed to a loopback name (no DNS rebinding)', async () => {
    const server = await startTestServer();
    for (const host of ['evil.example', '192.168.1.20', 'localhost.evil.example']) {
      for (const path of ['/', '/inbox/api/issues']) {
        const answer = await http('GET', `${server.url}${path}`, { headers: { host } });
        expect(answer.status, `${host} ${path}`).toBe(403);
        expect(answer.text).not.toContain('"results"');
      }
    }
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`]) {
      expect((await http('GET', `${server.url}/inbox/api/issues`, { headers: { host } })).status, host).toBe(
        200,
      );
    }
  });

  it('tells loopback addresses from others', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      'localhost',
      'app.localhost',
      '::ffff:127.0.0.1',
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of [
      '0.0.0.0',
      '::',
      '192.168.1.2',
      '10.0.0.1',
      'example.com',
      '::ffff:10.0.0.1',
      '128.0.0.1',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('with login required', () => {
  it('refuses pages and data without a session, even on a loopback address', async () => {
    const server = await startTestServer({ inboxLogin: true });
    expect(server.inboxLogin).toBe(true);
    await capture(server, exceptionEvent({ token: server.projectToken, value: 'secret stuff', frames: [] }));
    for (const path of PAGES) {
      const page = await inboxGet(server, `${path}?q=x`);
      expect(page.status, path).toBe(303);
      expect(page.headers.location).toBe(`/inbox/login?next=${encodeURIComponent(`${path}?q=x`)}`);
    }
    for (const path of DATA) {
      const data = await inboxGet(server, path);
      expect(data.status, path).toBe(401);
      expect(data.json).toMatchObject({ code: 'not_authenticated' });
      expect(data.text).not.toContain('secret stuff');
    }
    // Neither the API key in a header nor a made-up cookie is a session.
    const bearer = await http('GET', `${server.url}/inbox/api/issues`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    expect(bearer.status).toBe(401);
    expect((await inboxGet(server, '/inbox/api/issues', `hogmaps_inbox_${server.port}=forged`)).status).toBe(
      401,
    );
    const form = await inboxGet(server, '/inbox/login');
    expect(form.status).toBe(200);
    expect(form.text).toContain('<form method="post" action="/inbox/login">');
    expect(form.text).toContain('type="password"');
  });

  it('logs in with the personal API key through the form, never in a URL, and out again', async () => {
    const server = await startTestServer({ inboxLogin: true });
    await capture(
      server,
      exceptionEvent({ token: server.projectToken, value: 'visible after login', frames: [] }),
    );

    const wrong = await login(server, 'phx_not_a_key_of_this_server');
    expect(wrong.response.status).toBe(401);
    expect(wrong.cookie).toBeUndefined();
    expect(wrong.response.text).toContain('not a personal API key');
    expect(wrong.response.text).not.toContain('phx_not_a_key_of_this_server');

    const { response, cookie } = await login(server, server.apiKey);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/releases');
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toContain(`hogmaps_inbox_${server.port}=`);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain(server.apiKey);

    for (const path of [
      ...PAGES.slice(0, 3),
      '/inbox/api/issues',
      '/inbox/api/releases',
      '/inbox/api/symbol-sets',
    ]) {
      expect((await inboxGet(server, path, cookie)).status, path).toBe(200);
    }
    expect((await inboxGet(server, '/inbox/api/issues', cookie)).json.results[0].message).toBe(
      'visible after login',
    );

    const out = await http('POST', `${server.url}/inbox/logout`, {
      headers: { cookie: cookie!, origin: server.url },
    });
    expect(out.status).toBe(303);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await inboxGet(server, '/inbox/api/issues', cookie)).status).toBe(401);
  });

  it('refuses a login or logout posted from another site', async () => {
    const server = await startTestServer({ inboxLogin: true });
    const crossSite = await login(server, server.apiKey, { origin: 'http://evil.example' });
    expect(crossSite.response.status).toBe(403);
    expect(crossSite.cookie).toBeUndefined();
    const fetchSite = await login(server, server.apiKey, { 'sec-fetch-site': 'cross-site' });
    expect(fetchSite.response.status).toBe(403);

    const { cookie } = await login(server, server.apiKey, {
      origin: server.url,
      'sec-fetch-site': 'same-origin',
    });
    const forcedOut = await http('POST', `${server.url}/inbox/logout`, {
      headers: { cookie: cookie!, origin: 'http://evil.example' },
    });
    expect(forcedOut.status).toBe(403);
    expect((await inboxGet(server, '/inbox/api/issues', cookie)).status).toBe(200);
  });

  it('needs read access: a key without error_tracking scope is refused, a revoked key ends its sessions', async () => {
    const server = await startTestServer({ inboxLogin: true });
    const noScope = server.admin.createApiKey({ scopes: ['feature_flag:read'] });
    expect((await login(server, noScope.key)).response.status).toBe(401);

    const reader = server.admin.createApiKey({ scopes: ['error_tracking:read'] });
    const { cookie } = await login(server, reader.key);
    expect((await inboxGet(server, '/inbox/api/issues', cookie)).status).toBe(200);
    server.admin.revokeApiKey(reader.id);
    expect((await inboxGet(server, '/inbox/api/issues', cookie)).status).toBe(401);
  });

  it('shows a key limited to some projects only those', async () => {
    const server = await startTestServer({ inboxLogin: true });
    const other = server.admin.createProject({ name: 'Other' });
    const limited = server.admin.createApiKey({ scopes: ['error_tracking:read'], projectIds: [other.id] });
    const { cookie } = await login(server, limited.key);
    const issues = await inboxGet(server, '/inbox/api/issues', cookie);
    expect(issues.json.project).toMatchObject({ id: other.id, name: 'Other' });
    expect(issues.json.projects).toEqual([{ id: other.id, name: 'Other' }]);
    expect((await inboxGet(server, `/inbox/api/issues?project=${server.projectId}`, cookie)).status).toBe(
      404,
    );
  });

  it('only redirects to paths on this server after login', async () => {
    const server = await startTestServer({ inboxLogin: true });
    for (const next of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '/inbox/logout',
      'releases',
    ]) {
      const response = await http('POST', `${server.url}/inbox/login`, {
        body: new URLSearchParams({ key: server.apiKey, next }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(response.headers.location, next).toBe('/');
    }
  });

  it('is required on a non-loopback address', async () => {
    const server = await startTestServer({ host: '0.0.0.0' });
    expect(server.inboxLogin).toBe(true);
    expect((await inboxGet(server, '/inbox/api/issues')).status).toBe(401);
  });
});

describe('live updates', () => {
  /** Opens the change stream and collects what it sends. */
  async function openStream(url: string) {
    const stream = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      request(url, resolve).on('error', reject).end();
    });
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    const until = (what: string) =>
      new Promise<void>((resolve) => {
        const check = () => (text.includes(what) ? resolve() : setTimeout(check, 20));
        check();
      });
    await until('event: ready');
    return { stream, until, text: () => text };
  }

  it("sends a change event when an exception of the page's project arrives, and only then", async () => {
    const server = await startTestServer();
    const other = server.admin.createProject({ name: 'Other' });
    const mine = await openStream(`${server.url}/inbox/api/stream?project=${other.id}`);
    expect(mine.stream.statusCode).toBe(200);
    expect(mine.stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const first = await openStream(`${server.url}/inbox/api/stream`);

    const changes = (stream: { text(): string }) => stream.text().split('event: change').length - 1;
    const untilChanges = (stream: { text(): string }, n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (changes(stream) >= n ? resolve() : setTimeout(check, 20));
        check();
      });
    const captureIn = async (token: string, value: string) => {
      const response = await http('POST', `${server.url}/batch/`, {
        body: { api_key: token, batch: [exceptionEvent({ token, value, frames: [] })] },
      });
      expect(response.status).toBe(200);
    };
    await captureIn(server.projectToken, 'first project');
    await untilChanges(first, 1);
    await captureIn(other.token, 'other project');
    await untilChanges(mine, 1);
    await captureIn(server.projectToken, 'first project again');
    await untilChanges(first, 2);
    // The other project's page heard of its own exception only.
    expect(changes(mine)).toBe(1);
    mine.stream.destroy();
    first.stream.destroy();
    expect((await inboxGet(server, '/inbox/api/stream?project=99')).status).toBe(404);
  });
});
