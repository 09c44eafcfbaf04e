import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPosthogJsDist, handleStaticAsset } from '../../src/static-assets';
import { type EventServer, startEventServer } from './helpers/event-server';

let server: EventServer;
beforeAll(async () => {
  server = await startEventServer();
});
afterAll(() => server.close());

/** A raw request, so the path reaches the server exactly as written (fetch normalizes it). */
function rawGet(base: string, rawPath: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${rawPath}`, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('posthog-js static assets', () => {
  const dist = findPosthogJsDist() as string;
  const autocapture = readFileSync(path.join(dist, 'exception-autocapture.js'), 'utf8');

  it('finds the installed posthog-js dist folder', () => {
    expect(readFileSync(path.join(dist, '..', 'package.json'), 'utf8')).toContain('"name": "posthog-js"');
  });

  it.each([
    '/static/exception-autocapture.js?v=1.449.2',
    '/static/1.449.2/exception-autocapture.js',
    '/static/any/depth/exception-autocapture.js',
  ])('serves %s from posthog-js/dist', async (assetPath) => {
    const response = await fetch(`${server.url}${assetPath}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(await response.text()).toBe(autocapture);
  });

  it('serves other dist scripts such as array.js, and HEAD without a body', async () => {
    const response = await fetch(`${server.url}/static/array.js`);
    expect(response.status).toBe(200);
    expect((await response.text()).length).toBeGreaterThan(1000);
    const head = await rawGet(server.url, '/static/array.js', 'HEAD');
    expect(head).toEqual({ status: 200, body: '' });
  });

  it.each([
    '/static/not-a-posthog-file.js',
    '/static/..%2f..%2fpackage.json',
    '/static/..%2F..%2Fsrc%2Findex.js',
    '/static/%2e%2e/%2e%2e/package.json',
    '/static/../../../../etc/passwd',
    '/static/module.d.ts',
    '/static/',
  ])('answers 404 for %s', async (rawPath) => {
    const response = await rawGet(server.url, rawPath);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('"name": "posthog-js"');
  });

  it('answers 405 to POST', async () => {
    expect((await fetch(`${server.url}/static/array.js`, { method: 'POST' })).status).toBe(405);
  });

  it('answers 404 with a reason when posthog-js is not installed', async () => {
    const bare = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      void handleStaticAsset(req, res, url, null);
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = bare.address() as AddressInfo;
      const response = await rawGet(`http://127.0.0.1:${port}`, '/static/exception-autocapture.js');
      expect(response).toEqual({ status: 404, body: 'posthog-js is not installed next to the server\n' });
    } finally {
      await new Promise((resolve) => bare.close(resolve));
    }
  });
});
