import * as vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventServer, startEventServer, TOKEN } from './helpers/event-server';

let server: EventServer;
beforeAll(async () => {
  server = await startEventServer();
});
afterAll(() => server.close());

describe('posthog-js remote config', () => {
  it('answers /array/<token>/config with JSON', async () => {
    const response = await fetch(`${server.url}/array/${TOKEN}/config`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      token: TOKEN,
      supportedCompression: ['gzip', 'gzip-js'],
      analytics: { endpoint: '/i/v0/e/' },
      autocaptureExceptions: true,
      hasFeatureFlags: false,
    });
  });

  it('answers /array/<token>/config.js with a script that registers the same config', async () => {
    const response = await fetch(`${server.url}/array/${TOKEN}/config.js`);
    expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    const window: Record<string, unknown> = {};
    vm.runInNewContext(await response.text(), { window });
    const json = await (await fetch(`${server.url}/array/${TOKEN}/config`)).json();
    expect(window._POSTHOG_REMOTE_CONFIG).toEqual({ [TOKEN]: { config: json, siteApps: [] } });
  });

  it('answers 404 for an unknown token', async () => {
    expect((await fetch(`${server.url}/array/phc_nobody/config`)).status).toBe(404);
    expect((await fetch(`${server.url}/array/phc_nobody/config.js`)).status).toBe(404);
  });
});
